package demo_test

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/segmentio/kafka-go"

	"github.com/stepupauth/stepup/demo"
	"github.com/stepupauth/stepup/escalation"
	"github.com/stepupauth/stepup/internal/testenv"
	"github.com/stepupauth/stepup/schemas"
)

func options(t *testing.T, records []demo.Record, withDB bool) demo.Options {
	t.Helper()
	policy, err := escalation.Parse(escalation.DefaultPolicy())
	if err != nil {
		t.Fatal(err)
	}
	opt := demo.Options{
		Brokers:     testenv.KafkaBrokers(t),
		TopicPrefix: testenv.UniqueName("demo") + ".",
		GroupID:     testenv.UniqueName("demo-group"),
		Partitions:  3,
		Policy:      escalation.NewHolder(policy),
		Records:     records,
		WaitTimeout: 90 * time.Second,
	}
	if withDB {
		opt.DatabaseURL = testenv.DatabaseURL(t)
	}
	return opt
}

func read(t *testing.T, path string,
	reader func(*os.File, func(demo.Record) error) error) []demo.Record {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []demo.Record
	if err := reader(f, func(r demo.Record) error { out = append(out, r); return nil }); err != nil {
		t.Fatal(err)
	}
	return out
}

func readRBA(f *os.File, fn func(demo.Record) error) error   { return demo.ReadRBA(f, fn) }
func readJSONL(f *os.File, fn func(demo.Record) error) error { return demo.ReadJSONL(f, fn) }

// The built-in scenario, end to end on the broker and Postgres: every event
// is decided or dead-lettered, every signal fires, and every audit record is
// projected exactly once.
func TestScenarioEndToEnd(t *testing.T) {
	opt := options(t, demo.Scenario(), true)
	sum, err := demo.Run(context.Background(), opt)
	if err != nil {
		t.Fatal(err)
	}
	decided, results := total(sum.Decisions), total(sum.ChallengeResults)
	if decided+results+sum.DeadLetters != sum.EventsIn {
		t.Fatalf("%d events in, but %d decided, %d results and %d dead letters", sum.EventsIn,
			decided, results, sum.DeadLetters)
	}
	if sum.DeadLetters != 4 || sum.StepUpRequired != 4 {
		t.Fatalf("dead letters %d, step-ups %d", sum.DeadLetters, sum.StepUpRequired)
	}
	for _, signal := range []string{"new_device", "new_country", "new_asn", "first_seen",
		"failed_login", "repeated_failures", "high_stakes_action", "medium_stakes_action",
		"device_unknown"} {
		if sum.Signals[signal] == 0 {
			t.Errorf("signal %s never fired: %v", signal, sum.Signals)
		}
	}
	want := map[string]int{"passed": 1, "failed": 1, "unknown_challenge": 1}
	for k, v := range want {
		if sum.ChallengeResults[k] != v {
			t.Errorf("challenge results %v, want %v", sum.ChallengeResults, want)
		}
	}
	if sum.ProjectedRows == nil || *sum.ProjectedRows != sum.AuditRecords {
		t.Fatalf("projected %v rows for %d audit records", sum.ProjectedRows, sum.AuditRecords)
	}
}

// The RBA sample that ships with the tests: every row is decided, some are
// stepped up, and the projection holds one row per audit record.
func TestRBASampleEndToEnd(t *testing.T) {
	records := read(t, filepath.Join("testdata", "rba-head-sample.csv"), readRBA)
	if len(records) != 19 {
		t.Fatalf("read %d rows, want 19", len(records))
	}
	sum, err := demo.Run(context.Background(), options(t, records, true))
	if err != nil {
		t.Fatal(err)
	}
	if decided := total(sum.Decisions); decided != 19 || sum.DeadLetters != 0 {
		t.Fatalf("decided %d, dead letters %d", decided, sum.DeadLetters)
	}
	if sum.StepUpRequired == 0 {
		t.Fatal("no step-up on a history with new devices and countries")
	}
	if sum.Labelled == nil || sum.Labelled.AttackIPLogins != 2 {
		t.Fatalf("labels not carried: %+v", sum.Labelled)
	}
	if sum.ProjectedRows == nil || *sum.ProjectedRows != sum.AuditRecords {
		t.Fatalf("projected %v rows for %d audit records", sum.ProjectedRows, sum.AuditRecords)
	}
}

// A file mixing good and malformed lines loses nothing: every good line is
// decided and every bad one is in the dead-letter topic with its original
// bytes and a reason.
func TestMixedInputLosesNothing(t *testing.T) {
	records := read(t, filepath.Join("testdata", "mixed.jsonl"), readJSONL)
	opt := options(t, records, false)
	sum, err := demo.Run(context.Background(), opt)
	if err != nil {
		t.Fatal(err)
	}
	const good, bad = 5, 6
	decided, results := total(sum.Decisions), total(sum.ChallengeResults)
	if len(records) != good+bad || decided+results != good || sum.DeadLetters != bad {
		t.Fatalf("%d records: %d decided, %d results, %d dead letters", len(records), decided,
			results, sum.DeadLetters)
	}

	letters := readDeadLetters(t, opt.Brokers, opt.TopicPrefix+"dead-letter", bad)
	for _, r := range records {
		if r.EventID != "" && !bytes.HasPrefix(r.Value, []byte(`{"id":"m-bad`)) {
			continue // a good line
		}
		dl, ok := letters[string(r.Value)]
		if !ok {
			t.Errorf("line %d is not in the dead-letter topic: %s", r.Line, r.Value)
			continue
		}
		if dl.Reason == "" || dl.ReasonCode == "" || dl.Source.Topic == "" {
			t.Errorf("line %d: dead letter without reason or source: %+v", r.Line, dl)
		}
	}
}

func readDeadLetters(t *testing.T, brokers []string, topic string,
	want int) map[string]*schemas.DeadLetter {
	t.Helper()
	out := map[string]*schemas.DeadLetter{}
	testenv.ReadTopic(t, brokers, topic, 60*time.Second, "dead letters",
		func(m kafka.Message) bool {
			ev, err := schemas.Decode(m.Value)
			if err != nil {
				t.Fatalf("dead letter fails its schema: %v", err)
			}
			dl := ev.(*schemas.DeadLetter)
			out[string(dl.Payload)] = dl
			return len(out) >= want
		})
	return out
}

func total(m map[string]int) int {
	n := 0
	for _, v := range m {
		n += v
	}
	return n
}

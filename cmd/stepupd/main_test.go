package main_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/segmentio/kafka-go"

	"github.com/stepupauth/stepup/broker"
	"github.com/stepupauth/stepup/internal/testenv"
	"github.com/stepupauth/stepup/pipeline"
	"github.com/stepupauth/stepup/schemas"
)

var binary string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "stepupd-test")
	if err != nil {
		panic(err)
	}
	binary = filepath.Join(dir, "stepupd")
	out, err := exec.Command("go", "build", "-o", binary, ".").CombinedOutput()
	if err != nil {
		fmt.Fprintf(os.Stderr, "cannot build stepupd: %v\n%s", err, out)
		os.Exit(1)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// stepupd starts the binary with a clean environment plus env.
func stepupd(t *testing.T, env []string, args ...string) (*exec.Cmd, *bytes.Buffer,
	*bytes.Buffer) {
	t.Helper()
	cmd := exec.Command(binary, args...)
	cmd.Env = append([]string{"PATH=" + os.Getenv("PATH"), "HOME=" + os.Getenv("HOME")},
		env...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	return cmd, &stdout, &stderr
}

func wait(t *testing.T, cmd *exec.Cmd, limit time.Duration) int {
	t.Helper()
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case <-done:
		return cmd.ProcessState.ExitCode()
	case <-time.After(limit):
		_ = cmd.Process.Kill()
		t.Fatalf("stepupd %v did not exit within %v", cmd.Args[1:], limit)
		return -1
	}
}

func action(id, user string, i int) []byte {
	ev := schemas.UserAction{
		Meta: schemas.Meta{ID: id, Type: schemas.TypeUserAction, UserID: user,
			Time: time.Date(2026, 9, 1, 0, 0, i, 0, time.UTC)},
		Action: schemas.ActionLogin,
		Device: schemas.Device{DeviceID: fmt.Sprintf("dev-%d", i%3)},
		Geo:    &schemas.Geo{Country: "NO", ASN: 2119},
	}
	b, _ := json.Marshal(ev)
	return b
}

// SIGTERM in the middle of a stream: stepupd finishes what it holds, commits,
// and exits 0; a second run picks up the rest; every event ends up with
// exactly one decision in the audit topic and one row in Postgres.
func TestRunStopsCleanlyAndLosesNothing(t *testing.T) {
	brokers := testenv.KafkaBrokers(t)
	dbURL := testenv.DatabaseURL(t)
	prefix := testenv.UniqueName("sigterm") + "."
	group := testenv.UniqueName("sigterm-group")
	env := []string{"STEPUP_KAFKA_BROKERS=" + strings.Join(brokers, ","),
		"STEPUP_TOPIC_PREFIX=" + prefix, "STEPUP_GROUP=" + group, "STEPUP_PARTITIONS=3",
		"DATABASE_URL=" + dbURL, "STEPUP_LOG_LEVEL=info"}
	topics := pipeline.TopicNames(prefix)

	cmd, _, stderr := stepupd(t, env, "run")
	waitFor(t, 60*time.Second, "stepupd to start", func() bool {
		return strings.Contains(stderr.String(), "pipeline started")
	})

	const n = 1500
	w := &kafka.Writer{Addr: kafka.TCP(brokers...), Topic: topics.Actions,
		Balancer: &kafka.Murmur2Balancer{}, RequiredAcks: kafka.RequireAll,
		BatchTimeout: 5 * time.Millisecond}
	defer w.Close()
	var msgs []kafka.Message
	for i := range n {
		user := fmt.Sprintf("user-%d", i%37)
		msgs = append(msgs, kafka.Message{Key: []byte(user),
			Value: action(fmt.Sprintf("evt-%d", i), user, i)})
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	if err := w.WriteMessages(ctx, msgs[:n/2]...); err != nil {
		t.Fatal(err)
	}
	go func() { _ = w.WriteMessages(ctx, msgs[n/2:]...) }()

	waitFor(t, 60*time.Second, "first decisions", func() bool {
		return strings.Contains(stderr.String(), "Starting handler")
	})
	time.Sleep(300 * time.Millisecond)
	if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	if code := wait(t, cmd, 60*time.Second); code != 0 {
		t.Fatalf("stepupd exited %d after SIGTERM:\n%s", code, stderr)
	}
	if !strings.Contains(stderr.String(), "pipeline stopped") {
		t.Fatalf("no clean stop in the log:\n%s", stderr)
	}

	cmd2, _, stderr2 := stepupd(t, env, "run")
	defer func() {
		_ = cmd2.Process.Signal(syscall.SIGTERM)
		wait(t, cmd2, 60*time.Second)
	}()
	decisions := readDecisions(t, brokers, topics.Audit, n)
	for i := range n {
		if decisions[fmt.Sprintf("evt-%d", i)] == 0 {
			t.Fatalf("evt-%d has no decision (log:\n%s)", i, stderr2)
		}
	}

	waitFor(t, 60*time.Second, "projection of every decision", func() bool {
		return countRows(t, dbURL, "kind = 'decision'") == n
	})
}

// readDecisions reads the audit topic until it holds a decision for want
// distinct events, and returns how many decision records each event has.
func readDecisions(t *testing.T, brokers []string, topic string, want int) map[string]int {
	t.Helper()
	out := map[string]int{}
	testenv.ReadTopic(t, brokers, topic, 90*time.Second, "decisions", func(m kafka.Message) bool {
		ev, err := schemas.Decode(m.Value)
		if err != nil {
			t.Fatalf("audit record fails its schema: %v", err)
		}
		if rec := ev.(*schemas.AuditRecord); rec.Kind == schemas.AuditDecision {
			out[rec.Subject.EventID]++
		}
		return len(out) >= want
	})
	return out
}

// A topic that is missing and may not be created makes stepupd say so and
// exit non-zero instead of waiting.
func TestRunExitsOnMissingTopic(t *testing.T) {
	brokers := testenv.KafkaBrokers(t)
	cmd, _, stderr := stepupd(t, []string{"STEPUP_KAFKA_BROKERS=" + strings.Join(brokers, ",")},
		"run", "--create-topics=false", "--topic-prefix", testenv.UniqueName("absent")+".")
	if code := wait(t, cmd, 90*time.Second); code != 1 {
		t.Fatalf("exit code %d, want 1:\n%s", code, stderr)
	}
	if !strings.Contains(stderr.String(), "signups") {
		t.Fatalf("the error does not name the missing topic:\n%s", stderr)
	}
}

// Input topics with different partition counts would split a user's events
// between instances: stepupd refuses to start.
func TestRunRefusesTopicsNotCopartitioned(t *testing.T) {
	brokers := testenv.KafkaBrokers(t)
	prefix := testenv.UniqueName("copart") + "."
	topics := pipeline.TopicNames(prefix)
	specs := pipeline.TopicSpecs(topics, 2, 1)
	specs[1].Partitions = 3 // actions
	if err := broker.EnsureTopics(context.Background(), brokers, specs); err != nil {
		t.Fatal(err)
	}
	cmd, _, stderr := stepupd(t, []string{"STEPUP_KAFKA_BROKERS=" + strings.Join(brokers, ",")},
		"run", "--topic-prefix", prefix)
	if code := wait(t, cmd, 90*time.Second); code != 1 {
		t.Fatalf("exit code %d, want 1:\n%s", code, stderr)
	}
	if !strings.Contains(stderr.String(), "co-partitioned") {
		t.Fatalf("the error does not say why:\n%s", stderr)
	}
}

func TestRunRefusesBrokenPolicy(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "policy.yaml")
	if err := os.WriteFile(path, []byte("version: x\nchallenge_ttl: [\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	cmd, _, stderr := stepupd(t, []string{"STEPUP_KAFKA_BROKERS=127.0.0.1:1"},
		"run", "--policy", path)
	if code := wait(t, cmd, 30*time.Second); code != 1 {
		t.Fatalf("exit code %d, want 1:\n%s", code, stderr)
	}
	if !strings.Contains(stderr.String(), "invalid policy") ||
		!strings.Contains(stderr.String(), "[2:") {
		t.Fatalf("error does not name the line:\n%s", stderr)
	}
}

func TestUsage(t *testing.T) {
	t.Parallel()
	cmd, _, stderr := stepupd(t, nil, "frobnicate")
	if code := wait(t, cmd, 10*time.Second); code != 2 {
		t.Fatalf("exit code %d, want 2", code)
	}
	if !strings.Contains(stderr.String(), "unknown command") {
		t.Fatalf("stderr: %s", stderr)
	}
	cmd, _, _ = stepupd(t, nil, "run")
	if code := wait(t, cmd, 10*time.Second); code != 1 {
		t.Fatalf("run without brokers: exit code %d, want 1", code)
	}
}

// stepupd demo writes the summary JSON with the documented fields.
func TestDemoCommandWritesSummary(t *testing.T) {
	brokers := testenv.KafkaBrokers(t)
	summary := filepath.Join(t.TempDir(), "summary.json")
	cmd, stdout, stderr := stepupd(t, []string{"STEPUP_KAFKA_BROKERS=" +
		strings.Join(brokers, ",")}, "demo", "--summary", summary, "--partitions", "2")
	if code := wait(t, cmd, 3*time.Minute); code != 0 {
		t.Fatalf("demo exited %d:\n%s", code, stderr)
	}
	if !strings.Contains(stdout.String(), "step-ups required") {
		t.Fatalf("no readable summary:\n%s", stdout)
	}
	if !strings.Contains(stderr.String(), "projection off") {
		t.Fatalf("demo does not say the projection is off:\n%s", stderr)
	}
	raw, err := os.ReadFile(summary)
	if err != nil {
		t.Fatal(err)
	}
	var got map[string]any
	if err := json.Unmarshal(raw, &got); err != nil {
		t.Fatal(err)
	}
	for _, key := range []string{"events_in", "dead_letters", "decisions", "stepup_required",
		"audit_records", "projected_rows", "elapsed_seconds", "signals"} {
		if _, ok := got[key]; !ok {
			t.Errorf("summary lacks %q: %s", key, raw)
		}
	}
	if got["projected_rows"] != nil {
		t.Errorf("projected_rows = %v without a database, want null", got["projected_rows"])
	}
	if got["events_in"].(float64) != 26 || got["dead_letters"].(float64) != 4 {
		t.Errorf("unexpected counts: %s", raw)
	}
}

func waitFor(t *testing.T, limit time.Duration, what string, ok func() bool) {
	t.Helper()
	deadline := time.Now().Add(limit)
	for !ok() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

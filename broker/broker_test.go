package broker_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/stepupauth/stepup/broker"
	"github.com/stepupauth/stepup/internal/testenv"
)

// deadAddr is a loopback port where nothing listens.
var deadAddr = []string{"127.0.0.1:1"}

func testCtx(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	t.Cleanup(cancel)
	return ctx
}

func TestEnsureTopicsCreatesAndIsIdempotent(t *testing.T) {
	t.Parallel()
	brokers := testenv.KafkaBrokers(t)
	ctx := testCtx(t)

	a := testenv.UniqueName("broker-test-a")
	b := testenv.UniqueName("broker-test-b")
	specs := []broker.TopicSpec{
		{Name: a, Partitions: 3, Config: map[string]string{"retention.ms": "3600000"}},
		{Name: b}, // defaults: one partition, one replica
	}

	for round := range 2 {
		if err := broker.EnsureTopics(ctx, brokers, specs); err != nil {
			t.Fatalf("round %d: EnsureTopics: %v", round, err)
		}
	}

	// A spec that disagrees with an existing topic leaves the topic alone.
	other := []broker.TopicSpec{{Name: a, Partitions: 8}}
	if err := broker.EnsureTopics(ctx, brokers, other); err != nil {
		t.Fatalf("EnsureTopics on existing topic: %v", err)
	}

	for name, want := range map[string]int{a: 3, b: 1} {
		got, err := broker.PartitionCount(ctx, brokers, name)
		if err != nil || got != want {
			t.Errorf("PartitionCount(%s) = %d, %v; want %d", name, got, err, want)
		}
	}
}

func TestEnsureTopicsRejectsBadSpecs(t *testing.T) {
	t.Parallel()

	tests := []struct {
		name  string
		specs []broker.TopicSpec
	}{
		{"empty name", []broker.TopicSpec{{Name: ""}}},
		{"repeated name", []broker.TopicSpec{{Name: "x"}, {Name: "x"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if err := broker.EnsureTopics(context.Background(), deadAddr, tt.specs); err == nil {
				t.Fatal("EnsureTopics accepted a bad spec")
			}
		})
	}
}

// TestEnsureTopicsFailsWhenCreationFails asks a one-node cluster for two
// replicas, which it must refuse.
func TestEnsureTopicsFailsWhenCreationFails(t *testing.T) {
	t.Parallel()
	brokers := testenv.KafkaBrokers(t)
	name := testenv.UniqueName("broker-test-rf2")

	start := time.Now()
	err := broker.EnsureTopics(testCtx(t), brokers,
		[]broker.TopicSpec{{Name: name, ReplicationFactor: 2}})
	if !errors.Is(err, broker.ErrTopicUnavailable) || !strings.Contains(err.Error(), name) {
		t.Fatalf("err = %v, want ErrTopicUnavailable naming the topic", err)
	}
	if elapsed := time.Since(start); elapsed > 10*time.Second {
		t.Errorf("took %v", elapsed)
	}
}

// TestUnreachableIsBounded checks that every call fails fast, with the
// sentinel errors, when no broker listens.
func TestUnreachableIsBounded(t *testing.T) {
	t.Parallel()

	tests := []struct {
		name string
		call func(context.Context) error
		want []error
	}{
		{"EnsureTopics", func(ctx context.Context) error {
			return broker.EnsureTopics(ctx, deadAddr, []broker.TopicSpec{{Name: "t"}})
		}, []error{broker.ErrTopicUnavailable, broker.ErrUnreachable}},
		{"PartitionCount", func(ctx context.Context) error {
			_, err := broker.PartitionCount(ctx, deadAddr, "t")
			return err
		}, []error{broker.ErrUnreachable}},
		{"CheckCopartitioned", func(ctx context.Context) error {
			return broker.CheckCopartitioned(ctx, deadAddr, "a", "b")
		}, []error{broker.ErrUnreachable}},
		{"Ping", func(ctx context.Context) error {
			return broker.Ping(ctx, deadAddr)
		}, []error{broker.ErrUnreachable}},
		{"Ping without brokers", func(ctx context.Context) error {
			return broker.Ping(ctx, nil)
		}, []error{broker.ErrNoBrokers}},
	}

	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()

			start := time.Now()
			err := tt.call(context.Background()) // no deadline: DefaultTimeout applies
			if elapsed := time.Since(start); elapsed > 10*time.Second {
				t.Errorf("took %v", elapsed)
			}
			for _, want := range tt.want {
				if !errors.Is(err, want) {
					t.Errorf("err = %v, want it to wrap %v", err, want)
				}
			}
		})
	}
}

func TestPartitionCountMissingTopic(t *testing.T) {
	t.Parallel()
	brokers := testenv.KafkaBrokers(t)

	_, err := broker.PartitionCount(testCtx(t), brokers, testenv.UniqueName("broker-test-missing"))
	if !errors.Is(err, broker.ErrTopicNotFound) {
		t.Fatalf("err = %v, want ErrTopicNotFound", err)
	}
}

func TestCheckCopartitioned(t *testing.T) {
	t.Parallel()
	brokers := testenv.KafkaBrokers(t)
	ctx := testCtx(t)

	four1 := testenv.UniqueName("broker-test-four")
	four2 := testenv.UniqueName("broker-test-four")
	eight := testenv.UniqueName("broker-test-eight")
	missing := testenv.UniqueName("broker-test-missing")
	err := broker.EnsureTopics(ctx, brokers, []broker.TopicSpec{
		{Name: four1, Partitions: 4}, {Name: four2, Partitions: 4}, {Name: eight, Partitions: 8},
	})
	if err != nil {
		t.Fatal(err)
	}

	tests := []struct {
		name     string
		topics   []string
		want     error
		wantText []string
	}{
		{"same counts", []string{four1, four2}, nil, nil},
		{"one topic", []string{eight}, nil, nil},
		{"no topic", nil, nil, nil},
		{"mismatch", []string{four1, four2, eight}, broker.ErrNotCopartitioned,
			[]string{"has 4 partitions", "has 8 partitions", eight}},
		{"missing", []string{four1, missing}, broker.ErrTopicNotFound, []string{missing}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()

			err := broker.CheckCopartitioned(ctx, brokers, tt.topics...)
			if !errors.Is(err, tt.want) || (tt.want == nil) != (err == nil) {
				t.Fatalf("err = %v, want %v", err, tt.want)
			}
			for _, text := range tt.wantText {
				if !strings.Contains(err.Error(), text) {
					t.Errorf("error %q does not mention %q", err, text)
				}
			}
		})
	}
}

func TestEmbedded(t *testing.T) {
	t.Parallel()

	e, err := broker.StartEmbedded(broker.EmbeddedOptions{})
	if err != nil {
		t.Fatal(err)
	}
	addrs := e.Addrs()
	if len(addrs) != 1 || !strings.HasPrefix(addrs[0], "127.0.0.1:") {
		t.Fatalf("Addrs() = %v, want one loopback address", addrs)
	}
	if err := broker.Ping(testCtx(t), addrs); err != nil {
		t.Fatalf("Ping: %v", err)
	}

	e.Close()
	e.Close() // safe twice

	if err := broker.Ping(testCtx(t), addrs); !errors.Is(err, broker.ErrUnreachable) {
		t.Fatalf("Ping after Close: %v, want ErrUnreachable", err)
	}
}

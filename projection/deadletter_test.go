package projection_test

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"sync"
	"testing"
	"time"

	"github.com/segmentio/kafka-go"

	"github.com/stepupauth/stepup/internal/testenv"
	"github.com/stepupauth/stepup/projection"
)

// letters collects what a DeadLetter callback receives. Its first call fails,
// as a dead-letter topic that is briefly unreachable would.
type letters struct {
	mu      sync.Mutex
	calls   int
	msgs    []kafka.Message
	reasons []error
}

func (l *letters) deadLetter(_ context.Context, m kafka.Message, reason error) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.calls++
	if l.calls == 1 {
		return errors.New("dead-letter topic unreachable")
	}
	l.msgs = append(l.msgs, m)
	l.reasons = append(l.reasons, reason)
	return nil
}

func (l *letters) count() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return len(l.msgs)
}

func TestProjectorRefusesPoisonAndGoesOn(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		callback bool
	}{
		{"dead-letter callback", true},
		{"no callback", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			testPoison(t, tt.callback)
		})
	}
}

func testPoison(t *testing.T, withCallback bool) {
	ctx := context.Background()
	brokers := testenv.KafkaBrokers(t)
	store := projection.NewStore(newPool(t, migratedDB(t)))
	topic := auditTopic(t, brokers, 1)
	group := testenv.UniqueName("projection-poison")
	logs := newLogRecorder(t)

	// One partition, so order is kept: each bad value sits between good ones.
	bad := poison(t)
	var msgs []kafka.Message
	var goodIDs []string
	for i := 0; i <= len(bad); i++ {
		rec := record(topic, i)
		goodIDs = append(goodIDs, rec.ID)
		msgs = append(msgs, auditMessage(rec, encode(t, rec)))
		if i < len(bad) {
			msgs = append(msgs, kafka.Message{
				Key: []byte("user-1"), Value: bad[i].value, Headers: bad[i].headers,
			})
		}
	}
	publish(t, brokers, topic, msgs...)

	var dl letters
	cfg := projection.Config{
		Brokers: brokers, Topic: topic, GroupID: group, BatchSize: 4,
		Logger: slog.New(logs),
	}
	if withCallback {
		cfg.DeadLetter = dl.deadLetter
	}
	p := startProjector(t, cfg, store)
	waitFor(t, 60*time.Second, "the good records", func() bool {
		return p.Projected() >= int64(len(goodIDs))
	})
	waitCommitted(t, brokers, topic, group)

	if n, err := store.CountIDs(ctx, goodIDs); err != nil || n != len(goodIDs) {
		t.Errorf("CountIDs(good) = %d, %v; want %d", n, err, len(goodIDs))
	}
	if n, err := store.Count(ctx); err != nil || n != int64(len(goodIDs)) {
		t.Errorf("Count = %d, %v; want only the %d good rows", n, err, len(goodIDs))
	}

	st := p.Stats()
	if !withCallback {
		if st.Skipped != int64(len(bad)) || st.DeadLettered != 0 {
			t.Errorf("stats = %+v, want %d skipped", st, len(bad))
		}
		dropped := logs.find(slog.LevelError, "audit record refused and dropped")
		if len(dropped) != len(bad) {
			t.Errorf("%d error logs for dropped records, want %d", len(dropped), len(bad))
		}
		return
	}

	if dl.count() != len(bad) || st.DeadLettered != int64(len(bad)) {
		t.Fatalf("%d records dead-lettered (stats %+v), want %d", dl.count(), st, len(bad))
	}
	for i, b := range bad {
		m, reason := dl.msgs[i], dl.reasons[i]
		if !bytes.Equal(m.Value, b.value) || m.Topic != topic || m.Offset != int64(2*i+1) {
			t.Errorf("%s: dead letter is %q at offset %d, want the original bytes at %d",
				b.name, m.Value, m.Offset, 2*i+1)
		}
		if !errors.Is(reason, b.want) {
			t.Errorf("%s: reason %v, want %v", b.name, reason, b.want)
		}
	}
	retries := logs.find(slog.LevelWarn, "dead-lettering audit record failed, will retry")
	if len(retries) != 1 {
		t.Errorf("%d dead-letter retry logs, want 1", len(retries))
	}
}

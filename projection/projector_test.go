package projection_test

import (
	"context"
	"testing"
	"time"

	"github.com/segmentio/kafka-go"

	"github.com/stepupauth/stepup/internal/testenv"
	"github.com/stepupauth/stepup/projection"
)

// running is a Projector whose Run goroutine the test controls.
type running struct {
	*projection.Projector
	cancel context.CancelFunc
	done   chan error
}

// startProjector runs a Projector with test-friendly timings until stop or
// the end of the test.
func startProjector(t testing.TB, cfg projection.Config, store *projection.Store) *running {
	t.Helper()
	setIfZero(&cfg.BatchWait, 50*time.Millisecond)
	setIfZero(&cfg.RetryInitial, 20*time.Millisecond)
	setIfZero(&cfg.RetryMax, 200*time.Millisecond)
	setIfZero(&cfg.SessionTimeout, 6*time.Second)
	p, err := projection.New(cfg, store)
	if err != nil {
		t.Fatalf("projection.New: %v", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	r := &running{Projector: p, cancel: cancel, done: make(chan error, 1)}
	go func() { r.done <- p.Run(ctx) }()
	t.Cleanup(func() { r.stop(t) })
	return r
}

// stop cancels Run and checks that it returns nil, and soon.
func (r *running) stop(t testing.TB) {
	t.Helper()
	if r.done == nil {
		return
	}
	start := time.Now()
	r.cancel()
	select {
	case err := <-r.done:
		if err != nil {
			t.Errorf("Run returned %v, want nil after cancel", err)
		}
		d := time.Since(start)
		if d > 5*time.Second {
			t.Errorf("Run took %v to return after cancel", d)
		}
		t.Logf("Run returned %v after cancel", d)
	case <-time.After(30 * time.Second):
		t.Errorf("Run did not return within 30s of cancel")
	}
	r.done = nil
}

func setIfZero(d *time.Duration, v time.Duration) {
	if *d == 0 {
		*d = v
	}
}

func TestProjectorEndToEnd(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	brokers := testenv.KafkaBrokers(t)
	pool := newPool(t, migratedDB(t))
	store := projection.NewStore(pool)
	topic := auditTopic(t, brokers, 3)
	group := testenv.UniqueName("projection-e2e")

	const distinct, repeats = 60, 15
	want := map[string]projection.Row{}
	var msgs []kafka.Message
	for i := range distinct {
		rec := record(topic, i)
		raw := encode(t, rec)
		row, err := projection.NewRow(rec, raw, topic, 0, 0)
		if err != nil {
			t.Fatal(err)
		}
		want[rec.ID] = row
		msgs = append(msgs, auditMessage(rec, raw))
	}
	// A redelivered input makes the processor write the same record again.
	msgs = append(msgs, msgs[:repeats]...)
	publish(t, brokers, topic, msgs...)

	p := startProjector(t, projection.Config{
		Brokers: brokers, Topic: topic, GroupID: group, BatchSize: 16,
		Logger: newLoggerFor(t),
	}, store)
	waitFor(t, 60*time.Second, "every record to be projected", func() bool {
		return p.Projected() >= int64(len(msgs))
	})

	if n, err := store.Count(ctx); err != nil || n != distinct {
		t.Errorf("Count = %d, %v; want %d", n, err, distinct)
	}
	for id, w := range want {
		got := readRow(t, ctx, pool, id)
		if got.Topic != topic || got.Offset < 0 || got.Partition < 0 || got.Partition > 2 {
			t.Errorf("row %s read from %s/%d@%d", id, got.Topic, got.Partition, got.Offset)
		}
		got.Partition, got.Offset = 0, 0
		if !sameRow(got, w) {
			t.Errorf("row %s differs\n got %+v\nwant %+v", id, got, w)
		}
	}

	waitCommitted(t, brokers, topic, group)
	st := p.Stats()
	if st.Inserted != distinct || st.Inserted+st.Duplicates != st.Projected ||
		st.Committed < int64(len(msgs)) || st.DeadLettered != 0 {
		t.Errorf("stats = %+v; want %d inserted, %d projected, all committed",
			st, distinct, len(msgs))
	}
	p.stop(t)
}

package projection

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"

	"github.com/segmentio/kafka-go"
)

// Projector copies the audit topic into a Store, batch by batch.
//
// For each batch it decodes every record, hands refused ones to
// Config.DeadLetter, writes the valid ones in one transaction, and only then
// commits the batch's offsets. While the database or the dead-letter callback
// fails it retries the same batch, never skipping ahead and never
// committing. Delivery is at-least-once: a batch read again after a crash,
// a shutdown or a rebalance is stored once, since rows are keyed by record
// id; a refused record may reach Config.DeadLetter more than once.
//
// Its counters (Stats, Projected) are safe to read from any goroutine.
type Projector struct {
	cfg   Config
	store *Store
	log   *slog.Logger
	count counters
}

// New returns a Projector that writes to store. It checks cfg and fills in
// its defaults; an invalid cfg gives an error wrapping ErrConfig. Nothing is
// contacted until Run.
func New(cfg Config, store *Store) (*Projector, error) {
	if store == nil {
		return nil, fmt.Errorf("%w: nil store", ErrConfig)
	}
	cfg, err := cfg.withDefaults()
	if err != nil {
		return nil, err
	}
	log := cfg.Logger.With("topic", cfg.Topic, "group_id", cfg.GroupID)
	return &Projector{cfg: cfg, store: store, log: log}, nil
}

// Run consumes the audit topic until ctx ends, then leaves the consumer group
// and returns nil. A batch in flight when ctx ends gets one more attempt at
// each of its remaining steps, without retries, each bounded by
// Config.AttemptTimeout. So it ends stored and committed, or not committed in
// Kafka and read again later; if only its Kafka commit failed, its rows are
// already stored and the redelivery stores nothing twice. Run returns an
// error only if the Kafka reader is closed under it.
//
// Run may be called again after it returns; each call joins the group anew.
func (p *Projector) Run(ctx context.Context) error {
	r := kafka.NewReader(p.cfg.readerConfig())
	defer func() {
		if err := r.Close(); err != nil {
			p.log.Warn("cannot close audit reader", "error", err)
		}
	}()
	p.log.Info("projector started", "batch_size", p.cfg.BatchSize)

	for {
		batch, err := p.fetchBatch(ctx, r)
		if ctx.Err() != nil {
			p.log.Info("projector stopping", "stats", p.Stats())
			return nil
		}
		if len(batch) > 0 {
			if err := p.handle(ctx, r, batch); err != nil {
				// handle gives up only when ctx has ended.
				p.log.Info("projector stopping", "stats", p.Stats())
				return nil
			}
		}
		if err != nil {
			if errors.Is(err, io.EOF) {
				return fmt.Errorf("audit reader closed: %w", err)
			}
			// kafka-go retries group and fetch errors itself; back off a
			// little so that a repeating one does not spin.
			p.log.Warn("cannot fetch audit records", "error", err)
			sleep(ctx, p.cfg.ReadBackoffMax)
		}
	}
}

// Stats returns a snapshot of the counters.
func (p *Projector) Stats() Stats { return p.count.snapshot() }

// Projected returns how many valid records the Projector has confirmed as
// stored, counting each delivery: a record read twice counts twice.
func (p *Projector) Projected() int64 { return p.count.projected.Load() }

package projection

import (
	"context"
	"time"

	"github.com/segmentio/kafka-go"

	"github.com/stepupauth/stepup/schemas"
)

// fetchBatch waits for one record, then collects more until the batch is full
// or BatchWait has passed since the first. It returns what it has with the
// error that stopped it, if any.
func (p *Projector) fetchBatch(ctx context.Context, r *kafka.Reader) ([]kafka.Message, error) {
	first, err := r.FetchMessage(ctx)
	if err != nil {
		return nil, err
	}
	batch := make([]kafka.Message, 1, p.cfg.BatchSize)
	batch[0] = first

	wait, cancel := context.WithTimeout(ctx, p.cfg.BatchWait)
	defer cancel()
	for len(batch) < p.cfg.BatchSize {
		m, err := r.FetchMessage(wait)
		if err != nil {
			if ctx.Err() == nil && wait.Err() != nil {
				break // the batch is due
			}
			return batch, err
		}
		batch = append(batch, m)
	}
	return batch, nil
}

// handle stores one batch and then commits its offsets. It returns an error
// only when ctx ends first.
func (p *Projector) handle(ctx context.Context, r *kafka.Reader, batch []kafka.Message) error {
	p.count.seen.Add(int64(len(batch)))
	rows := make([]Row, 0, len(batch))
	for _, m := range batch {
		row, err := DecodeMessage(m)
		if err == nil {
			rows = append(rows, row)
			continue
		}
		if err := p.refuse(ctx, m, err); err != nil {
			return err
		}
	}

	start := time.Now()
	var inserted int
	err := p.retry(ctx, "writing audit rows", func(actx context.Context) error {
		var err error
		inserted, err = p.store.InsertBatch(actx, rows)
		return err
	}, "records", len(rows))
	if err != nil {
		return err
	}
	p.count.inserted.Add(int64(inserted))
	p.count.duplicates.Add(int64(len(rows) - inserted))
	p.count.projected.Add(int64(len(rows)))

	if err := p.commit(ctx, r, batch); err != nil {
		return err
	}
	p.log.Debug("audit batch projected", "records", len(batch), "inserted", inserted,
		"duplicates", len(rows)-inserted, "duration", time.Since(start))
	return nil
}

// refuse hands a record that cannot be projected to the dead-letter callback,
// or logs and drops it when there is none.
func (p *Projector) refuse(ctx context.Context, m kafka.Message, reason error) error {
	attrs := []any{"partition", m.Partition, "offset", m.Offset,
		"reason_code", schemas.ReasonCode(reason), "error", reason}
	if p.cfg.DeadLetter == nil {
		p.log.Error("audit record refused and dropped", attrs...)
		p.count.skipped.Add(1)
		return nil
	}

	err := p.retry(ctx, "dead-lettering audit record", func(actx context.Context) error {
		return p.cfg.DeadLetter(actx, m, reason)
	}, "partition", m.Partition, "offset", m.Offset)
	if err != nil {
		return err
	}
	p.log.Warn("audit record refused and dead-lettered", attrs...)
	p.count.deadLettered.Add(1)
	return nil
}

// commit commits the batch's offsets, which CommitMessages does
// synchronously since the reader has no CommitInterval.
func (p *Projector) commit(ctx context.Context, r *kafka.Reader, batch []kafka.Message) error {
	err := p.retry(ctx, "committing audit offsets", func(actx context.Context) error {
		return r.CommitMessages(actx, batch...)
	}, "records", len(batch))
	if err != nil {
		return err
	}
	p.count.committed.Add(int64(len(batch)))
	return nil
}

func sleep(ctx context.Context, d time.Duration) {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
	case <-t.C:
	}
}

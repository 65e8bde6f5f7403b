package projection

import (
	"log/slog"
	"sync/atomic"
)

// Stats is a snapshot of a Projector's counters since it was created. Each
// counter is read atomically, but the snapshot as a whole is not: counters
// may come from slightly different moments.
type Stats struct {
	// Seen counts records taken into a batch, redeliveries included. A
	// batch cut short by shutdown before its handling began is not counted.
	Seen int64

	// Inserted counts rows that were new when written.
	Inserted int64

	// Duplicates counts valid records whose row was already stored or
	// repeated an earlier record of the same batch.
	Duplicates int64

	// DeadLettered counts records handed to Config.DeadLetter.
	DeadLettered int64

	// Skipped counts refused records dropped because Config.DeadLetter is
	// nil.
	Skipped int64

	// Projected counts valid records whose row is known to be stored:
	// Inserted plus Duplicates.
	Projected int64

	// Committed counts records whose offset commit the broker confirmed,
	// refused ones included.
	Committed int64
}

// LogValue logs the counters as a group with snake_case keys.
func (s Stats) LogValue() slog.Value {
	return slog.GroupValue(
		slog.Int64("seen", s.Seen),
		slog.Int64("inserted", s.Inserted),
		slog.Int64("duplicates", s.Duplicates),
		slog.Int64("dead_lettered", s.DeadLettered),
		slog.Int64("skipped", s.Skipped),
		slog.Int64("projected", s.Projected),
		slog.Int64("committed", s.Committed),
	)
}

type counters struct {
	seen, inserted, duplicates, deadLettered, skipped, projected, committed atomic.Int64
}

func (c *counters) snapshot() Stats {
	return Stats{
		Seen:         c.seen.Load(),
		Inserted:     c.inserted.Load(),
		Duplicates:   c.duplicates.Load(),
		DeadLettered: c.deadLettered.Load(),
		Skipped:      c.skipped.Load(),
		Projected:    c.projected.Load(),
		Committed:    c.committed.Load(),
	}
}

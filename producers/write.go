package producers

import (
	"context"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/segmentio/kafka-go"

	"github.com/stepupauth/stepup/broker"
)

// write hands records to the writer. When the writer reports an unknown
// topic, it checks with the cluster, since the writer's cached metadata may
// predate the topic, and tries again with fresh metadata until ctx ends.
func (p *Publisher) write(ctx context.Context, topic string, records []kafka.Message) error {
	for attempt := 0; ; attempt++ {
		err := p.writer.WriteMessages(ctx, records...)
		if !errors.Is(err, kafka.UnknownTopicOrPartition) {
			return writeError(err)
		}

		if _, cerr := broker.PartitionCount(ctx, p.cfg.Brokers, topic); cerr != nil {
			if errors.Is(cerr, broker.ErrTopicNotFound) {
				return fmt.Errorf("%w: %w", ErrUnknownTopic, err)
			}
			return fmt.Errorf("%w: %w (checking the topic: %w)", ErrUnknownTopic, err, cerr)
		}
		p.refreshMetadata()

		select {
		case <-ctx.Done():
			return fmt.Errorf("%w: %w", ErrUnknownTopic, err)
		case <-time.After(retryDelay(attempt)):
		}
	}
}

// refreshMetadata drops the writer's connection pool, and with it the
// cached metadata, at most every minRefresh.
func (p *Publisher) refreshMetadata() {
	const minRefresh = 100 * time.Millisecond

	p.refreshMu.Lock()
	defer p.refreshMu.Unlock()

	if time.Since(p.lastRefresh) < minRefresh {
		return
	}
	p.lastRefresh = time.Now()
	p.transport.CloseIdleConnections()
}

// retryDelay is the pause before the attempt after attempt: 20 ms doubling
// up to 500 ms.
func retryDelay(attempt int) time.Duration {
	d := 20 * time.Millisecond << min(attempt, 5)
	return min(d, 500*time.Millisecond)
}

// writeError makes kafka-go's error testable with errors.Is: a WriteErrors
// list becomes a count and the join of its distinct errors.
func writeError(err error) error {
	if errors.Is(err, io.ErrClosedPipe) {
		return fmt.Errorf("%w: %w", ErrPublisherClosed, err)
	}

	var werr kafka.WriteErrors
	if !errors.As(err, &werr) {
		return err
	}

	seen := make(map[string]bool)
	var distinct []error
	for _, e := range werr {
		if e != nil && !seen[e.Error()] {
			seen[e.Error()] = true
			distinct = append(distinct, e)
		}
	}
	return fmt.Errorf("%d of %d messages not acknowledged: %w",
		werr.Count(), len(werr), errors.Join(distinct...))
}

package broker

import (
	"context"
	"fmt"
	"time"

	"github.com/segmentio/kafka-go"
)

// readyPoll is the pause between two checks that created topics have leaders.
const readyPoll = 100 * time.Millisecond

// waitReady polls the cluster until each topic of names has a leader for each
// partition, or ctx ends.
func waitReady(ctx context.Context, brokers []string, names []string) error {
	for {
		res, err := freshMetadata(ctx, brokers, names)
		if err == nil {
			if err = notReady(names, topicsByName(res)); err == nil {
				return nil
			}
		}
		if permanent(err) {
			return fmt.Errorf("topics %q not ready: %w: %w", names, ErrTopicUnavailable, err)
		}

		select {
		case <-ctx.Done():
			return fmt.Errorf("topics %q not ready: %w: %w", names, ErrTopicUnavailable, err)
		case <-time.After(readyPoll):
		}
	}
}

// notReady returns why one of names lacks a leader for a partition, or nil.
func notReady(names []string, known map[string]kafka.Topic) error {
	for _, name := range names {
		t, found := known[name]
		if _, err := partitionCount(name, t, found); err != nil {
			return err
		}
		if len(t.Partitions) == 0 {
			return fmt.Errorf("topic %q has no partitions yet", name)
		}
		for _, p := range t.Partitions {
			if p.Error != nil || p.Leader.Host == "" {
				return fmt.Errorf("topic %q partition %d has no leader: %v", name, p.ID, p.Error)
			}
		}
	}
	return nil
}

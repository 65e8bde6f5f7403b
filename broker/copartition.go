package broker

import (
	"context"
	"fmt"
	"strings"
)

// CheckCopartitioned returns nil when all topics exist and have the same
// number of partitions, which is what reading them side by side by key
// needs: a key maps to the same partition number in each of them.
//
// Otherwise the error wraps [ErrTopicNotFound] for a missing topic, or
// [ErrNotCopartitioned] and names each topic with its count. Fewer than two
// topics are trivially co-partitioned once they exist. The call is bounded by
// ctx, or by [DefaultTimeout] when ctx has no deadline.
func CheckCopartitioned(ctx context.Context, brokers []string, topics ...string) error {
	if len(topics) == 0 {
		return nil
	}

	ctx, cancel := bounded(ctx)
	defer cancel()

	res, err := freshMetadata(ctx, brokers, topics)
	if err != nil {
		return err
	}
	byName := topicsByName(res)

	counts := make([]int, len(topics))
	for i, name := range topics {
		t, found := byName[name]
		if counts[i], err = partitionCount(name, t, found); err != nil {
			return err
		}
	}

	for _, n := range counts[1:] {
		if n != counts[0] {
			return fmt.Errorf("%w: %s", ErrNotCopartitioned, describeCounts(topics, counts))
		}
	}
	return nil
}

// describeCounts renders topics and their partition counts for an error.
func describeCounts(topics []string, counts []int) string {
	parts := make([]string, len(topics))
	for i, name := range topics {
		parts[i] = fmt.Sprintf("%q has %d partitions", name, counts[i])
	}
	return strings.Join(parts, ", ")
}

package demo

import (
	"context"
	"fmt"
	"time"

	"github.com/segmentio/kafka-go"
)

// backlog returns how many records of topics the group has not committed yet:
// the sum over partitions of the end offset less the committed one. A
// partition the group never committed counts from offset 0, which suits the
// fresh topics a demo runs on.
func backlog(ctx context.Context, brokers []string, group string, topics []string) (int64,
	error) {
	client := &kafka.Client{Addr: kafka.TCP(brokers...), Timeout: 10 * time.Second}
	meta, err := client.Metadata(ctx, &kafka.MetadataRequest{Topics: topics})
	if err != nil {
		return 0, fmt.Errorf("cannot read topic metadata: %w", err)
	}
	parts := map[string][]int{}
	last := map[string][]kafka.OffsetRequest{}
	for _, t := range meta.Topics {
		if t.Error != nil {
			return 0, fmt.Errorf("topic %s: %w", t.Name, t.Error)
		}
		for _, p := range t.Partitions {
			parts[t.Name] = append(parts[t.Name], p.ID)
			last[t.Name] = append(last[t.Name], kafka.LastOffsetOf(p.ID))
		}
	}

	ends, err := listOffsets(ctx, client, last)
	if err != nil {
		return 0, err
	}
	committed, err := client.OffsetFetch(ctx, &kafka.OffsetFetchRequest{GroupID: group,
		Topics: parts})
	if err != nil {
		return 0, fmt.Errorf("cannot read committed offsets: %w", err)
	}
	if committed.Error != nil {
		return 0, fmt.Errorf("cannot read committed offsets: %w", committed.Error)
	}

	var total int64
	for topic, ps := range parts {
		done := map[int]int64{}
		for _, c := range committed.Topics[topic] {
			done[c.Partition] = c.CommittedOffset
		}
		for _, p := range ps {
			pos, ok := done[p]
			if !ok || pos < 0 {
				pos = 0
			}
			if lag := ends[topicPartition{topic, p}] - pos; lag > 0 {
				total += lag
			}
		}
	}
	return total, nil
}

type topicPartition struct {
	topic     string
	partition int
}

func listOffsets(ctx context.Context, client *kafka.Client,
	req map[string][]kafka.OffsetRequest) (map[topicPartition]int64, error) {
	res, err := client.ListOffsets(ctx, &kafka.ListOffsetsRequest{Topics: req})
	if err != nil {
		return nil, fmt.Errorf("cannot list offsets: %w", err)
	}
	out := map[topicPartition]int64{}
	for topic, ps := range res.Topics {
		for _, p := range ps {
			if p.Error != nil {
				return nil, fmt.Errorf("cannot list offsets of %s/%d: %w", topic, p.Partition,
					p.Error)
			}
			out[topicPartition{topic, p.Partition}] = p.LastOffset
		}
	}
	return out, nil
}

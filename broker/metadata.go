package broker

import (
	"context"
	"errors"
	"fmt"

	"github.com/segmentio/kafka-go"
)

// freshMetadata reads the metadata of topics (of every topic when topics is
// empty) over a transport of its own, so that no cache hides a recent
// change. Its error wraps [ErrUnreachable] when no broker answered.
func freshMetadata(
	ctx context.Context, brokers []string, topics []string,
) (*kafka.MetadataResponse, error) {
	if len(brokers) == 0 {
		return nil, ErrNoBrokers
	}

	transport := &kafka.Transport{DialTimeout: dialTimeout, MetadataTopics: topics}
	defer transport.CloseIdleConnections()

	client := &kafka.Client{Addr: kafka.TCP(brokers...), Transport: transport}
	res, err := client.Metadata(ctx, &kafka.MetadataRequest{Topics: topics})
	if err != nil {
		return nil, fmt.Errorf("%w at %v: %w", ErrUnreachable, brokers, err)
	}

	return res, nil
}

// topicsByName indexes the topics of res by name.
func topicsByName(res *kafka.MetadataResponse) map[string]kafka.Topic {
	out := make(map[string]kafka.Topic, len(res.Topics))
	for _, t := range res.Topics {
		out[t.Name] = t
	}
	return out
}

// partitionCount returns the partition count of topic t, or an error
// wrapping [ErrTopicNotFound] when the cluster does not know it.
func partitionCount(name string, t kafka.Topic, found bool) (int, error) {
	if !found || errors.Is(t.Error, kafka.UnknownTopicOrPartition) {
		return 0, fmt.Errorf("%w: %q", ErrTopicNotFound, name)
	}
	if t.Error != nil {
		return 0, fmt.Errorf("cannot read metadata of topic %q: %w", name, t.Error)
	}
	return len(t.Partitions), nil
}

// PartitionCount returns the number of partitions of topic.
//
// The error wraps [ErrTopicNotFound] when the topic does not exist and
// [ErrUnreachable] when no broker answered. The call is bounded by ctx, or by
// [DefaultTimeout] when ctx has no deadline.
func PartitionCount(ctx context.Context, brokers []string, topic string) (int, error) {
	ctx, cancel := bounded(ctx)
	defer cancel()

	res, err := freshMetadata(ctx, brokers, []string{topic})
	if err != nil {
		return 0, err
	}

	t, found := topicsByName(res)[topic]
	return partitionCount(topic, t, found)
}

package broker

import (
	"context"
	"errors"
	"fmt"
	"log/slog"

	"github.com/segmentio/kafka-go"
)

// TopicSpec describes a topic that [EnsureTopics] creates when it is missing.
type TopicSpec struct {
	// Name of the topic; required.
	Name string

	// Partitions is the partition count; zero or less means 1.
	Partitions int

	// ReplicationFactor is the number of replicas of each partition; zero
	// or less means 1, which suits a single broker.
	ReplicationFactor int

	// Config holds topic-level settings such as "retention.ms".
	Config map[string]string
}

// EnsureTopics creates the topics of specs that do not exist yet and returns
// once every topic of specs has a leader for each of its partitions.
//
// Existing topics are left as they are, even when their partition count or
// settings differ from the spec: use [CheckCopartitioned] or
// [PartitionCount] to verify them. A topic created concurrently by another
// client counts as existing. EnsureTopics is therefore idempotent and safe to
// run from several processes at once.
//
// The error wraps [ErrTopicUnavailable] and names the topics when a topic
// cannot be created or gets no leader in time; it also wraps
// [ErrUnreachable] when no broker answered. The call is bounded by ctx, or by
// [DefaultTimeout] when ctx has no deadline.
func EnsureTopics(ctx context.Context, brokers []string, specs []TopicSpec) error {
	names, err := specNames(specs)
	if err != nil || len(names) == 0 {
		return err
	}

	ctx, cancel := bounded(ctx)
	defer cancel()

	res, err := freshMetadata(ctx, brokers, names)
	if err != nil {
		return fmt.Errorf("cannot ensure topics %q: %w: %w", names, ErrTopicUnavailable, err)
	}

	missing, err := missingSpecs(specs, topicsByName(res))
	if err != nil {
		return err
	}
	if len(missing) > 0 {
		if err := createTopics(ctx, brokers, missing); err != nil {
			return err
		}
	}

	return waitReady(ctx, brokers, names)
}

// specNames returns the names of specs, or an error for an empty or
// repeated name.
func specNames(specs []TopicSpec) ([]string, error) {
	names := make([]string, 0, len(specs))
	seen := make(map[string]bool, len(specs))
	for _, s := range specs {
		if s.Name == "" {
			return nil, errors.New("topic spec without a name")
		}
		if seen[s.Name] {
			return nil, fmt.Errorf("topic %q is specified twice", s.Name)
		}
		seen[s.Name] = true
		names = append(names, s.Name)
	}
	return names, nil
}

// missingSpecs returns the specs whose topic is not in known, or an error
// when the cluster reports a permanent problem with a topic (an invalid
// name, for one).
func missingSpecs(specs []TopicSpec, known map[string]kafka.Topic) ([]TopicSpec, error) {
	var missing []TopicSpec
	for _, s := range specs {
		t, found := known[s.Name]
		_, err := partitionCount(s.Name, t, found)
		switch {
		case errors.Is(err, ErrTopicNotFound):
			missing = append(missing, s)
		case permanent(err):
			return nil, fmt.Errorf("cannot ensure topic %q: %w: %w",
				s.Name, ErrTopicUnavailable, err)
		}
	}
	return missing, nil
}

// permanent reports whether err holds a Kafka error code that retrying will
// not clear.
func permanent(err error) bool {
	var kerr kafka.Error
	return errors.As(err, &kerr) && !kerr.Temporary()
}

// createTopics asks the cluster to create specs. A topic that exists by now
// is not an error.
func createTopics(ctx context.Context, brokers []string, specs []TopicSpec) error {
	configs := make([]kafka.TopicConfig, len(specs))
	names := make([]string, len(specs))
	for i, s := range specs {
		configs[i] = topicConfig(s)
		names[i] = s.Name
	}

	transport := &kafka.Transport{DialTimeout: dialTimeout, MetadataTopics: names}
	defer transport.CloseIdleConnections()

	client := &kafka.Client{Addr: kafka.TCP(brokers...), Transport: transport}
	res, err := client.CreateTopics(ctx, &kafka.CreateTopicsRequest{Topics: configs})
	if err != nil {
		return fmt.Errorf("cannot create topics %q: %w: %w", names, ErrTopicUnavailable, err)
	}

	var failed []error
	for i, s := range specs {
		err := res.Errors[s.Name]
		switch {
		case err == nil:
			slog.Info("kafka topic created",
				"topic", s.Name, "partitions", configs[i].NumPartitions)
		case errors.Is(err, kafka.TopicAlreadyExists):
		default:
			failed = append(failed, fmt.Errorf("topic %q: %w", s.Name, err))
		}
	}
	if len(failed) > 0 {
		return fmt.Errorf("cannot create topics: %w: %w",
			ErrTopicUnavailable, errors.Join(failed...))
	}

	return nil
}

// topicConfig maps s to kafka-go's request form, applying the defaults.
func topicConfig(s TopicSpec) kafka.TopicConfig {
	c := kafka.TopicConfig{
		Topic:             s.Name,
		NumPartitions:     max(s.Partitions, 1),
		ReplicationFactor: max(s.ReplicationFactor, 1),
	}
	for name, value := range s.Config {
		c.ConfigEntries = append(c.ConfigEntries, kafka.ConfigEntry{
			ConfigName:  name,
			ConfigValue: value,
		})
	}
	return c
}

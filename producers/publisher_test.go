package producers_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/ThreeDotsLabs/watermill"
	"github.com/ThreeDotsLabs/watermill/message"

	"github.com/stepupauth/stepup/broker"
	"github.com/stepupauth/stepup/internal/testenv"
	"github.com/stepupauth/stepup/kafkamsg"
	"github.com/stepupauth/stepup/producers"
)

func newPublisher(t *testing.T, brokers []string) *producers.Publisher {
	t.Helper()

	pub, err := producers.NewPublisher(producers.Config{Brokers: brokers})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = pub.Close() })
	return pub
}

func ensureTopic(t *testing.T, brokers []string, partitions int) string {
	t.Helper()

	name := testenv.UniqueName("producers-test")
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	spec := broker.TopicSpec{Name: name, Partitions: partitions}
	if err := broker.EnsureTopics(ctx, brokers, []broker.TopicSpec{spec}); err != nil {
		t.Fatal(err)
	}
	return name
}

func newMessage() *message.Message {
	return message.NewMessage(watermill.NewUUID(), []byte("x"))
}

func TestNewPublisherNeedsBrokers(t *testing.T) {
	t.Parallel()

	if _, err := producers.NewPublisher(producers.Config{}); err == nil {
		t.Fatal("NewPublisher accepted a config without brokers")
	}
}

// TestPublishFailureIsBounded checks that Publish fails with a clear error,
// and fast, when the topic is missing or no broker listens.
func TestPublishFailureIsBounded(t *testing.T) {
	t.Parallel()
	brokers := testenv.KafkaBrokers(t)

	tests := []struct {
		name    string
		brokers []string
		topic   string
		want    error
	}{
		{
			"missing topic", brokers, testenv.UniqueName("producers-missing"),
			producers.ErrUnknownTopic,
		},
		{"dead broker", []string{"127.0.0.1:1"}, "any", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			pub := newPublisher(t, tt.brokers)

			start := time.Now()
			err := pub.Publish(tt.topic, newMessage())
			if err == nil || !errors.Is(err, tt.want) && tt.want != nil {
				t.Fatalf("err = %v, want %v", err, tt.want)
			}
			if elapsed := time.Since(start); elapsed > 10*time.Second {
				t.Errorf("took %v", elapsed)
			}
			t.Logf("error: %v", err)
		})
	}
}

// TestPublishToNewTopic checks that a topic created after the publisher
// cached the cluster's metadata can be written to at once.
func TestPublishToNewTopic(t *testing.T) {
	t.Parallel()
	brokers := testenv.KafkaBrokers(t)
	pub := newPublisher(t, brokers)

	if err := pub.Publish(ensureTopic(t, brokers, 1), newMessage()); err != nil {
		t.Fatalf("first topic: %v", err)
	}
	if err := pub.Publish(ensureTopic(t, brokers, 2), newMessage(), newMessage()); err != nil {
		t.Fatalf("topic created later: %v", err)
	}
}

func TestPublishAfterClose(t *testing.T) {
	t.Parallel()
	brokers := testenv.KafkaBrokers(t)
	pub := newPublisher(t, brokers)
	topic := ensureTopic(t, brokers, 1)

	if err := pub.Publish(topic); err != nil {
		t.Fatalf("publishing nothing: %v", err)
	}
	if err := pub.Close(); err != nil {
		t.Fatal(err)
	}
	if err := pub.Close(); err != nil {
		t.Fatalf("second Close: %v", err)
	}
	if err := pub.Publish(topic, newMessage()); !errors.Is(err, producers.ErrPublisherClosed) {
		t.Fatalf("err = %v, want ErrPublisherClosed", err)
	}
}

func TestSetKey(t *testing.T) {
	t.Parallel()

	msg := producers.SetKey(newMessage(), "user-1")
	if got := msg.Metadata.Get(kafkamsg.MetadataKey); got != "user-1" {
		t.Fatalf("key %q, want user-1", got)
	}
	producers.SetKey(msg, "")
	if _, ok := msg.Metadata[kafkamsg.MetadataKey]; ok {
		t.Fatal("empty key did not remove the key")
	}
}

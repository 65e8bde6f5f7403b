package consumers_test

import (
	"context"
	"strconv"
	"testing"
	"time"

	"github.com/ThreeDotsLabs/watermill"
	"github.com/ThreeDotsLabs/watermill/message"

	"github.com/stepupauth/stepup/broker"
	"github.com/stepupauth/stepup/consumers"
	"github.com/stepupauth/stepup/internal/testenv"
	"github.com/stepupauth/stepup/producers"
)

// receiveTimeout bounds the wait for one message, group join included.
const receiveTimeout = 30 * time.Second

// fixture is a topic with a publisher, on the test broker.
type fixture struct {
	brokers []string
	topic   string
	pub     *producers.Publisher
}

func newFixture(t *testing.T, partitions int) fixture {
	t.Helper()
	brokers := testenv.KafkaBrokers(t)
	topic := testenv.UniqueName("consumers-test")

	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	spec := broker.TopicSpec{Name: topic, Partitions: partitions}
	if err := broker.EnsureTopics(ctx, brokers, []broker.TopicSpec{spec}); err != nil {
		t.Fatal(err)
	}

	pub, err := producers.NewPublisher(producers.Config{Brokers: brokers, Logger: testLogger})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = pub.Close() })

	return fixture{brokers: brokers, topic: topic, pub: pub}
}

// publish publishes one message per key (no key when empty) and returns
// them.
func (f fixture) publish(t *testing.T, keys ...string) []*message.Message {
	t.Helper()

	msgs := make([]*message.Message, len(keys))
	for i, key := range keys {
		msgs[i] = message.NewMessage(watermill.NewUUID(), []byte("payload-"+strconv.Itoa(i)))
		msgs[i].Metadata.Set("ce_type", "test.event")
		producers.SetKey(msgs[i], key)
	}
	if err := f.pub.Publish(f.topic, msgs...); err != nil {
		t.Fatal(err)
	}
	return msgs
}

// subscribe starts a subscriber of group on the fixture's topic.
func (f fixture) subscribe(
	t *testing.T, group string, edit func(*consumers.Config),
) (*consumers.Subscriber, <-chan *message.Message) {
	t.Helper()

	cfg := testSubscriberConfig(f.brokers, group)
	if edit != nil {
		edit(&cfg)
	}
	sub, err := consumers.NewSubscriber(cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = sub.Close() })

	ch, err := sub.Subscribe(context.Background(), f.topic)
	if err != nil {
		t.Fatal(err)
	}
	return sub, ch
}

func receive(t *testing.T, ch <-chan *message.Message) *message.Message {
	t.Helper()

	select {
	case msg, ok := <-ch:
		if !ok {
			t.Fatal("channel closed")
		}
		return msg
	case <-time.After(receiveTimeout):
		t.Fatal("no message received")
	}
	return nil
}

func assertSame(t *testing.T, got, want *message.Message) {
	t.Helper()

	if got.UUID != want.UUID || string(got.Payload) != string(want.Payload) {
		t.Fatalf("got %s %q, want %s %q", got.UUID, got.Payload, want.UUID, want.Payload)
	}
}

package consumers_test

import (
	"context"
	"errors"
	"maps"
	"testing"
	"time"

	"github.com/ThreeDotsLabs/watermill/message"
	"github.com/segmentio/kafka-go"

	"github.com/stepupauth/stepup/consumers"
	"github.com/stepupauth/stepup/internal/testenv"
	"github.com/stepupauth/stepup/kafkamsg"
)

func TestNackRedeliversTheSameMessage(t *testing.T) {
	t.Parallel()
	f := newFixture(t, 1)
	sent := f.publish(t, "user-1", "user-1")
	_, ch := f.subscribe(t, testenv.UniqueName("consumers-test"), nil)

	first := receive(t, ch)
	assertSame(t, first, sent[0])
	for range 3 {
		first.Nack()

		again := receive(t, ch)
		assertSame(t, again, sent[0])
		if !maps.Equal(again.Metadata, first.Metadata) {
			t.Fatalf("metadata %v, want %v", again.Metadata, first.Metadata)
		}
		first = again
	}
	first.Ack()

	assertSame(t, receive(t, ch), sent[1])
}

// TestOffsetCommittedOnlyAfterAck checks, across members of one group, that
// an un-acked message goes to the next member and an acked one does not.
func TestOffsetCommittedOnlyAfterAck(t *testing.T) {
	t.Parallel()
	f := newFixture(t, 1)
	sent := f.publish(t, "", "", "")
	group := testenv.UniqueName("consumers-test")

	// The first member receives the first message and closes without an ack.
	sub, ch := f.subscribe(t, group, nil)
	msg := receive(t, ch)
	assertSame(t, msg, sent[0])
	if err := sub.Close(); err != nil {
		t.Fatal(err)
	}
	if _, open := <-ch; open {
		t.Fatal("channel open after Close")
	}
	select {
	case <-msg.Context().Done():
	default:
		t.Fatal("message context not cancelled by Close")
	}

	// The next member gets it again, acks it, and closes in flight on the
	// second.
	sub, ch = f.subscribe(t, group, nil)
	msg = receive(t, ch)
	assertSame(t, msg, sent[0])
	msg.Ack()
	assertSame(t, receive(t, ch), sent[1])
	if err := sub.Close(); err != nil {
		t.Fatal(err)
	}

	// The third member starts after the acked message.
	_, ch = f.subscribe(t, group, nil)
	msg = receive(t, ch)
	assertSame(t, msg, sent[1])
	msg.Ack()
	assertSame(t, receive(t, ch), sent[2])
}

// TestSubscribeContextCancel checks that cancelling the Subscribe context
// closes the channel and commits nothing for the message in flight.
func TestSubscribeContextCancel(t *testing.T) {
	t.Parallel()
	f := newFixture(t, 1)
	sent := f.publish(t, "")
	group := testenv.UniqueName("consumers-test")

	sub, err := consumers.NewSubscriber(testSubscriberConfig(f.brokers, group))
	if err != nil {
		t.Fatal(err)
	}
	defer sub.Close()

	ctx, cancel := context.WithCancel(context.Background())
	ch, err := sub.Subscribe(ctx, f.topic)
	if err != nil {
		t.Fatal(err)
	}
	assertSame(t, receive(t, ch), sent[0])
	cancel()
	for range ch { // drains until closed
	}

	ch, err = sub.Subscribe(context.Background(), f.topic)
	if err != nil {
		t.Fatal(err)
	}
	assertSame(t, receive(t, ch), sent[0])
}

// TestUnmarshalErrorSkipsRecord checks that a record the Unmarshaler rejects
// is skipped and committed instead of stalling its partition.
func TestUnmarshalErrorSkipsRecord(t *testing.T) {
	t.Parallel()
	f := newFixture(t, 1)
	sent := f.publish(t, "", "")
	reject := consumers.UnmarshalerFunc(func(r kafka.Message) (*message.Message, error) {
		if string(r.Value) == string(sent[0].Payload) {
			return nil, errors.New("undecodable")
		}
		return kafkamsg.Unmarshal(r)
	})
	group := testenv.UniqueName("consumers-test")

	sub, ch := f.subscribe(t, group, func(c *consumers.Config) { c.Unmarshaler = reject })
	msg := receive(t, ch)
	assertSame(t, msg, sent[1])
	msg.Ack()
	if err := sub.Close(); err != nil {
		t.Fatal(err)
	}

	later := f.publish(t, "")
	_, ch = f.subscribe(t, group, nil)
	assertSame(t, receive(t, ch), later[0])
}

// TestLastOffset checks that a new group with LastOffset skips the history.
func TestLastOffset(t *testing.T) {
	t.Parallel()
	f := newFixture(t, 1)
	old := f.publish(t, "")
	_, ch := f.subscribe(t, testenv.UniqueName("consumers-test"), func(c *consumers.Config) {
		c.InitialOffset = consumers.LastOffset
	})

	// The group's start is not observable, so publish until a message
	// arrives: it must not be the old one.
	deadline := time.After(receiveTimeout)
	for {
		f.publish(t, "")
		select {
		case msg := <-ch:
			if msg.UUID == old[0].UUID {
				t.Fatal("LastOffset delivered a message published before the group started")
			}
			msg.Ack()
			return
		case <-time.After(200 * time.Millisecond):
		case <-deadline:
			t.Fatal("no message received")
		}
	}
}

package consumers_test

import (
	"context"
	"strconv"
	"testing"

	"github.com/ThreeDotsLabs/watermill/message"
	"github.com/segmentio/kafka-go"

	"github.com/stepupauth/stepup/consumers"
	"github.com/stepupauth/stepup/internal/testenv"
	"github.com/stepupauth/stepup/kafkamsg"
)

// TestReceivedMessage checks the mapping end to end through the broker: key,
// headers, UUID, receive-side metadata, the partition chosen for a key, and
// the record coordinates in the message context.
func TestReceivedMessage(t *testing.T) {
	t.Parallel()
	const partitions = 4
	f := newFixture(t, partitions)
	keys := []string{"user-1", "user-2", "user-3", "user-4", "user-5"}
	sent := f.publish(t, keys...)
	_, ch := f.subscribe(t, testenv.UniqueName("consumers-test"), nil)

	byID := make(map[string]int, len(sent))
	for i, msg := range sent {
		byID[msg.UUID] = i
	}

	for range sent {
		got := receive(t, ch)
		i, ok := byID[got.UUID]
		if !ok {
			t.Fatalf("unexpected message %s", got.UUID)
		}
		assertSame(t, got, sent[i])

		want := wantPartition(keys[i], partitions)
		checkMetadata(t, got, map[string]string{
			"ce_id":                    sent[i].UUID,
			"ce_type":                  "test.event",
			kafkamsg.MetadataKey:       keys[i],
			kafkamsg.MetadataTopic:     f.topic,
			kafkamsg.MetadataPartition: strconv.Itoa(want),
		})
		checkContext(t, got)
		got.Ack()
	}
}

// wantPartition is the partition the Java client picks for key: murmur2 of
// the key, positive, modulo the count.
func wantPartition(key string, partitions int) int {
	ids := make([]int, partitions)
	for i := range ids {
		ids[i] = i
	}
	return kafka.Murmur2Balancer{}.Balance(kafka.Message{Key: []byte(key)}, ids...)
}

func checkMetadata(t *testing.T, msg *message.Message, want map[string]string) {
	t.Helper()

	for k, v := range want {
		if got := msg.Metadata.Get(k); got != v {
			t.Errorf("metadata %s = %q, want %q", k, got, v)
		}
	}
}

func checkContext(t *testing.T, msg *message.Message) {
	t.Helper()

	ctx := msg.Context()
	topic, ok1 := consumers.TopicFromCtx(ctx)
	partition, ok2 := consumers.PartitionFromCtx(ctx)
	offset, ok3 := consumers.OffsetFromCtx(ctx)
	if !ok1 || !ok2 || !ok3 {
		t.Fatal("message context lacks the record coordinates")
	}
	if topic != msg.Metadata.Get(kafkamsg.MetadataTopic) ||
		strconv.Itoa(partition) != msg.Metadata.Get(kafkamsg.MetadataPartition) ||
		strconv.FormatInt(offset, 10) != msg.Metadata.Get(kafkamsg.MetadataOffset) {
		t.Errorf("context %s/%d/%d disagrees with metadata %v", topic, partition, offset,
			msg.Metadata)
	}
}

func TestCoordinatesAbsentFromOtherContexts(t *testing.T) {
	t.Parallel()

	ctx := context.Background()
	if _, ok := consumers.TopicFromCtx(ctx); ok {
		t.Error("TopicFromCtx found a topic")
	}
	if _, ok := consumers.PartitionFromCtx(ctx); ok {
		t.Error("PartitionFromCtx found a partition")
	}
	if _, ok := consumers.OffsetFromCtx(ctx); ok {
		t.Error("OffsetFromCtx found an offset")
	}
}

package testenv

import (
	"context"
	"testing"
	"time"

	"github.com/segmentio/kafka-go"
)

// ReadTopic reads topic from its first record, in a consumer group of its
// own, and hands each record to fn until fn returns true. It fails the test
// when limit passes first; what says what was awaited.
func ReadTopic(t testing.TB, brokers []string, topic string, limit time.Duration,
	what string, fn func(kafka.Message) bool) {
	t.Helper()
	r := kafka.NewReader(kafka.ReaderConfig{Brokers: brokers, Topic: topic,
		GroupID: UniqueName("test-reader"), StartOffset: kafka.FirstOffset,
		MaxWait: 200 * time.Millisecond})
	defer r.Close()
	ctx, cancel := context.WithTimeout(context.Background(), limit)
	defer cancel()
	for {
		m, err := r.ReadMessage(ctx)
		if err != nil {
			t.Fatalf("reading %s for %s: %v", topic, what, err)
		}
		if fn(m) {
			return
		}
	}
}

package projection_test

import (
	"context"
	"errors"
	"net"
	"syscall"
	"testing"
	"time"

	"github.com/segmentio/kafka-go"

	"github.com/stepupauth/stepup/broker"
	"github.com/stepupauth/stepup/internal/testenv"
	"github.com/stepupauth/stepup/schemas"
)

// auditTopic creates a fresh audit topic with the given partition count.
func auditTopic(t testing.TB, brokers []string, partitions int) string {
	t.Helper()
	name := testenv.UniqueName("projection-audit")
	spec := []broker.TopicSpec{{Name: name, Partitions: partitions}}
	err := withBrokerRetry(t, func() error {
		return broker.EnsureTopics(context.Background(), brokers, spec)
	})
	if err != nil {
		t.Fatalf("EnsureTopics: %v", err)
	}
	return name
}

// auditMessage wraps raw as the processor writes it: keyed by user id, with
// CloudEvents binary headers.
func auditMessage(rec *schemas.AuditRecord, raw []byte) kafka.Message {
	return kafka.Message{
		Key:   []byte(rec.UserID),
		Value: raw,
		Headers: []kafka.Header{
			{Key: schemas.HeaderID, Value: []byte(rec.ID)},
			{Key: schemas.HeaderType, Value: []byte(schemas.TypeAuditRecord)},
		},
	}
}

// publish writes msgs to topic in order, partitioned by key.
func publish(t testing.TB, brokers []string, topic string, msgs ...kafka.Message) {
	t.Helper()
	// A transport of its own: the shared default one caches metadata for
	// seconds and would not see a topic created a moment ago.
	transport := &kafka.Transport{}
	defer transport.CloseIdleConnections()
	w := &kafka.Writer{
		Addr:                   kafka.TCP(brokers...),
		Transport:              transport,
		Topic:                  topic,
		Balancer:               &kafka.Hash{},
		RequiredAcks:           kafka.RequireAll,
		BatchTimeout:           5 * time.Millisecond,
		AllowAutoTopicCreation: false,
	}
	defer w.Close()
	err := withBrokerRetry(t, func() error {
		ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
		defer cancel()
		return w.WriteMessages(ctx, msgs...)
	})
	if err != nil {
		t.Fatalf("publish: %v", err)
	}
}

// offsets returns, per partition of topic, the end offset and the offset that
// group has committed (-1 for none).
func offsets(t testing.TB, brokers []string, topic, group string) (end, committed map[int]int64) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	transport := &kafka.Transport{}
	defer transport.CloseIdleConnections()
	client := &kafka.Client{
		Addr: kafka.TCP(brokers...), Timeout: 10 * time.Second, Transport: transport,
	}

	n, err := broker.PartitionCount(ctx, brokers, topic)
	if err != nil {
		t.Fatalf("PartitionCount: %v", err)
	}
	reqs := make([]kafka.OffsetRequest, n)
	parts := make([]int, n)
	for p := range n {
		reqs[p], parts[p] = kafka.LastOffsetOf(p), p
	}
	lo, err := client.ListOffsets(ctx, &kafka.ListOffsetsRequest{
		Topics: map[string][]kafka.OffsetRequest{topic: reqs},
	})
	if err != nil {
		t.Fatalf("ListOffsets: %v", err)
	}
	end = map[int]int64{}
	for _, po := range lo.Topics[topic] {
		if po.Error != nil {
			t.Fatalf("ListOffsets partition %d: %v", po.Partition, po.Error)
		}
		end[po.Partition] = po.LastOffset
	}

	of, err := client.OffsetFetch(ctx, &kafka.OffsetFetchRequest{
		GroupID: group, Topics: map[string][]int{topic: parts},
	})
	if err != nil {
		t.Fatalf("OffsetFetch: %v", err)
	}
	committed = map[int]int64{}
	for _, po := range of.Topics[topic] {
		committed[po.Partition] = po.CommittedOffset
	}
	return end, committed
}

// waitCommitted waits until group has committed every partition of topic up
// to its end offset.
func waitCommitted(t testing.TB, brokers []string, topic, group string) {
	t.Helper()
	waitFor(t, 30*time.Second, "committed offsets to reach the end offsets", func() bool {
		end, committed := offsets(t, brokers, topic, group)
		for p, e := range end {
			if committed[p] != e {
				return false
			}
		}
		return true
	})
}

// withBrokerRetry retries op for a while when the broker is unreachable,
// which happens while another test restarts it, or does not know a topic
// yet, which happens for a moment after the topic is created.
func withBrokerRetry(t testing.TB, op func() error) error {
	t.Helper()
	deadline := time.Now().Add(60 * time.Second)
	for {
		err := op()
		if err == nil || !transient(err) || time.Now().After(deadline) {
			return err
		}
		t.Logf("broker not ready, retrying: %v", err)
		time.Sleep(500 * time.Millisecond)
	}
}

func transient(err error) bool {
	var writeErrs kafka.WriteErrors
	if errors.As(err, &writeErrs) {
		for _, e := range writeErrs {
			if e != nil && !transient(e) {
				return false
			}
		}
		return true
	}
	var opErr *net.OpError
	return errors.Is(err, syscall.ECONNREFUSED) || errors.As(err, &opErr) ||
		errors.Is(err, broker.ErrUnreachable) ||
		errors.Is(err, kafka.UnknownTopicOrPartition) ||
		errors.Is(err, kafka.LeaderNotAvailable)
}

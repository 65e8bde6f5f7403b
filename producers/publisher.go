package producers

import (
	"context"
	"fmt"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"github.com/ThreeDotsLabs/watermill/message"
	"github.com/segmentio/kafka-go"

	"github.com/stepupauth/stepup/broker"
)

// dialTimeout bounds each connection attempt to a broker.
const dialTimeout = 5 * time.Second

// Publisher is a watermill message.Publisher that writes to Kafka.
//
// Publish is synchronous: it returns nil only after the cluster acknowledged
// every message with acks=all. It is safe for concurrent use, and concurrent
// calls share produce requests. Delivery is at least once: after an error,
// some of the messages may have been written, and a retry inside the
// underlying writer after a lost acknowledgement can write a message twice.
// Consumers should therefore deduplicate by the message UUID (the header
// kafkamsg.HeaderID).
//
// Topics are never created by publishing; see broker.EnsureTopics.
type Publisher struct {
	cfg       Config
	logger    *slog.Logger
	transport *kafka.Transport
	writer    *kafka.Writer

	closed    atomic.Bool
	closeOnce sync.Once

	refreshMu   sync.Mutex
	lastRefresh time.Time
}

// NewPublisher returns a Publisher for cfg. It does not connect: the first
// Publish does, so a cluster that is down shows up as a Publish error.
func NewPublisher(cfg Config) (*Publisher, error) {
	cfg, err := cfg.withDefaults()
	if err != nil {
		return nil, fmt.Errorf("invalid publisher config: %w", err)
	}

	transport := &kafka.Transport{DialTimeout: dialTimeout}
	writer := &kafka.Writer{
		Addr:                   kafka.TCP(cfg.Brokers...),
		Balancer:               &kafka.Murmur2Balancer{},
		RequiredAcks:           kafka.RequireAll,
		BatchTimeout:           cfg.BatchTimeout,
		WriteTimeout:           cfg.WriteTimeout,
		MaxAttempts:            cfg.MaxAttempts,
		AllowAutoTopicCreation: false,
		Transport:              transport,
		Logger:                 broker.KafkaLogger(cfg.Logger, slog.LevelDebug),
		ErrorLogger:            broker.KafkaLogger(cfg.Logger, slog.LevelWarn),
	}

	cfg.Logger.Info("kafka publisher started", "brokers", cfg.Brokers)
	return &Publisher{cfg: cfg, logger: cfg.Logger, transport: transport, writer: writer}, nil
}

// Publish writes msgs to topic and waits until the cluster acknowledged all
// of them, for at most Config.PublishTimeout.
//
// Messages with the same key keep their order; messages without a key go to
// a random partition and keep none. The error wraps
// [ErrUnknownTopic] when the topic does not exist, [ErrPublisherClosed] after
// Close, and the kafka-go errors of the messages that failed otherwise.
// Message contexts are not consulted.
func (p *Publisher) Publish(topic string, msgs ...*message.Message) error {
	if p.closed.Load() {
		return ErrPublisherClosed
	}
	if len(msgs) == 0 {
		return nil
	}

	records := make([]kafka.Message, len(msgs))
	for i, msg := range msgs {
		record, err := p.cfg.Marshaler.Marshal(topic, msg)
		if err != nil {
			return fmt.Errorf("cannot marshal message %d for topic %q: %w", i, topic, err)
		}
		record.Topic = topic
		records[i] = record
	}

	ctx, cancel := context.WithTimeout(context.Background(), p.cfg.PublishTimeout)
	defer cancel()

	if err := p.write(ctx, topic, records); err != nil {
		return fmt.Errorf("cannot publish to topic %q (%d messages): %w", topic, len(msgs), err)
	}

	p.logger.Debug("kafka messages published", "topic", topic, "count", len(msgs))
	return nil
}

// Close flushes the messages of Publish calls in progress, waits for them
// and releases the connections. It is safe to call more than once; Publish
// fails with [ErrPublisherClosed] afterwards.
func (p *Publisher) Close() error {
	var err error
	p.closeOnce.Do(func() {
		p.closed.Store(true)
		if err = p.writer.Close(); err != nil {
			err = fmt.Errorf("cannot close kafka writer: %w", err)
		}
		p.transport.CloseIdleConnections()
		p.logger.Info("kafka publisher closed")
	})
	return err
}

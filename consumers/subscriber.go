package consumers

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/ThreeDotsLabs/watermill/message"
	"github.com/segmentio/kafka-go"

	"github.com/stepupauth/stepup/broker"
)

// dialTimeout bounds each connection attempt to a broker.
const dialTimeout = 5 * time.Second

// Subscriber is a watermill message.Subscriber (and
// message.SubscribeInitializer) reading Kafka topics in one consumer group.
//
// It is safe for concurrent use. Each Subscribe call is a separate member of
// the group, with its own connections; see the package documentation for the
// delivery guarantees.
type Subscriber struct {
	cfg    Config
	logger *slog.Logger

	// ctx ends when Close is called; every subscription derives from it.
	ctx    context.Context
	cancel context.CancelFunc

	mu     sync.Mutex
	closed bool
	wg     sync.WaitGroup
}

// NewSubscriber returns a Subscriber for cfg. It does not connect: each
// Subscribe call does, in the background.
func NewSubscriber(cfg Config) (*Subscriber, error) {
	cfg, err := cfg.withDefaults()
	if err != nil {
		return nil, fmt.Errorf("invalid subscriber config: %w", err)
	}

	ctx, cancel := context.WithCancel(context.Background())
	return &Subscriber{
		cfg:    cfg,
		logger: cfg.Logger.With("group", cfg.ConsumerGroup),
		ctx:    ctx,
		cancel: cancel,
	}, nil
}

// Subscribe joins the consumer group for topic and returns the channel on
// which its messages arrive, one at a time: ack or nack each message to get
// the next one.
//
// The channel is closed when ctx ends or Close is called; a message in flight
// then is not committed. Messages carry a context derived from ctx (values
// included) and cancelled once the message is acked or nacked. Subscribe
// returns at once; joining the group and fetching happen in the background
// and are retried while the cluster is unreachable, with warnings logged.
// A topic that does not exist yields no messages until it is created.
func (s *Subscriber) Subscribe(ctx context.Context, topic string) (<-chan *message.Message, error) {
	if topic == "" {
		return nil, errors.New("cannot subscribe to an empty topic name")
	}

	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return nil, ErrSubscriberClosed
	}

	subCtx, cancel := context.WithCancel(ctx)
	stop := context.AfterFunc(s.ctx, cancel)

	sub := &subscription{
		cfg:    s.cfg,
		logger: s.logger.With("topic", topic),
		reader: kafka.NewReader(s.readerConfig(topic)),
		out:    make(chan *message.Message),
	}

	sub.logger.Info("kafka subscription started")

	s.wg.Add(1)
	go func() {
		defer s.wg.Done()
		defer cancel()
		defer stop()
		sub.run(subCtx)
	}()

	return sub.out, nil
}

// SubscribeInitialize creates topic when it does not exist, with
// Config.InitializePartitions partitions and
// Config.InitializeReplicationFactor replicas, and waits until it has
// leaders. An existing topic is left as it is. The call is bounded by
// broker.DefaultTimeout and ends early when the Subscriber is closed.
func (s *Subscriber) SubscribeInitialize(topic string) error {
	if s.isClosed() {
		return ErrSubscriberClosed
	}

	spec := broker.TopicSpec{
		Name:              topic,
		Partitions:        s.cfg.InitializePartitions,
		ReplicationFactor: s.cfg.InitializeReplicationFactor,
	}
	if err := broker.EnsureTopics(s.ctx, s.cfg.Brokers, []broker.TopicSpec{spec}); err != nil {
		return fmt.Errorf("cannot initialize topic %q: %w", topic, err)
	}
	return nil
}

// Close ends every subscription, waits until each has left the group and
// closed its channel, and returns nil. Messages in flight are not
// committed. Close is safe to call more than once and concurrently; every
// call waits for the end of the subscriptions.
//
// Note that leaving the group can take up to Config.RebalanceTimeout plus a
// few seconds when a rebalance is under way.
func (s *Subscriber) Close() error {
	s.mu.Lock()
	first := !s.closed
	s.closed = true
	s.mu.Unlock()

	s.cancel()
	s.wg.Wait()

	if first {
		s.logger.Info("kafka subscriber closed")
	}
	return nil
}

// isClosed reports whether Close was called.
func (s *Subscriber) isClosed() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.closed
}

// readerConfig returns the kafka-go reader settings for topic.
func (s *Subscriber) readerConfig(topic string) kafka.ReaderConfig {
	start := kafka.FirstOffset
	if s.cfg.InitialOffset == LastOffset {
		start = kafka.LastOffset
	}

	return kafka.ReaderConfig{
		Brokers:           s.cfg.Brokers,
		GroupID:           s.cfg.ConsumerGroup,
		Topic:             topic,
		Dialer:            &kafka.Dialer{Timeout: dialTimeout, DualStack: true},
		StartOffset:       start,
		CommitInterval:    0, // synchronous commits
		HeartbeatInterval: s.cfg.HeartbeatInterval,
		SessionTimeout:    s.cfg.SessionTimeout,
		RebalanceTimeout:  s.cfg.RebalanceTimeout,
		JoinGroupBackoff:  s.cfg.JoinGroupBackoff,
		MaxWait:           s.cfg.MaxWait,
		ReadBackoffMin:    s.cfg.ReadBackoffMin,
		ReadBackoffMax:    s.cfg.ReadBackoffMax,
		Logger:            broker.KafkaLogger(s.logger, slog.LevelDebug),
		ErrorLogger:       broker.KafkaLogger(s.logger, slog.LevelWarn),
	}
}

package projection

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"github.com/segmentio/kafka-go"

	"github.com/stepupauth/stepup/broker"
)

// DefaultGroupID is the consumer group a Projector joins unless told
// otherwise. It is separate from the processor's group, so the projection
// keeps its own position in the audit topic.
const DefaultGroupID = "stepup-projector"

// DeadLetterFunc receives a message the Projector refuses, unchanged, with
// the permanent error that refused it (see DecodeMessage). It should write
// the message to the dead-letter topic and return nil once it is stored. An
// error makes the Projector call it again, with backoff, until it succeeds or
// the context ends; the message's offset is not committed before that.
type DeadLetterFunc func(ctx context.Context, msg kafka.Message, reason error) error

// Config configures a Projector. Zero values take the defaults given on each
// field.
type Config struct {
	// Brokers are the Kafka bootstrap addresses. Required.
	Brokers []string

	// Topic is the audit topic. Required. It must exist: the Projector does
	// not create it.
	Topic string

	// GroupID is the consumer group; default DefaultGroupID. A group with no
	// committed offsets starts at the earliest record.
	GroupID string

	// BatchSize caps the records written in one transaction; default 500.
	BatchSize int

	// BatchWait is how long a batch stays open for more records after its
	// first one arrives; default 200ms.
	BatchWait time.Duration

	// DeadLetter receives refused records. If nil, a refused record is
	// logged at Error level and skipped: its offset is committed with the
	// rest of its batch and it is not stored anywhere.
	DeadLetter DeadLetterFunc

	// Logger receives lifecycle, retry and refusal logs; default
	// slog.Default(). The Kafka client's own messages go to it at Debug
	// level, its errors at Warn.
	Logger *slog.Logger

	// RetryInitial and RetryMax bound the exponential backoff between
	// retries of a failed write, dead-letter or offset commit; defaults
	// 100ms and 5s. Retries never give up while the context lasts.
	RetryInitial time.Duration
	RetryMax     time.Duration

	// AttemptTimeout bounds one attempt to write a batch, dead-letter a
	// record or commit offsets; default 10s. It also bounds how long Run
	// may take to finish the batch in flight once its context ends.
	AttemptTimeout time.Duration

	// Reader tuning. Short waits make Run return soon after its context
	// ends. Defaults: MaxWait 250ms (how long a fetch waits for new
	// records), ReadBackoffMin 20ms, ReadBackoffMax 500ms,
	// HeartbeatInterval 1s, SessionTimeout 10s, RebalanceTimeout 10s,
	// JoinGroupBackoff 500ms. SessionTimeout must lie within the broker's
	// group.*.session.timeout.ms bounds.
	MaxWait           time.Duration
	ReadBackoffMin    time.Duration
	ReadBackoffMax    time.Duration
	HeartbeatInterval time.Duration
	SessionTimeout    time.Duration
	RebalanceTimeout  time.Duration
	JoinGroupBackoff  time.Duration

	// Dialer connects to the brokers; default kafka-go's default dialer.
	Dialer *kafka.Dialer
}

// withDefaults checks c and fills in the defaults.
func (c Config) withDefaults() (Config, error) {
	if len(c.Brokers) == 0 {
		return c, fmt.Errorf("%w: no brokers", ErrConfig)
	}
	if c.Topic == "" {
		return c, fmt.Errorf("%w: no topic", ErrConfig)
	}
	if c.BatchSize < 0 || c.BatchWait < 0 {
		return c, fmt.Errorf("%w: negative batch size or wait", ErrConfig)
	}
	setDefault(&c.GroupID, DefaultGroupID)
	setDefault(&c.BatchSize, 500)
	setDefault(&c.BatchWait, 200*time.Millisecond)
	setDefault(&c.Logger, slog.Default())
	setDefault(&c.RetryInitial, 100*time.Millisecond)
	setDefault(&c.RetryMax, 5*time.Second)
	setDefault(&c.AttemptTimeout, 10*time.Second)
	setDefault(&c.MaxWait, 250*time.Millisecond)
	setDefault(&c.ReadBackoffMin, 20*time.Millisecond)
	setDefault(&c.ReadBackoffMax, 500*time.Millisecond)
	setDefault(&c.HeartbeatInterval, time.Second)
	setDefault(&c.SessionTimeout, 10*time.Second)
	setDefault(&c.RebalanceTimeout, 10*time.Second)
	setDefault(&c.JoinGroupBackoff, 500*time.Millisecond)
	return c, nil
}

func setDefault[T comparable](field *T, value T) {
	var zero T
	if *field == zero {
		*field = value
	}
}

// readerConfig is the kafka-go reader setup. Commits are synchronous
// (CommitInterval 0), so CommitMessages returns once the broker has them.
func (c Config) readerConfig() kafka.ReaderConfig {
	return kafka.ReaderConfig{
		Brokers:           c.Brokers,
		Topic:             c.Topic,
		GroupID:           c.GroupID,
		Dialer:            c.Dialer,
		QueueCapacity:     c.BatchSize,
		MaxWait:           c.MaxWait,
		ReadBackoffMin:    c.ReadBackoffMin,
		ReadBackoffMax:    c.ReadBackoffMax,
		HeartbeatInterval: c.HeartbeatInterval,
		SessionTimeout:    c.SessionTimeout,
		RebalanceTimeout:  c.RebalanceTimeout,
		JoinGroupBackoff:  c.JoinGroupBackoff,
		StartOffset:       kafka.FirstOffset,
		IsolationLevel:    kafka.ReadCommitted,
		CommitInterval:    0,
		Logger:            broker.KafkaLogger(c.Logger, slog.LevelDebug),
		ErrorLogger:       broker.KafkaLogger(c.Logger, slog.LevelWarn),
	}
}

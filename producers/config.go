package producers

import (
	"errors"
	"log/slog"
	"time"
)

// Defaults applied by [NewPublisher] to zero fields of [Config].
const (
	DefaultBatchTimeout   = 2 * time.Millisecond
	DefaultWriteTimeout   = 10 * time.Second
	DefaultMaxAttempts    = 3
	DefaultPublishTimeout = 30 * time.Second
)

// Config configures a [Publisher]. Only Brokers is required.
type Config struct {
	// Brokers are the bootstrap addresses ("host:port") of the cluster.
	Brokers []string

	// BatchTimeout is how long a message may wait for others to share its
	// produce request. Publish is synchronous, so this is added to the
	// latency of a lone message; keep it small. Default 2 ms.
	BatchTimeout time.Duration

	// WriteTimeout bounds one produce request, acknowledgement included.
	// Default 10 s.
	WriteTimeout time.Duration

	// MaxAttempts is how many times a produce request is tried when it fails
	// with a transient error. Default 3.
	MaxAttempts int

	// PublishTimeout bounds one Publish call from start to acknowledgement,
	// retries and metadata lookups included. Default 30 s.
	PublishTimeout time.Duration

	// Marshaler maps messages to records. Default [DefaultMarshaler].
	Marshaler Marshaler

	// Logger receives lifecycle lines, and kafka-go's error lines at Warn.
	// Default slog.Default().
	Logger *slog.Logger
}

// withDefaults returns c with defaults applied, or an error when c cannot
// work.
func (c Config) withDefaults() (Config, error) {
	if len(c.Brokers) == 0 {
		return c, errors.New("no kafka brokers configured")
	}
	if c.BatchTimeout <= 0 {
		c.BatchTimeout = DefaultBatchTimeout
	}
	if c.WriteTimeout <= 0 {
		c.WriteTimeout = DefaultWriteTimeout
	}
	if c.MaxAttempts <= 0 {
		c.MaxAttempts = DefaultMaxAttempts
	}
	if c.PublishTimeout <= 0 {
		c.PublishTimeout = DefaultPublishTimeout
	}
	if c.Marshaler == nil {
		c.Marshaler = DefaultMarshaler
	}
	if c.Logger == nil {
		c.Logger = slog.Default()
	}
	return c, nil
}

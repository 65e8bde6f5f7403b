package broker

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"github.com/twmb/franz-go/pkg/kfake"
)

// EmbeddedOptions configures [StartEmbedded]. The zero value mirrors the
// project's CI broker: one node, one partition for a topic created without a
// count, no automatic topic creation, a one-second minimum session timeout.
type EmbeddedOptions struct {
	// DefaultPartitions is the partition count of a topic created with
	// "the broker's default"; zero means 1.
	DefaultPartitions int

	// MinSessionTimeout is the smallest consumer group session timeout the
	// broker accepts; zero means one second.
	MinSessionTimeout time.Duration

	// Logger receives the broker's warnings and errors; its requests are
	// logged at Debug. Nil means no logging.
	Logger *slog.Logger
}

// Embedded is an in-process broker that speaks the Kafka protocol on a random
// port of 127.0.0.1. It keeps everything in memory and loses it on Close.
//
// It is meant for tests and demos: it is a single node, and it implements
// the protocol well enough for kafka-go's writer, reader and consumer groups,
// but it is not Apache Kafka (timings of group rebalances differ, for one).
type Embedded struct {
	cluster *kfake.Cluster
	addrs   []string
}

// StartEmbedded starts an in-process broker with opts. The broker listens
// until Close is called.
func StartEmbedded(opts EmbeddedOptions) (*Embedded, error) {
	minSession := opts.MinSessionTimeout
	if minSession <= 0 {
		minSession = time.Second
	}

	kopts := []kfake.Opt{
		kfake.NumBrokers(1),
		kfake.DefaultNumPartitions(max(opts.DefaultPartitions, 1)),
		kfake.GroupMinSessionTimeout(minSession),
	}
	if opts.Logger != nil {
		kopts = append(kopts, kfake.WithLogger(kfakeLogger{opts.Logger}))
	}

	cluster, err := kfake.NewCluster(kopts...)
	if err != nil {
		return nil, fmt.Errorf("cannot start the in-process kafka broker: %w", err)
	}

	return &Embedded{cluster: cluster, addrs: cluster.ListenAddrs()}, nil
}

// Addrs returns the broker's addresses ("127.0.0.1:port").
func (e *Embedded) Addrs() []string {
	return append([]string(nil), e.addrs...)
}

// Close stops the broker and drops its data. It is safe to call more than
// once.
func (e *Embedded) Close() {
	e.cluster.Close()
}

// kfakeLogger bridges the in-process broker's logger to slog.
type kfakeLogger struct{ logger *slog.Logger }

// Logf implements kfake.Logger.
func (l kfakeLogger) Logf(level kfake.LogLevel, format string, args ...any) {
	var sl slog.Level
	switch level {
	case kfake.LogLevelError:
		sl = slog.LevelError
	case kfake.LogLevelWarn:
		sl = slog.LevelWarn
	case kfake.LogLevelNone:
		return
	default:
		sl = slog.LevelDebug
	}
	ctx := context.Background()
	if l.logger.Enabled(ctx, sl) {
		l.logger.Log(ctx, sl, fmt.Sprintf(format, args...), "component", "kfake")
	}
}

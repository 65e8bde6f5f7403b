package consumers

import (
	"errors"
	"log/slog"
	"time"
)

// InitialOffset says where a consumer group starts reading a partition for
// which it has no committed offset.
type InitialOffset int

const (
	// FirstOffset starts at the oldest record the partition still holds, so a
	// new group reads the topic's history. It is the zero value.
	FirstOffset InitialOffset = iota

	// LastOffset starts after the newest record: a new group reads only what
	// is written after it joined.
	LastOffset
)

// Defaults applied by [NewSubscriber] to zero fields of [Config].
const (
	DefaultNackResendSleep   = 100 * time.Millisecond
	DefaultHeartbeatInterval = time.Second
	DefaultSessionTimeout    = 10 * time.Second
	DefaultRebalanceTimeout  = 10 * time.Second
	DefaultJoinGroupBackoff  = time.Second
	DefaultMaxWait           = 1500 * time.Millisecond
	DefaultReadBackoffMin    = 100 * time.Millisecond
	DefaultReadBackoffMax    = time.Second
	DefaultCommitTimeout     = 5 * time.Second
)

// Config configures a [Subscriber]. Brokers and ConsumerGroup are required.
type Config struct {
	// Brokers are the bootstrap addresses ("host:port") of the cluster.
	Brokers []string

	// ConsumerGroup is the group every subscription joins. Subscriptions of
	// the same group share the partitions of a topic; each group reads every
	// message.
	ConsumerGroup string

	// InitialOffset applies to partitions the group has no offset for.
	// Default FirstOffset.
	InitialOffset InitialOffset

	// NackResendSleep is the pause before a nacked message is handed out
	// again. Zero means DefaultNackResendSleep; a negative value means no
	// pause.
	NackResendSleep time.Duration

	// Unmarshaler maps records to messages. Default [DefaultUnmarshaler].
	Unmarshaler Unmarshaler

	// Logger receives lifecycle lines at Info, retries at Warn, and
	// kafka-go's own lines (partition assignments among them) at Debug.
	// Default slog.Default().
	Logger *slog.Logger

	// InitializePartitions and InitializeReplicationFactor are used by
	// SubscribeInitialize to create a missing topic. Default 1 each.
	InitializePartitions        int
	InitializeReplicationFactor int

	// HeartbeatInterval is how often a member tells the group coordinator it
	// is alive; it is also how soon a member notices a rebalance. Default 1 s.
	//
	// Note that kafka-go sends heartbeats and commits over one connection and
	// busy-waits while both are in flight (segmentio/kafka-go issues 966 and
	// 1114). Since every ack is a commit, intervals well under a second cost
	// CPU, and with many members on a loaded host they can saturate it.
	HeartbeatInterval time.Duration

	// SessionTimeout is how long the coordinator waits for a heartbeat before
	// it evicts a member. The broker bounds it (group.min.session.timeout.ms).
	// Default 10 s.
	SessionTimeout time.Duration

	// RebalanceTimeout is how long the coordinator waits for members to
	// rejoin during a rebalance. It also bounds how long closing a
	// subscription can block when it happens during a rebalance. Default 10 s.
	RebalanceTimeout time.Duration

	// JoinGroupBackoff is the pause before joining again after a failed join.
	// Default 1 s.
	JoinGroupBackoff time.Duration

	// MaxWait bounds one fetch, network included. kafka-go keeps part of it
	// as a margin for the network: one second when MaxWait is one second or
	// more, a quarter of it below. The broker holds an idle fetch for the
	// rest, and a subscription takes up to that long to stop its fetches
	// when it closes or rebalances. A response later than the margin breaks
	// the connection, which kafka-go then reopens: keep MaxWait above one
	// second (at exactly one second the broker is asked not to wait at all,
	// which polls in a loop). Default 1.5 s.
	MaxWait time.Duration

	// ReadBackoffMin and ReadBackoffMax bound the pause between fetches after
	// an error. Default 100 ms and 1 s.
	ReadBackoffMin time.Duration
	ReadBackoffMax time.Duration

	// CommitTimeout bounds the commit of one acked message, retries
	// included. Default 5 s.
	CommitTimeout time.Duration
}

// withDefaults returns c with defaults applied, or an error when c cannot
// work.
func (c Config) withDefaults() (Config, error) {
	if len(c.Brokers) == 0 {
		return c, errors.New("no kafka brokers configured")
	}
	if c.ConsumerGroup == "" {
		return c, errors.New("no consumer group configured")
	}
	if c.InitialOffset != FirstOffset && c.InitialOffset != LastOffset {
		return c, errors.New("initial offset must be FirstOffset or LastOffset")
	}

	orDefault(&c.NackResendSleep, DefaultNackResendSleep)
	orDefault(&c.HeartbeatInterval, DefaultHeartbeatInterval)
	orDefault(&c.SessionTimeout, DefaultSessionTimeout)
	orDefault(&c.RebalanceTimeout, DefaultRebalanceTimeout)
	orDefault(&c.JoinGroupBackoff, DefaultJoinGroupBackoff)
	orDefault(&c.MaxWait, DefaultMaxWait)
	orDefault(&c.ReadBackoffMin, DefaultReadBackoffMin)
	orDefault(&c.ReadBackoffMax, DefaultReadBackoffMax)
	orDefault(&c.CommitTimeout, DefaultCommitTimeout)

	for _, d := range []time.Duration{
		c.HeartbeatInterval, c.SessionTimeout, c.RebalanceTimeout, c.JoinGroupBackoff,
		c.MaxWait, c.ReadBackoffMin, c.ReadBackoffMax, c.CommitTimeout,
	} {
		if d < 0 {
			return c, errors.New("negative durations are not allowed, except NackResendSleep")
		}
	}
	if c.ReadBackoffMax < c.ReadBackoffMin {
		return c, errors.New("ReadBackoffMax is smaller than ReadBackoffMin")
	}
	if c.Unmarshaler == nil {
		c.Unmarshaler = DefaultUnmarshaler
	}
	if c.Logger == nil {
		c.Logger = slog.Default()
	}
	c.InitializePartitions = max(c.InitializePartitions, 1)
	c.InitializeReplicationFactor = max(c.InitializeReplicationFactor, 1)
	return c, nil
}

// orDefault sets *d to def when it is zero.
func orDefault(d *time.Duration, def time.Duration) {
	if *d == 0 {
		*d = def
	}
}

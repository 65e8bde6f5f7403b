package processor

import (
	"fmt"
	"time"

	"github.com/ThreeDotsLabs/watermill"
	"github.com/ThreeDotsLabs/watermill/message"
	"github.com/ThreeDotsLabs/watermill/message/router/middleware"
)

// RouterConfig tunes the router that runs the handlers.
type RouterConfig struct {
	// Subscriber reads the input topics in the processor's consumer group.
	Subscriber message.Subscriber
	// MaxRetries is how often a handler that failed for a passing reason
	// (the broker unreachable, a write timing out) is retried in place before
	// the message is handed back to the subscriber for redelivery.
	MaxRetries int
	// RetryInterval is the first pause between retries; it doubles up to
	// MaxRetryInterval.
	RetryInterval    time.Duration
	MaxRetryInterval time.Duration
	// CloseTimeout bounds how long Close waits for in-flight messages.
	CloseTimeout time.Duration
}

func (c *RouterConfig) setDefaults() {
	if c.MaxRetries == 0 {
		c.MaxRetries = 5
	}
	if c.RetryInterval == 0 {
		c.RetryInterval = 100 * time.Millisecond
	}
	if c.MaxRetryInterval == 0 {
		c.MaxRetryInterval = 5 * time.Second
	}
	if c.CloseTimeout == 0 {
		c.CloseTimeout = 30 * time.Second
	}
}

// Router returns a watermill router with one handler per input topic and this
// middleware, outermost first:
//
//   - correlation id: outputs carry the input's correlation id;
//   - poison queue: input that can never succeed (refused by decoding, or a
//     panic) goes to the dead-letter topic and is acknowledged;
//   - retry with exponential backoff for passing failures; after the budget
//     the message is nacked and the subscriber delivers it again, so a long
//     outage holds the partition instead of losing events;
//   - recoverer: a panic becomes an error instead of killing the process.
func (p *Processor) Router(cfg RouterConfig) (*message.Router, error) {
	cfg.setDefaults()
	logger := watermill.NewSlogLogger(p.log)
	r, err := message.NewRouter(message.RouterConfig{CloseTimeout: cfg.CloseTimeout}, logger)
	if err != nil {
		return nil, err
	}

	poison, err := middleware.PoisonQueueWithFilter(deadLetters{p: p},
		p.cfg.Topics.DeadLetter, poisoned)
	if err != nil {
		return nil, fmt.Errorf("cannot set up the dead-letter topic: %w", err)
	}
	retry := middleware.Retry{
		MaxRetries:      cfg.MaxRetries,
		InitialInterval: cfg.RetryInterval,
		MaxInterval:     cfg.MaxRetryInterval,
		Multiplier:      2,
		Logger:          logger,
		ShouldRetry: func(params middleware.RetryParams) bool {
			return !poisoned(params.Err)
		},
	}
	r.AddMiddleware(middleware.CorrelationID, poison, retry.Middleware, middleware.Recoverer)

	t := p.cfg.Topics
	r.AddConsumerHandler("signups", t.Signups, cfg.Subscriber, p.HandleSignup)
	r.AddConsumerHandler("actions", t.Actions, cfg.Subscriber, p.HandleAction)
	r.AddConsumerHandler("challenge_results", t.Results, cfg.Subscriber, p.HandleResult)
	return r, nil
}

package processor

import (
	"errors"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"github.com/ThreeDotsLabs/watermill/message"

	"github.com/stepupauth/stepup/escalation"
	"github.com/stepupauth/stepup/schemas"
	"github.com/stepupauth/stepup/state"
)

// Topics names the topics the processor reads and writes.
type Topics struct {
	Signups    string
	Actions    string
	Results    string
	StepUp     string
	Audit      string
	DeadLetter string
}

// Config configures a Processor.
type Config struct {
	Topics Topics
	// Publisher writes outputs; Publish must return only once the broker has
	// acknowledged every message.
	Publisher message.Publisher
	Policy    *escalation.Holder
	State     *state.Store
	// Source is the CloudEvents source of every output, such as "/stepupd".
	Source string
	Logger *slog.Logger
	// Now returns the time stamped as recorded_at; time.Now when nil.
	Now func() time.Time
	// OnWritten, when set, is called with every output once the broker has
	// acknowledged it. A redelivered input calls it again with the same ids.
	// It runs on the handler's goroutine and must be quick.
	OnWritten func(topic string, ev schemas.Event)
}

// Processor holds the handlers. It is safe for concurrent use by the
// router's handlers.
type Processor struct {
	cfg   Config
	log   *slog.Logger
	now   func() time.Time
	stats counters
}

// New returns a processor.
func New(cfg Config) (*Processor, error) {
	if cfg.Publisher == nil || cfg.Policy == nil || cfg.State == nil {
		return nil, errors.New("processor: publisher, policy and state are required")
	}
	if cfg.Source == "" {
		cfg.Source = "/stepupd"
	}
	p := &Processor{cfg: cfg, log: cfg.Logger, now: cfg.Now}
	if p.log == nil {
		p.log = slog.Default()
	}
	if p.now == nil {
		p.now = time.Now
	}
	p.stats.byLevel = map[string]int64{}
	return p, nil
}

// Stats is a snapshot of what the processor has done since it started.
type Stats struct {
	// EventsIn counts input records handled to the end: decided, audited or
	// dead-lettered. A redelivered record counts again.
	EventsIn       int64
	Decisions      map[string]int64
	StepUpRequired int64
	Results        int64
	AuditRecords   int64
	DeadLetters    int64
}

type counters struct {
	eventsIn, stepUps, results, audits, deadLetters atomic.Int64

	mu      sync.Mutex
	byLevel map[string]int64
}

func (c *counters) decided(level string) {
	c.mu.Lock()
	c.byLevel[level]++
	c.mu.Unlock()
}

// Stats returns a snapshot of the counters.
func (p *Processor) Stats() Stats {
	p.stats.mu.Lock()
	levels := make(map[string]int64, len(p.stats.byLevel))
	for k, v := range p.stats.byLevel {
		levels[k] = v
	}
	p.stats.mu.Unlock()
	return Stats{
		EventsIn:       p.stats.eventsIn.Load(),
		Decisions:      levels,
		StepUpRequired: p.stats.stepUps.Load(),
		Results:        p.stats.results.Load(),
		AuditRecords:   p.stats.audits.Load(),
		DeadLetters:    p.stats.deadLetters.Load(),
	}
}

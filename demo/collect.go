package demo

import (
	"sync"

	"github.com/stepupauth/stepup/schemas"
)

// collector remembers every output the processor wrote, by id, so that
// redelivered inputs are counted once.
type collector struct {
	mu          sync.Mutex
	audit       map[string]bool
	decisions   map[string]*schemas.AuditRecord
	outcomes    map[string]string
	stepUps     map[string]*schemas.StepUpRequired
	deadLetters map[string]string
}

func newCollector() *collector {
	return &collector{
		audit:       map[string]bool{},
		decisions:   map[string]*schemas.AuditRecord{},
		outcomes:    map[string]string{},
		stepUps:     map[string]*schemas.StepUpRequired{},
		deadLetters: map[string]string{},
	}
}

func (c *collector) written(_ string, ev schemas.Event) {
	c.mu.Lock()
	defer c.mu.Unlock()
	switch e := ev.(type) {
	case *schemas.AuditRecord:
		c.audit[e.ID] = true
		switch e.Kind {
		case schemas.AuditDecision:
			c.decisions[e.Subject.EventID] = e
		case schemas.AuditChallengeOutcome:
			c.outcomes[e.Subject.EventID] = e.Outcome
		}
	case *schemas.StepUpRequired:
		c.stepUps[e.TriggerEventID] = e
	case *schemas.DeadLetter:
		c.deadLetters[e.ID] = e.ReasonCode
	}
}

func (c *collector) auditIDs() []string {
	c.mu.Lock()
	defer c.mu.Unlock()
	ids := make([]string, 0, len(c.audit))
	for id := range c.audit {
		ids = append(ids, id)
	}
	return ids
}

// fill adds the collected counts to s. labels maps an event id to its labels.
func (c *collector) fill(s *Summary, labels map[string][]string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	s.Decisions = map[string]int{}
	s.Outcomes = map[string]int{}
	s.Signals = map[string]int{}
	for _, d := range c.decisions {
		s.Decisions[string(d.Level)]++
		s.Outcomes[d.Outcome]++
		for _, r := range d.Reasons {
			s.Signals[r.Code]++
		}
	}
	s.Challenges = map[string]int{}
	for _, u := range c.stepUps {
		s.Challenges[string(u.Challenge)]++
	}
	s.StepUpRequired = len(c.stepUps)
	s.ChallengeResults = map[string]int{}
	for _, o := range c.outcomes {
		s.ChallengeResults[o]++
	}
	s.DeadLetterReasons = map[string]int{}
	for _, r := range c.deadLetters {
		s.DeadLetterReasons[r]++
	}
	s.DeadLetters = len(c.deadLetters)
	s.AuditRecords = len(c.audit)

	if len(labels) == 0 {
		return
	}
	l := &Labelled{}
	for id := range c.decisions {
		_, up := c.stepUps[id]
		ato, attack, generated := false, false, false
		for _, lb := range labels[id] {
			ato = ato || lb == LabelAccountTakeover
			attack = attack || lb == LabelAttackIP
			generated = generated || lb == LabelGenerated
		}
		switch {
		case generated:
			l.GeneratedLogins++
			l.GeneratedSteppedUp += b2i(up)
		case ato:
			l.ATOLogins++
			l.ATOSteppedUp += b2i(up)
		case attack:
			l.AttackIPLogins++
			l.AttackIPSteppedUp += b2i(up)
		default:
			l.OtherLogins++
			l.OtherSteppedUp += b2i(up)
		}
	}
	s.Labelled = l
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

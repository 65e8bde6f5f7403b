package processor

import (
	"fmt"
	"log/slog"

	"github.com/ThreeDotsLabs/watermill/message"

	"github.com/stepupauth/stepup/escalation"
	"github.com/stepupauth/stepup/schemas"
	"github.com/stepupauth/stepup/scoring"
	"github.com/stepupauth/stepup/state"
)

// subject is an event to decide, reduced to what every kind has in common.
type subject struct {
	meta      schemas.Meta
	sessionID string
	action    string
	obs       scoring.Observation
	origin    origin
}

// HandleSignup decides a signup read from the signups topic.
func (p *Processor) HandleSignup(msg *message.Message) error {
	ev, o, err := decode(msg, schemas.TypeSignup)
	if err != nil {
		return err
	}
	s := ev.(*schemas.Signup)
	obs := observe(s.Device, s.Geo)
	obs.Signup = true
	return p.decide(msg, subject{meta: s.Meta, sessionID: s.SessionID,
		action: schemas.ActionSignup, obs: obs, origin: o})
}

// HandleAction decides a user action read from the actions topic.
func (p *Processor) HandleAction(msg *message.Message) error {
	ev, o, err := decode(msg, schemas.TypeUserAction)
	if err != nil {
		return err
	}
	a := ev.(*schemas.UserAction)
	obs := observe(a.Device, a.Geo)
	obs.FailedLogin = a.Action == schemas.ActionLogin && a.Succeeded != nil && !*a.Succeeded
	return p.decide(msg, subject{meta: a.Meta, sessionID: a.SessionID, action: a.Action,
		obs: obs, origin: o})
}

func (p *Processor) decide(msg *message.Message, s subject) error {
	policy := p.cfg.Policy.Current()
	return p.cfg.State.With(s.meta.UserID, func(u *state.User) error {
		d := policy.Decide(u.Profile, s.action, s.obs)
		outs := p.decisionOutputs(msg, s, d, policy)
		if err := p.publish(outs); err != nil {
			return err
		}

		// Outputs are written: only now may the user's state change. A failed
		// login proves nothing about the device it came from, but a challenge
		// it raised is pending like any other.
		if s.obs.FailedLogin {
			u.Profile.Fail()
		}
		switch {
		case d.Outcome == schemas.OutcomeAllow && !s.obs.FailedLogin:
			u.Profile.Learn(s.obs, s.meta.Time)
		case d.Outcome == schemas.OutcomeChallenge:
			u.Pending[outs.stepUp.ChallengeID] = state.Pending{
				ChallengeID:    outs.stepUp.ChallengeID,
				TriggerEventID: s.meta.ID,
				SessionID:      s.sessionID,
				Action:         s.action,
				Challenge:      d.Rung.Challenge,
				ExpiresAt:      outs.stepUp.ExpiresAt,
				Observation:    s.obs,
			}
		}
		p.stats.eventsIn.Add(1)
		p.stats.decided(string(d.Result.Level))
		if outs.stepUp != nil {
			p.stats.stepUps.Add(1)
		}
		p.stats.audits.Add(int64(len(outs.audit)))
		p.log.Debug("decided", "event_id", s.meta.ID, "action", s.action,
			"score", d.Result.Score, "level", d.Result.Level, "outcome", d.Outcome,
			"challenge", d.Rung.Challenge, "policy_version", d.Policy,
			slog.Group("source", "topic", s.origin.topic, "partition", s.origin.partition,
				"offset", s.origin.offset))
		return nil
	})
}

// outputs are what one input produces.
type outputs struct {
	stepUp    *schemas.StepUpRequired
	stepUpMsg *message.Message
	records   []*schemas.AuditRecord
	audit     []*message.Message
}

func (o *outputs) addAudit(p *Processor, in *message.Message, rec *schemas.AuditRecord) {
	o.records = append(o.records, rec)
	o.audit = append(o.audit, p.message(in, rec))
}

func (p *Processor) decisionOutputs(in *message.Message, s subject, d escalation.Decision,
	policy *escalation.Policy) outputs {
	var out outputs
	score := d.Result.Score
	base := schemas.AuditRecord{
		Meta: schemas.Meta{Type: schemas.TypeAuditRecord, UserID: s.meta.UserID,
			Time: s.meta.Time},
		Subject: schemas.Subject{EventID: s.meta.ID, EventType: s.meta.Type,
			Topic: s.origin.topic, Partition: s.origin.partition, Offset: s.origin.offset},
		SessionID:     s.sessionID,
		Action:        s.action,
		Score:         &score,
		Level:         d.Result.Level,
		Reasons:       d.Result.Reasons,
		PolicyVersion: d.Policy,
		RecordedAt:    p.now().UTC(),
	}

	decision := base
	decision.ID = schemas.DeriveID("decision", s.meta.UserID, s.meta.ID)
	decision.Kind = schemas.AuditDecision
	decision.Outcome = d.Outcome
	if d.Outcome != schemas.OutcomeAllow {
		decision.Challenge = d.Rung.Challenge
		decision.ChallengeID = schemas.ChallengeID(s.meta.UserID, s.meta.ID)
	}
	out.addAudit(p, in, &decision)

	if d.Outcome == schemas.OutcomeAllow {
		return out
	}
	out.stepUp = &schemas.StepUpRequired{
		Meta: schemas.Meta{ID: schemas.DeriveID("stepup", s.meta.UserID, s.meta.ID),
			Type: schemas.TypeStepUpRequired, UserID: s.meta.UserID, Time: s.meta.Time},
		SessionID:      s.sessionID,
		ChallengeID:    decision.ChallengeID,
		TriggerEventID: s.meta.ID,
		Action:         s.action,
		Challenge:      d.Rung.Challenge,
		Alternatives:   d.Rung.Alternatives,
		Level:          d.Result.Level,
		Score:          d.Result.Score,
		Reasons:        nonNil(d.Result.Reasons),
		ExpiresAt:      s.meta.Time.Add(policy.ChallengeTTL),
		PolicyVersion:  d.Policy,
	}
	out.stepUpMsg = p.message(in, out.stepUp)

	if d.Outcome == schemas.OutcomeChallenge {
		issued := base
		issued.ID = schemas.DeriveID("issued", s.meta.UserID, s.meta.ID)
		issued.Kind = schemas.AuditChallengeIssued
		issued.Outcome = schemas.OutcomeIssued
		issued.Challenge = d.Rung.Challenge
		issued.ChallengeID = decision.ChallengeID
		out.addAudit(p, in, &issued)
	}
	return out
}

// publish writes the StepUpRequired event, then the audit records. Both must
// be acknowledged before the input counts as handled; a failure leaves the
// input to be retried, and the retry writes the same ids.
func (p *Processor) publish(out outputs) error {
	if out.stepUpMsg != nil {
		if err := p.cfg.Publisher.Publish(p.cfg.Topics.StepUp, out.stepUpMsg); err != nil {
			return fmt.Errorf("cannot publish StepUpRequired: %w", err)
		}
	}
	if err := p.cfg.Publisher.Publish(p.cfg.Topics.Audit, out.audit...); err != nil {
		return fmt.Errorf("cannot publish audit records: %w", err)
	}
	if p.cfg.OnWritten != nil {
		if out.stepUp != nil {
			p.cfg.OnWritten(p.cfg.Topics.StepUp, out.stepUp)
		}
		for _, rec := range out.records {
			p.cfg.OnWritten(p.cfg.Topics.Audit, rec)
		}
	}
	return nil
}

func nonNil(r []schemas.Reason) []schemas.Reason {
	if r == nil {
		return []schemas.Reason{}
	}
	return r
}

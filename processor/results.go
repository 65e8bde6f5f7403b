package processor

import (
	"github.com/ThreeDotsLabs/watermill/message"

	"github.com/stepupauth/stepup/schemas"
	"github.com/stepupauth/stepup/state"
)

// HandleResult audits how a user answered a challenge. A passed challenge
// teaches the challenged device and network to the user's profile; a failed
// one closes the challenge. An answer given after the challenge expired is
// audited as expired, closes it and teaches nothing. A result for a challenge
// that is not pending for this user (unknown, already answered, or another
// user's) is audited as unknown_challenge and changes nothing.
//
// Note that a challenge nobody answers stays pending in memory; nothing
// writes an expired outcome for it yet.
func (p *Processor) HandleResult(msg *message.Message) error {
	ev, o, err := decode(msg, schemas.TypeChallengeResult)
	if err != nil {
		return err
	}
	r := ev.(*schemas.ChallengeResult)

	return p.cfg.State.With(r.UserID, func(u *state.User) error {
		pending, known := u.Pending[r.ChallengeID]
		rec := schemas.AuditRecord{
			Meta: schemas.Meta{ID: schemas.DeriveID("outcome", r.UserID, r.ID),
				Type: schemas.TypeAuditRecord, UserID: r.UserID, Time: r.Time},
			Kind: schemas.AuditChallengeOutcome,
			Subject: schemas.Subject{EventID: r.ID, EventType: r.Type, Topic: o.topic,
				Partition: o.partition, Offset: o.offset},
			SessionID:     r.SessionID,
			ChallengeID:   r.ChallengeID,
			Outcome:       schemas.OutcomeUnknownChallenge,
			PolicyVersion: p.cfg.Policy.Current().Version,
			RecordedAt:    p.now().UTC(),
		}
		expired := known && r.Time.After(pending.ExpiresAt)
		if known {
			rec.Outcome = r.Result
			rec.Action = pending.Action
			rec.Challenge = pending.Challenge
		}
		if expired {
			rec.Outcome = schemas.OutcomeExpired
		}
		var out outputs
		out.addAudit(p, msg, &rec)
		if err := p.publish(out); err != nil {
			return err
		}

		if known {
			delete(u.Pending, r.ChallengeID)
			if r.Result == schemas.ResultPassed && !expired {
				u.Profile.Learn(pending.Observation, r.Time)
			}
		}
		p.stats.eventsIn.Add(1)
		p.stats.results.Add(1)
		p.stats.audits.Add(1)
		p.log.Debug("challenge result", "event_id", r.ID, "challenge_id", r.ChallengeID,
			"outcome", rec.Outcome)
		return nil
	})
}

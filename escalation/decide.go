package escalation

import (
	"github.com/stepupauth/stepup/schemas"
	"github.com/stepupauth/stepup/scoring"
)

// Decision is what the policy demands for one scored event.
type Decision struct {
	// Outcome is schemas.OutcomeAllow, OutcomeChallenge or OutcomeDeny.
	Outcome     string
	Rung        Rung
	Sensitivity scoring.Sensitivity
	Result      scoring.Result
	Policy      string
}

// Sensitivity returns how sensitive the named action is under p.
func (p *Policy) Sensitivity(action string) scoring.Sensitivity {
	if a, ok := p.Actions[action]; ok {
		return a.Sensitivity
	}
	return p.DefaultAction.Sensitivity
}

// Decide scores obs against the profile and picks the rung for the action's
// sensitivity and the resulting level. The observation's Sensitivity is set
// from the policy. Decide does not change the profile.
func (p *Policy) Decide(prof *scoring.Profile, action string, obs scoring.Observation) Decision {
	obs.Sensitivity = p.Sensitivity(action)
	res := p.Scoring.Score(prof, obs)
	rung := p.Ladder[obs.Sensitivity][res.Level]

	outcome := schemas.OutcomeChallenge
	switch rung.Challenge {
	case schemas.ChallengeNone:
		outcome = schemas.OutcomeAllow
	case schemas.ChallengeDeny:
		outcome = schemas.OutcomeDeny
	}
	return Decision{
		Outcome:     outcome,
		Rung:        rung,
		Sensitivity: obs.Sensitivity,
		Result:      res,
		Policy:      p.Version,
	}
}

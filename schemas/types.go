package schemas

import "time"

// Event type names, each with its version. A new version of an event gets a
// new name and schema; the old one keeps being accepted until it is retired.
const (
	TypeSignup          = "stepup.signup.v1"
	TypeUserAction      = "stepup.user_action.v1"
	TypeChallengeResult = "stepup.challenge_result.v1"
	TypeStepUpRequired  = "stepup.step_up_required.v1"
	TypeAuditRecord     = "stepup.audit_record.v1"
	TypeDeadLetter      = "stepup.dead_letter.v1"
)

// Meta holds the fields every event has.
type Meta struct {
	ID     string    `json:"id"`
	Type   string    `json:"type"`
	UserID string    `json:"user_id,omitempty"`
	Time   time.Time `json:"time"`
}

// EventMeta returns the common fields; it makes every event type an Event.
func (m Meta) EventMeta() Meta { return m }

// Event is any decoded stepup event.
type Event interface {
	EventMeta() Meta
}

// Device holds the device and network facts the product saw with an event.
type Device struct {
	IP          string `json:"ip,omitempty"`
	UserAgent   string `json:"user_agent,omitempty"`
	DeviceID    string `json:"device_id,omitempty"`
	Fingerprint string `json:"fingerprint,omitempty"`
	Platform    string `json:"platform,omitempty"`
}

// Geo holds location hints supplied by an edge. They are hints: stepup treats
// them as claims, not facts.
type Geo struct {
	Country string `json:"country,omitempty"`
	Region  string `json:"region,omitempty"`
	City    string `json:"city,omitempty"`
	ASN     uint32 `json:"asn,omitempty"`
}

// Level is a coarse risk level.
type Level string

// Risk levels, from least to most risky.
const (
	LevelLow      Level = "low"
	LevelMedium   Level = "medium"
	LevelHigh     Level = "high"
	LevelCritical Level = "critical"
)

// Levels lists the risk levels from least to most risky.
var Levels = []Level{LevelLow, LevelMedium, LevelHigh, LevelCritical}

// Challenge is a rung of the escalation ladder.
type Challenge string

// The rungs of the escalation ladder, from no friction to refusal.
const (
	ChallengeNone       Challenge = "none"
	ChallengeEmailOTP   Challenge = "email_otp"
	ChallengeMFA        Challenge = "mfa"
	ChallengeIDDocument Challenge = "id_document"
	ChallengeBiometric  Challenge = "biometric"
	ChallengeDeny       Challenge = "deny"
)

// Reason is one cause of a risk score: a code such as "new_device", what it
// added to the score, and the value that triggered it. Values never hold raw
// personal data.
type Reason struct {
	Code         string  `json:"code"`
	Contribution float64 `json:"contribution"`
	Value        string  `json:"value,omitempty"`
}

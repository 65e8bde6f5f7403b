package schemas

import "time"

// Signup is a new account. Product services publish it to the signups topic.
type Signup struct {
	Meta
	SessionID string `json:"session_id,omitempty"`
	Email     string `json:"email,omitempty"`
	Device    Device `json:"device"`
	Geo       *Geo   `json:"geo,omitempty"`
}

// Actions that products report. The policy decides how sensitive each is.
const (
	ActionLogin             = "login"
	ActionLogout            = "logout"
	ActionLinkPaymentMethod = "link_payment_method"
	ActionChangeEmail       = "change_email"
	ActionChangePassword    = "change_password"
	ActionChangePhone       = "change_phone"
	ActionAddPayee          = "add_payee"
	ActionPayout            = "payout"
	ActionExportData        = "export_data"
)

// ActionSignup names the signup event where a decision needs an action name.
const ActionSignup = "signup"

// UserAction is something a user did or tries to do, published to the
// actions topic.
type UserAction struct {
	Meta
	SessionID string `json:"session_id,omitempty"`
	Action    string `json:"action"`
	Succeeded *bool  `json:"succeeded,omitempty"`
	Device    Device `json:"device"`
	Geo       *Geo   `json:"geo,omitempty"`
}

// Challenge results.
const (
	ResultPassed = "passed"
	ResultFailed = "failed"
)

// ChallengeResult is how a user answered a challenge, published by the
// workers that run challenges.
type ChallengeResult struct {
	Meta
	SessionID   string `json:"session_id,omitempty"`
	ChallengeID string `json:"challenge_id"`
	Result      string `json:"result"`
	Factor      string `json:"factor,omitempty"`
}

// StepUpRequired tells notification workers that the user must prove more
// before the action goes through. Challenge is ChallengeDeny when no proof can
// unlock it. Its ID and ChallengeID derive from the triggering event, so a
// redelivered input produces the same event again.
type StepUpRequired struct {
	Meta
	SessionID      string      `json:"session_id,omitempty"`
	ChallengeID    string      `json:"challenge_id"`
	TriggerEventID string      `json:"trigger_event_id"`
	Action         string      `json:"action"`
	Challenge      Challenge   `json:"challenge"`
	Alternatives   []Challenge `json:"alternatives,omitempty"`
	Level          Level       `json:"level"`
	Score          float64     `json:"score"`
	Reasons        []Reason    `json:"reasons"`
	ExpiresAt      time.Time   `json:"expires_at"`
	PolicyVersion  string      `json:"policy_version"`
}

// Audit record kinds.
const (
	AuditDecision         = "decision"
	AuditChallengeIssued  = "challenge_issued"
	AuditChallengeOutcome = "challenge_outcome"
)

// Audit outcomes.
const (
	OutcomeAllow            = "allow"
	OutcomeChallenge        = "challenge"
	OutcomeDeny             = "deny"
	OutcomeIssued           = "issued"
	OutcomePassed           = "passed"
	OutcomeFailed           = "failed"
	OutcomeExpired          = "expired"
	OutcomeUnknownChallenge = "unknown_challenge"
)

// Subject names the input event an audit record follows from and where it was
// read.
type Subject struct {
	EventID   string `json:"event_id"`
	EventType string `json:"event_type"`
	Topic     string `json:"topic,omitempty"`
	Partition int    `json:"partition"`
	Offset    int64  `json:"offset"`
}

// AuditRecord is one entry of the audit trail. It holds no raw personal data:
// no IP address, email or user agent. Its ID derives from the input event and
// the kind, so a redelivered input produces the same record again and the
// projection stores it once.
type AuditRecord struct {
	Meta
	Kind          string    `json:"kind"`
	Subject       Subject   `json:"subject"`
	SessionID     string    `json:"session_id,omitempty"`
	Action        string    `json:"action,omitempty"`
	Score         *float64  `json:"score,omitempty"`
	Level         Level     `json:"level,omitempty"`
	Reasons       []Reason  `json:"reasons,omitempty"`
	Outcome       string    `json:"outcome"`
	ChallengeID   string    `json:"challenge_id,omitempty"`
	Challenge     Challenge `json:"challenge,omitempty"`
	PolicyVersion string    `json:"policy_version,omitempty"`
	RecordedAt    time.Time `json:"recorded_at"`
}

// DeadLetterSource says where a dead letter was read.
type DeadLetterSource struct {
	Topic     string `json:"topic"`
	Partition int    `json:"partition"`
	Offset    int64  `json:"offset"`
	Handler   string `json:"handler,omitempty"`
}

// DeadLetter keeps an input that could not be processed: its key, headers
// and bytes, where it was read and why it was refused. Payload and Key hold
// the original bytes; JSON carries them as base64. A value too large for one
// Kafka record is cut: PayloadTruncated is set and PayloadSize and
// PayloadSHA256 describe the whole original.
type DeadLetter struct {
	Meta
	ReasonCode       string            `json:"reason_code"`
	Reason           string            `json:"reason"`
	Source           DeadLetterSource  `json:"source"`
	Key              []byte            `json:"key,omitempty"`
	Headers          map[string]string `json:"headers,omitempty"`
	Payload          []byte            `json:"payload"`
	PayloadTruncated bool              `json:"payload_truncated,omitempty"`
	PayloadSize      int               `json:"payload_size"`
	PayloadSHA256    string            `json:"payload_sha256,omitempty"`
}

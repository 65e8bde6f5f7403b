package schemas

import (
	"crypto/sha256"
	"encoding/hex"
	"time"
)

// CloudEvents Kafka protocol binding, binary mode: the attributes travel as
// ce_* headers and the record value is the JSON data.
const (
	HeaderSpecVersion = "ce_specversion"
	HeaderID          = "ce_id"
	HeaderSource      = "ce_source"
	HeaderType        = "ce_type"
	HeaderTime        = "ce_time"
	HeaderSubject     = "ce_subject"
	HeaderContentType = "content-type"

	SpecVersion     = "1.0"
	ContentTypeJSON = "application/json"
)

// CloudEventHeaders returns the binary-mode headers for ev as written by
// source (a URI reference such as "/stepupd"). The subject is the user id.
func CloudEventHeaders(ev Event, source string) map[string]string {
	m := ev.EventMeta()
	h := map[string]string{
		HeaderSpecVersion: SpecVersion,
		HeaderID:          m.ID,
		HeaderSource:      source,
		HeaderType:        m.Type,
		HeaderTime:        m.Time.UTC().Format(time.RFC3339Nano),
		HeaderContentType: ContentTypeJSON,
	}
	if m.UserID != "" {
		h[HeaderSubject] = m.UserID
	}
	return h
}

// CheckHeaders refuses an input whose CloudEvents headers contradict its data:
// a ce_type or ce_id that differs from the event's own. Absent headers are
// fine, since producers may send structured JSON without them.
func CheckHeaders(ev Event, headers map[string]string) error {
	m := ev.EventMeta()
	if t, ok := headers[HeaderType]; ok && t != m.Type {
		return wrap(ErrHeaderMismatch, "ce_type %s but data type %s", safeName(t), m.Type)
	}
	if id, ok := headers[HeaderID]; ok && id != m.ID {
		return wrap(ErrHeaderMismatch, "ce_id differs from data id")
	}
	return nil
}

// DeriveID returns a stable id for an output that follows from an input: the
// same parts always give the same id, so a redelivered input produces outputs
// that downstream consumers can recognise as repeats. kind separates the
// outputs of one input (a decision, a challenge, ...); parts name the input,
// such as its user id and event id, so that two users' events that happen to
// share an id still get outputs of their own.
func DeriveID(kind string, parts ...string) string {
	h := sha256.New()
	h.Write([]byte(kind))
	for _, p := range parts {
		h.Write([]byte{0})
		h.Write([]byte(p))
	}
	return kind + "-" + hex.EncodeToString(h.Sum(nil)[:12])
}

// ChallengeID returns the id of the challenge that the event eventID of user
// userID opens, if it opens one. It is the challenge_id of the StepUpRequired
// event and the one a challenge result must carry.
func ChallengeID(userID, eventID string) string {
	return DeriveID("challenge", userID, eventID)
}

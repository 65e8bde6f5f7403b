package projection

import (
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/segmentio/kafka-go"

	"github.com/stepupauth/stepup/schemas"
)

// DecodeMessage turns a message of the audit topic into its Row. It refuses,
// with a permanent error, a value that is not a valid audit record
// (schemas.Decode's errors, or ErrNotAuditRecord), CloudEvents headers that
// contradict it (schemas.ErrHeaderMismatch), and values that Postgres could
// not store (ErrUnstorable; invalid UTF-8 counts as schemas.ErrMalformed).
// Errors say what failed without quoting field values; only an event type
// name may be quoted.
func DecodeMessage(m kafka.Message) (Row, error) {
	if !utf8.Valid(m.Value) {
		return Row{}, fmt.Errorf("%w: value is not valid UTF-8", schemas.ErrMalformed)
	}
	ev, err := schemas.Decode(m.Value)
	if err != nil {
		return Row{}, err
	}
	rec, ok := ev.(*schemas.AuditRecord)
	if !ok {
		return Row{}, fmt.Errorf("%w: %w %q", ErrNotAuditRecord, schemas.ErrUnknownType,
			ev.EventMeta().Type)
	}
	if err := schemas.CheckHeaders(rec, headerMap(m.Headers)); err != nil {
		return Row{}, err
	}
	if field, bad := nulField(rec); bad {
		return Row{}, fmt.Errorf("%w: %w: NUL character in %s", ErrUnstorable, schemas.ErrSchema,
			field)
	}
	return NewRow(rec, m.Value, m.Topic, m.Partition, m.Offset)
}

func headerMap(hs []kafka.Header) map[string]string {
	m := make(map[string]string, len(hs))
	for _, h := range hs {
		m[h.Key] = string(h.Value)
	}
	return m
}

// nulField names the first string of rec that holds a NUL character, which
// neither text nor jsonb columns accept. The schema admits no properties
// beyond these, so they are all the strings a record can hold.
func nulField(rec *schemas.AuditRecord) (string, bool) {
	fields := []struct {
		name, value string
	}{
		{"id", rec.ID}, {"type", rec.Type}, {"user_id", rec.UserID}, {"kind", rec.Kind},
		{"subject.event_id", rec.Subject.EventID},
		{"subject.event_type", rec.Subject.EventType},
		{"subject.topic", rec.Subject.Topic}, {"session_id", rec.SessionID},
		{"action", rec.Action}, {"level", string(rec.Level)}, {"outcome", rec.Outcome},
		{"challenge_id", rec.ChallengeID}, {"challenge", string(rec.Challenge)},
		{"policy_version", rec.PolicyVersion},
	}
	for _, f := range fields {
		if strings.IndexByte(f.value, 0) >= 0 {
			return f.name, true
		}
	}
	for i, r := range rec.Reasons {
		if strings.IndexByte(r.Code, 0) >= 0 || strings.IndexByte(r.Value, 0) >= 0 {
			return fmt.Sprintf("reasons[%d]", i), true
		}
	}
	return "", false
}

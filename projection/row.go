package projection

import (
	"encoding/json"
	"fmt"
	"time"

	"github.com/stepupauth/stepup/schemas"
)

// Row is one audit record as stored in the audit_records table. Empty
// optional strings (Action, Level, ChallengeID, Challenge, PolicyVersion) are
// stored as NULL, and so is a nil Score.
type Row struct {
	ID            string
	Kind          string
	UserID        string
	EventID       string
	EventType     string
	Action        string
	Score         *float64
	Level         string
	Outcome       string
	ChallengeID   string
	Challenge     string
	PolicyVersion string
	OccurredAt    time.Time
	RecordedAt    time.Time

	// Reasons is the JSON array of the record's reasons; nil is stored as [].
	Reasons json.RawMessage

	// Record is the whole record as JSON, normally the bytes read from Kafka.
	Record json.RawMessage

	// Topic, Partition and Offset say where the record was read from the
	// audit topic.
	Topic     string
	Partition int
	Offset    int64
}

// NewRow builds the row for rec, whose JSON form is raw, read at the given
// place of the audit topic. raw is stored as it is, so it should be the
// bytes rec was decoded from. NewRow only fails if the reasons cannot be
// encoded, which does not happen for values that schemas.Decode returned.
func NewRow(rec *schemas.AuditRecord, raw []byte, topic string, partition int,
	offset int64) (Row, error) {
	reasons := []byte("[]")
	if len(rec.Reasons) > 0 {
		var err error
		if reasons, err = json.Marshal(rec.Reasons); err != nil {
			return Row{}, fmt.Errorf("cannot encode reasons: %w", err)
		}
	}
	return Row{
		ID:            rec.ID,
		Kind:          rec.Kind,
		UserID:        rec.UserID,
		EventID:       rec.Subject.EventID,
		EventType:     rec.Subject.EventType,
		Action:        rec.Action,
		Score:         rec.Score,
		Level:         string(rec.Level),
		Outcome:       rec.Outcome,
		ChallengeID:   rec.ChallengeID,
		Challenge:     string(rec.Challenge),
		PolicyVersion: rec.PolicyVersion,
		OccurredAt:    rec.Time,
		RecordedAt:    rec.RecordedAt,
		Reasons:       reasons,
		Record:        raw,
		Topic:         topic,
		Partition:     partition,
		Offset:        offset,
	}, nil
}

package projection

import (
	"encoding/json"
	"strings"
)

// stageTable is a temporary table, private to each database session. It is
// created on first use in a session and emptied at every commit or rollback,
// so a pooled connection carries no rows from one batch to the next.
const stageTable = "projection_audit_stage"

// stageColumns are the columns a Row fills, in the order rowSource gives them.
var stageColumns = []string{
	"id", "kind", "user_id", "event_id", "event_type", "action", "score",
	"level", "outcome", "challenge_id", "challenge", "policy_version",
	"occurred_at", "recorded_at", "reasons", "record",
	"audit_topic", "audit_partition", "audit_offset",
}

// createStage takes the staged columns from audit_records, so the two stay in
// step as migrations change types. Running it again in a session only
// raises a notice.
var createStage = "create temp table if not exists " + stageTable +
	" on commit delete rows as select " + strings.Join(stageColumns, ", ") +
	" from audit_records with no data"

// moveStaged inserts in id order, so that concurrent batches lock shared ids
// in the same order.
var moveStaged = "insert into audit_records (" + strings.Join(stageColumns, ", ") + ") " +
	"select " + strings.Join(stageColumns, ", ") + " from " + stageTable +
	" order by id on conflict (id) do nothing"

// rowSource feeds rows to COPY, skipping repeats of an id already given.
type rowSource struct {
	rows []Row
	next int
	cur  *Row
	seen map[string]struct{}
}

func newRowSource(rows []Row) *rowSource {
	return &rowSource{rows: rows, seen: make(map[string]struct{}, len(rows))}
}

func (s *rowSource) Next() bool {
	for s.next < len(s.rows) {
		r := &s.rows[s.next]
		s.next++
		if _, dup := s.seen[r.ID]; dup {
			continue
		}
		s.seen[r.ID] = struct{}{}
		s.cur = r
		return true
	}
	return false
}

func (s *rowSource) Values() ([]any, error) {
	r := s.cur
	return []any{
		r.ID, r.Kind, r.UserID, r.EventID, r.EventType, nullable(r.Action), r.Score,
		nullable(r.Level), r.Outcome, nullable(r.ChallengeID), nullable(r.Challenge),
		nullable(r.PolicyVersion), r.OccurredAt, r.RecordedAt, reasonsOrEmpty(r.Reasons),
		r.Record, r.Topic, int32(r.Partition), r.Offset,
	}, nil
}

func (s *rowSource) Err() error { return nil }

func nullable(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

func reasonsOrEmpty(r json.RawMessage) json.RawMessage {
	if len(r) == 0 {
		return json.RawMessage("[]")
	}
	return r
}

package projection_test

import (
	"context"
	"testing"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/stepupauth/stepup/projection"
)

// readRow loads the stored row id back into a projection.Row. NULL columns
// come back as empty strings, the way the Store writes them.
func readRow(t testing.TB, ctx context.Context, pool *pgxpool.Pool, id string) projection.Row {
	t.Helper()
	var r projection.Row
	var action, level, challengeID, challenge, pver *string
	err := pool.QueryRow(ctx, `
		select id, kind, user_id, event_id, event_type, action, score, level,
		       outcome, challenge_id, challenge, policy_version, occurred_at,
		       recorded_at, reasons, record, audit_topic, audit_partition,
		       audit_offset
		from audit_records where id = $1`, id).Scan(
		&r.ID, &r.Kind, &r.UserID, &r.EventID, &r.EventType, &action, &r.Score,
		&level, &r.Outcome, &challengeID, &challenge, &pver, &r.OccurredAt,
		&r.RecordedAt, &r.Reasons, &r.Record, &r.Topic, &r.Partition, &r.Offset)
	if err != nil {
		t.Fatalf("read row %s: %v", id, err)
	}
	r.Action, r.Level, r.ChallengeID = deref(action), deref(level), deref(challengeID)
	r.Challenge, r.PolicyVersion = deref(challenge), deref(pver)
	return r
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

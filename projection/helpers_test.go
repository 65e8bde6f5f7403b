package projection_test

import (
	"context"
	"encoding/json"
	"fmt"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/stepupauth/stepup/internal/testenv"
	"github.com/stepupauth/stepup/projection"
	"github.com/stepupauth/stepup/schemas"
)

// migratedDB returns the URL of a fresh database with the projection tables.
func migratedDB(t testing.TB) string {
	t.Helper()
	url := testenv.DatabaseURL(t)
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, url)
	if err != nil {
		t.Fatalf("connect: %v", err)
	}
	defer conn.Close(ctx)
	if err := projection.Migrate(ctx, conn); err != nil {
		t.Fatalf("Migrate: %v", err)
	}
	return url
}

// newPool opens a pool on url that is closed when the test ends.
func newPool(t testing.TB, url string) *pgxpool.Pool {
	t.Helper()
	pool, err := pgxpool.New(context.Background(), url)
	if err != nil {
		t.Fatalf("pgxpool.New: %v", err)
	}
	t.Cleanup(pool.Close)
	return pool
}

// record returns the i-th audit record of a test run, with kinds, scores and
// optional fields varying with i.
func record(run string, i int) *schemas.AuditRecord {
	at := time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC).Add(time.Duration(i) * time.Second)
	eventID := fmt.Sprintf("ev-%s-%d", run, i)
	rec := &schemas.AuditRecord{
		Meta: schemas.Meta{
			Type:   schemas.TypeAuditRecord,
			UserID: fmt.Sprintf("user-%d", i%7),
			Time:   at,
		},
		Subject:    schemas.Subject{EventID: eventID, EventType: schemas.TypeUserAction},
		Action:     schemas.ActionPayout,
		RecordedAt: at.Add(15 * time.Millisecond),
	}
	switch i % 3 {
	case 0:
		score := float64(i%100) / 100
		rec.Kind, rec.Outcome = schemas.AuditDecision, schemas.OutcomeChallenge
		rec.Score, rec.Level = &score, schemas.LevelHigh
		rec.Reasons = []schemas.Reason{{Code: "new_device", Contribution: 0.4}}
		rec.PolicyVersion = "policy-7"
	case 1:
		rec.Kind, rec.Outcome = schemas.AuditChallengeIssued, schemas.OutcomeIssued
		rec.ChallengeID = "ch-" + eventID
		rec.Challenge = schemas.ChallengeMFA
	default:
		rec.Kind, rec.Outcome = schemas.AuditChallengeOutcome, schemas.OutcomePassed
		rec.Action = ""
		rec.ChallengeID = "ch-" + eventID
	}
	rec.ID = schemas.DeriveID(rec.Kind, eventID)
	return rec
}

// encode returns rec as JSON, failing the test if it is not a valid record.
func encode(t testing.TB, rec *schemas.AuditRecord) []byte {
	t.Helper()
	raw, err := json.Marshal(rec)
	if err != nil {
		t.Fatalf("marshal: %v", err)
	}
	if _, err := schemas.Decode(raw); err != nil {
		t.Fatalf("test record %s is invalid: %v", rec.ID, err)
	}
	return raw
}

// rows returns n rows built from record(run, 0..n-1).
func rows(t testing.TB, run string, n int) []projection.Row {
	t.Helper()
	out := make([]projection.Row, n)
	for i := range out {
		rec := record(run, i)
		row, err := projection.NewRow(rec, encode(t, rec), "audit", i%3, int64(i))
		if err != nil {
			t.Fatalf("NewRow: %v", err)
		}
		out[i] = row
	}
	return out
}

// waitFor polls cond until it holds or timeout passes.
func waitFor(t testing.TB, timeout time.Duration, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out after %v waiting for %s", timeout, what)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

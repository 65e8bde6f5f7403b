package projection_test

import (
	"context"
	"encoding/json"
	"reflect"
	"testing"
	"time"

	"github.com/stepupauth/stepup/projection"
)

func TestInsertBatchIsIdempotent(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	store := projection.NewStore(newPool(t, migratedDB(t)))
	all := rows(t, "idem", 10)

	// Each step runs against the rows left by the steps before it.
	steps := []struct {
		name         string
		batch        []projection.Row
		wantInserted int
		wantCount    int64
	}{
		{"empty batch", nil, 0, 0},
		{"new rows", all[:4], 4, 4},
		{"same batch again", all[:4], 0, 4},
		{"duplicate within batch", []projection.Row{all[4], all[4], all[5]}, 2, 6},
		{"old and new mixed", all[3:], 4, 10},
	}
	for _, st := range steps {
		inserted, err := store.InsertBatch(ctx, st.batch)
		if err != nil {
			t.Fatalf("%s: InsertBatch: %v", st.name, err)
		}
		if inserted != st.wantInserted {
			t.Errorf("%s: inserted = %d, want %d", st.name, inserted, st.wantInserted)
		}
		count, err := store.Count(ctx)
		if err != nil {
			t.Fatalf("%s: Count: %v", st.name, err)
		}
		if count != st.wantCount {
			t.Errorf("%s: Count = %d, want %d", st.name, count, st.wantCount)
		}
	}
}

func TestInsertBatchIsAtomic(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	store := projection.NewStore(newPool(t, migratedDB(t)))
	batch := rows(t, "atomic", 3)
	batch[2].UserID = "bad\x00user" // Postgres text cannot hold NUL

	if _, err := store.InsertBatch(ctx, batch); err == nil {
		t.Fatal("InsertBatch accepted a row with a NUL byte")
	}
	if n, err := store.Count(ctx); err != nil || n != 0 {
		t.Errorf("after a failed batch Count = %d, %v; want 0 rows", n, err)
	}
}

func TestInsertBatchColumns(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	pool := newPool(t, migratedDB(t))
	store := projection.NewStore(pool)
	batch := rows(t, "cols", 3)
	if _, err := store.InsertBatch(ctx, batch); err != nil {
		t.Fatalf("InsertBatch: %v", err)
	}

	for _, want := range batch {
		t.Run(want.Kind, func(t *testing.T) {
			got := readRow(t, ctx, pool, want.ID)
			if !sameRow(got, want) {
				t.Errorf("stored row differs\n got %+v\nwant %+v", got, want)
			}

			// Absent optional values are NULL, not empty strings.
			var nulls, empties int
			err := pool.QueryRow(ctx, `
				select num_nulls(action, score, level, challenge_id, challenge, policy_version),
				       num_nonnulls(action, level, challenge_id, challenge, policy_version) -
				       num_nonnulls(nullif(action, ''), nullif(level, ''),
				                    nullif(challenge_id, ''), nullif(challenge, ''),
				                    nullif(policy_version, ''))
				from audit_records where id = $1`, want.ID).Scan(&nulls, &empties)
			if err != nil {
				t.Fatalf("count NULLs: %v", err)
			}
			wantNulls := 0
			for _, s := range []string{want.Action, want.Level, want.ChallengeID,
				want.Challenge, want.PolicyVersion} {
				if s == "" {
					wantNulls++
				}
			}
			if want.Score == nil {
				wantNulls++
			}
			if nulls != wantNulls || empties != 0 {
				t.Errorf("%d NULLs and %d empty strings, want %d NULLs and none empty",
					nulls, empties, wantNulls)
			}
		})
	}
}

func TestCountIDs(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	store := projection.NewStore(newPool(t, migratedDB(t)))
	batch := rows(t, "ids", 3)
	if _, err := store.InsertBatch(ctx, batch); err != nil {
		t.Fatalf("InsertBatch: %v", err)
	}
	a, b, c := batch[0].ID, batch[1].ID, batch[2].ID

	tests := []struct {
		name string
		ids  []string
		want int
	}{
		{"none", nil, 0},
		{"all", []string{a, b, c}, 3},
		{"some missing", []string{a, "missing-1", c, "missing-2"}, 2},
		{"repeated id", []string{b, b, b}, 1},
		{"only missing", []string{"missing"}, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := store.CountIDs(ctx, tt.ids)
			if err != nil {
				t.Fatalf("CountIDs: %v", err)
			}
			if got != tt.want {
				t.Errorf("CountIDs = %d, want %d", got, tt.want)
			}
		})
	}
}

// sameRow compares rows, treating JSON by value and times by instant.
func sameRow(got, want projection.Row) bool {
	if !jsonEqual(got.Reasons, want.Reasons) || !jsonEqual(got.Record, want.Record) ||
		!got.OccurredAt.Equal(want.OccurredAt) || !got.RecordedAt.Equal(want.RecordedAt) {
		return false
	}
	got.Reasons, got.Record, want.Reasons, want.Record = nil, nil, nil, nil
	got.OccurredAt, got.RecordedAt = time.Time{}, time.Time{}
	want.OccurredAt, want.RecordedAt = time.Time{}, time.Time{}
	return reflect.DeepEqual(got, want)
}

func jsonEqual(a, b json.RawMessage) bool {
	var va, vb any
	if json.Unmarshal(a, &va) != nil || json.Unmarshal(b, &vb) != nil {
		return false
	}
	return reflect.DeepEqual(va, vb)
}

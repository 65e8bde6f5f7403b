package projection_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/stepupauth/stepup/projection"
)

// BenchmarkInsertStrategies compares InsertBatch with two other ways to
// store a batch idempotently in one transaction, to back its choice:
//
//	go test ./projection -run '^$' -bench InsertStrategies -benchtime 300x
func BenchmarkInsertStrategies(b *testing.B) {
	strategies := []struct {
		name   string
		insert func(context.Context, *pgxpool.Pool, []projection.Row) (int, error)
	}{
		{"InsertBatch", insertWithStore},
		{"pgx_batch_of_inserts", insertPipelined},
	}
	for _, s := range strategies {
		b.Run(s.name+"/rows=1000", func(b *testing.B) {
			ctx := context.Background()
			pool := newPool(b, migratedDB(b))
			benchInsert(b, 1000, func(batch []projection.Row) (int, error) {
				return s.insert(ctx, pool, batch)
			})
		})
	}
}

// benchInsert times insert on b.N batches of size new rows and reports rows
// per second.
func benchInsert(b *testing.B, size int, insert func([]projection.Row) (int, error)) {
	batch := rows(b, "bench", size)
	ids := make([]string, size)
	for i := range batch {
		ids[i] = batch[i].ID
	}

	b.ResetTimer()
	for n := range b.N {
		b.StopTimer()
		for i := range batch {
			batch[i].ID = fmt.Sprintf("%s-%d", ids[i], n)
		}
		b.StartTimer()

		inserted, err := insert(batch)
		if err != nil {
			b.Fatalf("insert: %v", err)
		}
		if inserted != size {
			b.Fatalf("inserted %d rows, want %d", inserted, size)
		}
	}
	b.ReportMetric(float64(b.N*size)/b.Elapsed().Seconds(), "rows/s")
}

func insertWithStore(ctx context.Context, pool *pgxpool.Pool, rows []projection.Row) (int, error) {
	return projection.NewStore(pool).InsertBatch(ctx, rows)
}

const insertOne = `insert into audit_records (id, kind, user_id, event_id, event_type,
	action, score, level, outcome, challenge_id, challenge, policy_version, occurred_at,
	recorded_at, reasons, record, audit_topic, audit_partition, audit_offset)
	values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17,
	$18, $19)
	on conflict (id) do nothing`

// insertPipelined sends one INSERT per row in a single pgx.Batch, within one
// transaction.
func insertPipelined(ctx context.Context, pool *pgxpool.Pool, rows []projection.Row) (int, error) {
	tx, err := pool.Begin(ctx)
	if err != nil {
		return 0, err
	}
	defer func() { _ = tx.Rollback(ctx) }()

	var batch pgx.Batch
	for _, r := range rows {
		batch.Queue(insertOne, r.ID, r.Kind, r.UserID, r.EventID, r.EventType, orNull(r.Action),
			r.Score, orNull(r.Level), r.Outcome, orNull(r.ChallengeID), orNull(r.Challenge),
			orNull(r.PolicyVersion), r.OccurredAt, r.RecordedAt, r.Reasons, r.Record, r.Topic,
			int32(r.Partition), r.Offset)
	}
	results := tx.SendBatch(ctx, &batch)
	inserted := 0
	for range rows {
		tag, err := results.Exec()
		if err != nil {
			results.Close()
			return 0, err
		}
		inserted += int(tag.RowsAffected())
	}
	if err := results.Close(); err != nil {
		return 0, err
	}
	return inserted, tx.Commit(ctx)
}

func orNull(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

package projection

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

// Store writes and counts audit rows in Postgres. It is safe for concurrent
// use. The table must exist: see Migrate.
//
// Note that each pooled connection keeps a temporary staging table, made in
// the shape of audit_records when the connection first inserts. A migration
// that changes those columns while a Store runs reaches only connections
// opened after it; restart or reset the pool after such a migration.
type Store struct {
	pool *pgxpool.Pool
}

// NewStore returns a Store over pool. The Store does not close the pool.
func NewStore(pool *pgxpool.Pool) *Store {
	return &Store{pool: pool}
}

// InsertBatch stores rows in one transaction: either all new rows are
// committed or none is. A row whose id is already stored, or repeats an
// earlier row of the same batch, is left out, so storing a batch again is
// harmless; inserted counts only the rows that were new. The first row of an
// id wins, including its Topic, Partition and Offset.
//
// Rows are copied into a session-local staging table and moved with one
// INSERT ... SELECT, which measured faster than a pipeline of INSERTs.
//
// Concurrent calls may overlap: rows are inserted in id order, so two
// batches that share ids wait for each other rather than deadlock.
//
// An error normally means nothing of the batch was stored; if the connection
// broke during the commit, the rows may be stored all the same. Either way,
// retrying the whole batch is safe. Note that if the database refuses a row
// for its content (for example a NUL character in a string), every retry
// fails the same way.
func (s *Store) InsertBatch(ctx context.Context, rows []Row) (inserted int, err error) {
	if len(rows) == 0 {
		return 0, nil
	}

	tx, err := s.pool.Begin(ctx)
	if err != nil {
		return 0, fmt.Errorf("cannot begin audit row transaction: %w", err)
	}
	defer func() {
		// After Commit this does nothing; after a failure it may find the
		// connection already closed, which discards the transaction too.
		_ = tx.Rollback(context.WithoutCancel(ctx))
	}()

	if inserted, err = stage(ctx, tx, rows); err != nil {
		return 0, fmt.Errorf("cannot insert audit rows: %w", err)
	}
	if err := tx.Commit(ctx); err != nil {
		return 0, fmt.Errorf("cannot commit audit rows: %w", err)
	}
	return inserted, nil
}

// Count returns the number of stored audit rows.
func (s *Store) Count(ctx context.Context) (int64, error) {
	var n int64
	if err := s.pool.QueryRow(ctx, "select count(*) from audit_records").Scan(&n); err != nil {
		return 0, fmt.Errorf("cannot count audit rows: %w", err)
	}
	return n, nil
}

// CountIDs returns how many of ids have a stored row. An id listed twice
// counts once.
func (s *Store) CountIDs(ctx context.Context, ids []string) (int, error) {
	if len(ids) == 0 {
		return 0, nil
	}
	var n int
	err := s.pool.QueryRow(ctx,
		"select count(*) from audit_records where id = any($1::text[])", ids).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("cannot count audit rows by id: %w", err)
	}
	return n, nil
}

// stage copies rows into the staging table and moves the new ones into
// audit_records, all within tx. It returns how many rows were new.
func stage(ctx context.Context, tx pgx.Tx, rows []Row) (int, error) {
	if _, err := tx.Exec(ctx, createStage); err != nil {
		return 0, fmt.Errorf("cannot create staging table: %w", err)
	}
	src := newRowSource(rows)
	if _, err := tx.CopyFrom(ctx, pgx.Identifier{stageTable}, stageColumns, src); err != nil {
		return 0, fmt.Errorf("cannot copy into staging table: %w", err)
	}
	tag, err := tx.Exec(ctx, moveStaged)
	if err != nil {
		return 0, err
	}
	return int(tag.RowsAffected()), nil
}

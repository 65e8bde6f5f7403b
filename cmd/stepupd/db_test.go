package main_test

import (
	"context"
	"testing"

	"github.com/jackc/pgx/v5"
)

// countRows counts audit rows matching where.
func countRows(t *testing.T, url, where string) int {
	t.Helper()
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	var n int
	if err := conn.QueryRow(ctx, "select count(*) from audit_records where "+where).
		Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

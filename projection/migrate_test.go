package projection_test

import (
	"context"
	"testing"

	"github.com/jackc/pgx/v5"

	"github.com/stepupauth/stepup/internal/testenv"
	"github.com/stepupauth/stepup/projection"
)

func TestMigrateTwiceIsNoop(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, testenv.DatabaseURL(t))
	if err != nil {
		t.Fatalf("connect: %v", err)
	}
	defer conn.Close(ctx)

	for i := range 2 {
		if err := projection.Migrate(ctx, conn); err != nil {
			t.Fatalf("Migrate run %d: %v", i+1, err)
		}
	}

	var version int
	err = conn.QueryRow(ctx, "select version from "+projection.VersionTable).Scan(&version)
	if err != nil {
		t.Fatalf("read version: %v", err)
	}
	if version != 1 {
		t.Errorf("schema version = %d, want 1", version)
	}

	var indexes int
	err = conn.QueryRow(ctx,
		"select count(*) from pg_indexes where tablename = 'audit_records'").Scan(&indexes)
	if err != nil {
		t.Fatalf("count indexes: %v", err)
	}
	if indexes != 3 { // primary key and the two query indexes
		t.Errorf("audit_records has %d indexes, want 3", indexes)
	}
}

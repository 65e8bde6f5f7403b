package projection

import (
	"context"
	"embed"
	"fmt"
	"io/fs"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/tern/v2/migrate"
)

//go:embed migrations/*.sql
var migrationFiles embed.FS

// VersionTable is the table where Migrate records the schema version of this
// package. It is separate from other packages' version tables, so each
// package migrates on its own.
const VersionTable = "projection_schema_version"

// Migrate brings the projection tables in conn's database to the latest
// version. Each migration runs in its own transaction and is recorded in
// VersionTable, so running Migrate again is a no-op, and concurrent callers
// are serialised by an advisory lock. It never migrates down: a database at
// a newer version than this package knows is an error and is left as it is.
func Migrate(ctx context.Context, conn *pgx.Conn) error {
	m, err := migrate.NewMigrator(ctx, conn, VersionTable)
	if err != nil {
		return fmt.Errorf("cannot prepare projection migrations: %w", err)
	}

	sub, err := fs.Sub(migrationFiles, "migrations")
	if err != nil {
		return fmt.Errorf("cannot open projection migrations: %w", err)
	}
	if err := m.LoadMigrations(sub); err != nil {
		return fmt.Errorf("cannot load projection migrations: %w", err)
	}

	if err := m.Migrate(ctx); err != nil {
		return fmt.Errorf("cannot migrate projection tables: %w", err)
	}
	return nil
}

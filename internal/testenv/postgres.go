package testenv

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"net/url"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
)

const (
	envDatabaseURL        = "STEPUP_TEST_DATABASE_URL"
	envRequireIntegration = "STEPUP_REQUIRE_INTEGRATION"
)

// SkipOrFail ends an integration test whose dependency is not configured.
// It skips with why as the message, unless STEPUP_REQUIRE_INTEGRATION=1, in
// which case it fails the test instead: CI sets that variable so that no
// integration test can pass by being skipped. why should say how to enable
// the test.
func SkipOrFail(t testing.TB, why string) {
	t.Helper()
	if os.Getenv(envRequireIntegration) == "1" {
		t.Fatalf("%s (%s=1 forbids skipping)", why, envRequireIntegration)
	}
	t.Skip(why)
}

// DatabaseURL returns a connection string for a new, empty database that only
// this test uses. The database is created through the server that
// STEPUP_TEST_DATABASE_URL points at (its role needs CREATEDB) with a random
// name stepup_test_<hex>, and dropped when the test ends, even if connections
// to it are still open. Without the variable the test is skipped, or failed
// under STEPUP_REQUIRE_INTEGRATION=1 (see SkipOrFail).
//
// The variable may be a postgres:// URL or a key=value string; the result has
// the same form with only the database name changed.
func DatabaseURL(t testing.TB) string {
	t.Helper()
	admin := os.Getenv(envDatabaseURL)
	if admin == "" {
		SkipOrFail(t, "Postgres tests need "+envDatabaseURL+"; run .ci/postgres/start and "+
			"export "+envDatabaseURL+"=postgres://stepup:stepup@127.0.0.1:5432/stepup?sslmode=disable")
	}

	name := "stepup_test_" + randomHex(8)
	if err := adminExec(admin, "create database "+name); err != nil {
		t.Fatalf("testenv: cannot create database %s: %v", name, err)
	}
	t.Cleanup(func() {
		if err := adminExec(admin, "drop database if exists "+name+" with (force)"); err != nil {
			t.Errorf("testenv: cannot drop database %s: %v", name, err)
		}
	})

	dsn, err := withDatabase(admin, name)
	if err != nil {
		t.Fatalf("testenv: %s: %v", envDatabaseURL, err)
	}
	return dsn
}

// adminExec runs one statement on its own short-lived connection.
func adminExec(dsn, sql string) error {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()

	conn, err := pgx.Connect(ctx, dsn)
	if err != nil {
		return err
	}
	defer conn.Close(context.Background())

	_, err = conn.Exec(ctx, sql)
	return err
}

// withDatabase returns dsn pointing at database name instead.
func withDatabase(dsn, name string) (string, error) {
	if !strings.HasPrefix(dsn, "postgres://") && !strings.HasPrefix(dsn, "postgresql://") {
		// In key=value form a later key overrides an earlier one.
		return dsn + " dbname=" + name, nil
	}
	u, err := url.Parse(dsn)
	if err != nil {
		// url.Error quotes the whole URL, password included; keep only the cause.
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err
		}
		return "", fmt.Errorf("cannot parse URL: %w", err)
	}
	u.Path = "/" + name
	u.RawPath = ""
	return u.String(), nil
}

func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b) // crypto/rand.Read never fails
	return hex.EncodeToString(b)
}

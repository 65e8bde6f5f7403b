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
	"github.com/jackc/pgx/v5/pgconn"
)

// Environment variables read by the Postgres helpers and SkipOrFail.
const (
	// DatabaseURLEnv is a connection string to a Postgres server on which
	// its role may create databases, for example the URL that
	// .ci/postgres/start prints.
	DatabaseURLEnv = "STEPUP_TEST_DATABASE_URL"

	// RequireIntegrationEnv, set to "1", turns every skip of SkipOrFail
	// into a failure. CI sets it.
	RequireIntegrationEnv = "STEPUP_REQUIRE_INTEGRATION"
)

// SkipOrFail ends an integration test whose dependency is not configured.
// It skips with why as the message, unless RequireIntegrationEnv is "1", in
// which case it fails the test instead: CI sets that variable so that no
// integration test can pass by being skipped. why should say how to enable
// the test.
func SkipOrFail(t testing.TB, why string) {
	t.Helper()
	if os.Getenv(RequireIntegrationEnv) == "1" {
		t.Fatalf("%s (%s=1 forbids skipping)", why, RequireIntegrationEnv)
	}
	t.Skip(why)
}

// DatabaseURL returns a connection string for a new, empty database that only
// this test uses. The database is created through the server that
// DatabaseURLEnv points at, with a random name stepup_test_<hex>, and dropped
// when the test and its cleanups end; connections of the same role still
// open then are closed by the server. Without the variable the test is
// skipped, or failed under RequireIntegrationEnv (see SkipOrFail).
//
// The variable may be a postgres:// URL or a key=value string; the result has
// the same form with only the database name changed.
func DatabaseURL(t testing.TB) string {
	t.Helper()
	admin := os.Getenv(DatabaseURLEnv)
	if admin == "" {
		SkipOrFail(t, "Postgres tests need "+DatabaseURLEnv+": run .ci/postgres/start and "+
			"export "+DatabaseURLEnv+"=<the URL it prints>")
	}

	name := "stepup_test_" + randomHex(8)
	dsn, err := withDatabase(admin, name)
	if err != nil {
		t.Fatalf("testenv: %s: %v", DatabaseURLEnv, err)
	}

	if err := adminExec(admin, "create database "+name); err != nil {
		t.Fatalf("testenv: cannot create database %s: %v", name, err)
	}
	t.Cleanup(func() {
		if err := dropDatabase(admin, name); err != nil {
			t.Errorf("testenv: cannot drop database %s: %v", name, err)
		}
	})
	return dsn
}

// dropDatabase drops database name. A plain DROP DATABASE ends autovacuum
// workers on it but fails while other sessions are connected; WITH (FORCE)
// ends sessions of our own role but, for want of privilege, fails while an
// autovacuum worker is there. So it tries the first, then the second, a few
// times.
func dropDatabase(admin, name string) error {
	var err error
	for range 10 {
		err = adminExec(admin, "drop database if exists "+name)
		var pgErr *pgconn.PgError
		if err == nil || !errors.As(err, &pgErr) || pgErr.Code != objectInUse {
			return err
		}
		if err = adminExec(admin, "drop database if exists "+name+" with (force)"); err == nil {
			return nil
		}
		time.Sleep(200 * time.Millisecond)
	}
	return err
}

// objectInUse is the SQLSTATE of "database is being accessed by other users".
const objectInUse = "55006"

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

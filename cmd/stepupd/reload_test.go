package main_test

import (
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/stepupauth/stepup/escalation"
	"github.com/stepupauth/stepup/internal/testenv"
)

// SIGHUP reloads the policy file; a broken file is refused and the running
// policy stays.
func TestRunReloadsPolicyOnSIGHUP(t *testing.T) {
	brokers := testenv.KafkaBrokers(t)
	path := filepath.Join(t.TempDir(), "policy.yaml")
	good := string(escalation.DefaultPolicy())
	write := func(s string) {
		t.Helper()
		if err := os.WriteFile(path, []byte(s), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	write(strings.Replace(good, `version: "default-2026.12.1"`, `version: "first"`, 1))

	cmd, _, stderr := stepupd(t, []string{"STEPUP_KAFKA_BROKERS=" + strings.Join(brokers, ","),
		"STEPUP_TOPIC_PREFIX=" + testenv.UniqueName("reload") + ".",
		"STEPUP_GROUP=" + testenv.UniqueName("reload"), "STEPUP_PARTITIONS=1"},
		"run", "--policy", path)
	defer func() {
		_ = cmd.Process.Signal(syscall.SIGTERM)
		wait(t, cmd, 60*time.Second)
	}()
	waitFor(t, 60*time.Second, "start", func() bool {
		return strings.Contains(stderr.String(), "pipeline started")
	})
	if !strings.Contains(stderr.String(), "policy_version=first") {
		t.Fatalf("started without the file's policy:\n%s", stderr)
	}

	write(strings.Replace(good, `version: "default-2026.12.1"`, `version: "second"`, 1))
	_ = cmd.Process.Signal(syscall.SIGHUP)
	waitFor(t, 10*time.Second, "reload", func() bool {
		return strings.Contains(stderr.String(), "policy loaded") &&
			strings.Contains(stderr.String(), "version=second")
	})

	write("version: third\nchallenge_ttl: [\n")
	_ = cmd.Process.Signal(syscall.SIGHUP)
	waitFor(t, 10*time.Second, "refusal", func() bool {
		return strings.Contains(stderr.String(), "policy refused") &&
			strings.Contains(stderr.String(), "running_version=second")
	})
}

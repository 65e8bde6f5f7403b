package testenv

import (
	"crypto/rand"
	"encoding/hex"
	"os"
	"strings"
	"testing"

	"github.com/stepupauth/stepup/broker"
)

// Environment variables read by the Kafka helpers.
const (
	// KafkaBrokersEnv lists the brokers of a real cluster, comma separated
	// (for example "127.0.0.1:19092"). When it is unset, tests use an
	// in-process broker.
	KafkaBrokersEnv = "STEPUP_TEST_KAFKA_BROKERS"

	// KafkaRestartEnv is the path of a script that restarts the broker of
	// KafkaBrokersEnv, keeping its data. Reconnect tests run only when both
	// variables are set.
	KafkaRestartEnv = "STEPUP_TEST_KAFKA_RESTART"
)

// KafkaBrokers returns the broker addresses a test should use.
//
// When KafkaBrokersEnv is set, it returns its comma-separated entries and
// the test shares that cluster with every other test: use [UniqueName] for
// topics and groups. Otherwise it starts an in-process broker for t alone,
// closed by t.Cleanup, and logs that it does so; under
// STEPUP_REQUIRE_INTEGRATION=1 it fails the test instead. A broker that cannot start
// fails the test at once.
func KafkaBrokers(t testing.TB) []string {
	t.Helper()

	if brokers := splitList(os.Getenv(KafkaBrokersEnv)); len(brokers) > 0 {
		return brokers
	}
	if os.Getenv(RequireIntegrationEnv) == "1" {
		// CI proves against the real broker: falling back would hide that it
		// is missing.
		SkipOrFail(t, KafkaBrokersEnv+" is not set; run .ci/kafka/start and export "+
			KafkaBrokersEnv+"=127.0.0.1:19092")
	}

	embedded, err := broker.StartEmbedded(broker.EmbeddedOptions{})
	if err != nil {
		t.Fatalf("cannot start the in-process kafka broker: %v", err)
	}
	t.Cleanup(embedded.Close)

	t.Logf("%s is not set: using the in-process kafka broker at %v", KafkaBrokersEnv,
		embedded.Addrs())
	return embedded.Addrs()
}

// ExternalKafka reports whether KafkaBrokersEnv names a real cluster.
func ExternalKafka() bool {
	return len(splitList(os.Getenv(KafkaBrokersEnv))) > 0
}

// KafkaRestartCommand returns the command that restarts the real broker, or
// nil when KafkaRestartEnv is unset. It is nil as well when KafkaBrokersEnv is
// unset, since the script cannot restart an in-process broker.
func KafkaRestartCommand() []string {
	path := strings.TrimSpace(os.Getenv(KafkaRestartEnv))
	if path == "" || !ExternalKafka() {
		return nil
	}
	return []string{path}
}

// UniqueName returns prefix followed by a dash and 16 random hexadecimal
// digits. The result is a valid Kafka topic and group name when prefix is
// made of letters, digits, '.', '_' and '-'.
func UniqueName(prefix string) string {
	var b [8]byte
	_, _ = rand.Read(b[:]) // never fails: crypto/rand panics instead
	return prefix + "-" + hex.EncodeToString(b[:])
}

// splitList splits a comma-separated list, dropping blanks.
func splitList(s string) []string {
	var out []string
	for _, item := range strings.Split(s, ",") {
		if item = strings.TrimSpace(item); item != "" {
			out = append(out, item)
		}
	}
	return out
}

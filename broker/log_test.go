package broker_test

import (
	"bytes"
	"log/slog"
	"strings"
	"testing"

	"github.com/stepupauth/stepup/broker"
)

func TestKafkaLoggerLevels(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, line, want string
	}{
		{"rebalance is routine", "Failed to sync group g: [27] Rebalance In Progress: ...",
			"level=INFO"},
		{"other errors keep their level", "dial tcp 127.0.0.1:1: connection refused",
			"level=WARN"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var buf bytes.Buffer
			log := slog.New(slog.NewTextHandler(&buf, &slog.HandlerOptions{Level: slog.LevelInfo}))
			broker.KafkaLogger(log, slog.LevelWarn).Printf("%s", tt.line)
			if !strings.Contains(buf.String(), tt.want) {
				t.Fatalf("logged %q, want %s", buf.String(), tt.want)
			}
		})
	}
	quiet := slog.New(slog.NewTextHandler(&bytes.Buffer{},
		&slog.HandlerOptions{Level: slog.LevelError}))
	if broker.KafkaLogger(quiet, slog.LevelDebug) != nil {
		t.Fatal("a logger that drops the level should give nil")
	}
}

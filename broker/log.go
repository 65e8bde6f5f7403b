package broker

import (
	"context"
	"fmt"
	"log/slog"

	"github.com/segmentio/kafka-go"
)

// KafkaLogger returns a kafka-go logger that writes each line to logger at
// level, with the attribute component=kafka-go. It returns nil, which
// kafka-go takes as "do not log", when logger is nil or does not log at
// level, so that kafka-go does not even format the lines.
//
// Note that kafka-go's lines are free text: they carry no structured topic
// or partition attributes.
func KafkaLogger(logger *slog.Logger, level slog.Level) kafka.Logger {
	if logger == nil || !logger.Enabled(context.Background(), level) {
		return nil
	}

	logger = logger.With("component", "kafka-go")
	return kafka.LoggerFunc(func(format string, args ...any) {
		logger.Log(context.Background(), level, fmt.Sprintf(format, args...))
	})
}

package broker

import (
	"context"
	"fmt"
	"log/slog"
	"strings"

	"github.com/segmentio/kafka-go"
)

// KafkaLogger returns a kafka-go logger that writes each line to logger at
// level, with the attribute component=kafka-go. It returns nil, which
// kafka-go takes as "do not log", when logger is nil or does not log at
// level, so that kafka-go does not even format the lines.
//
// A consumer group rebalancing is routine, not a fault: kafka-go reports it
// on its error logger, but those lines are logged at Info whatever level says.
//
// Note that kafka-go's lines are free text: they carry no structured topic
// or partition attributes.
func KafkaLogger(logger *slog.Logger, level slog.Level) kafka.Logger {
	if logger == nil || !logger.Enabled(context.Background(), min(level, slog.LevelInfo)) {
		return nil
	}

	logger = logger.With("component", "kafka-go")
	return kafka.LoggerFunc(func(format string, args ...any) {
		line := fmt.Sprintf(format, args...)
		lvl := level
		if level > slog.LevelInfo && strings.Contains(line, rebalanceInProgress) {
			lvl = slog.LevelInfo
		}
		logger.Log(context.Background(), lvl, line)
	})
}

// rebalanceInProgress is how kafka-go words Kafka's error 27.
const rebalanceInProgress = "Rebalance In Progress"

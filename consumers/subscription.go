package consumers

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"time"

	"github.com/ThreeDotsLabs/watermill/message"
	"github.com/segmentio/kafka-go"
)

// fetchRetryDelay is the pause after a failed fetch.
const fetchRetryDelay = 500 * time.Millisecond

// commitRetryDelay is the pause between two attempts to commit an offset.
const commitRetryDelay = 100 * time.Millisecond

// subscription is one Subscribe call: a group member reading one topic and
// handing its messages out one at a time.
type subscription struct {
	cfg    Config
	logger *slog.Logger
	reader *kafka.Reader
	out    chan *message.Message
}

// run hands out messages until ctx ends, then leaves the group and closes
// the output channel.
func (s *subscription) run(ctx context.Context) {
	defer close(s.out)
	defer s.logger.Info("kafka subscription ended")
	defer s.closeReader()

	for {
		record, err := s.reader.FetchMessage(ctx)
		if err != nil {
			if ctx.Err() != nil || errors.Is(err, io.EOF) {
				return
			}
			s.logger.Warn("cannot fetch kafka message, retrying", "error", err)
			if !sleep(ctx, fetchRetryDelay) {
				return
			}
			continue
		}

		if !s.deliver(ctx, record) {
			return
		}
		s.commit(ctx, record)
	}
}

// closeReader leaves the group and closes the reader's connections.
func (s *subscription) closeReader() {
	if err := s.reader.Close(); err != nil {
		s.logger.Warn("cannot close kafka reader", "error", err)
	}
}

// deliver hands out record until it is acked, and again after each nack. It
// returns true once the record is acked (or cannot be unmarshaled and must be
// skipped), false when ctx ended first.
func (s *subscription) deliver(ctx context.Context, record kafka.Message) bool {
	for {
		msg, err := s.cfg.Unmarshaler.Unmarshal(record)
		if err != nil {
			s.logger.Error("cannot unmarshal kafka message, skipping it",
				"partition", record.Partition, "offset", record.Offset, "error", err)
			return true
		}

		acked, alive := s.handOut(ctx, record, msg)
		if acked {
			s.logger.Debug("kafka message acked", "partition", record.Partition,
				"offset", record.Offset, "event_id", msg.UUID)
			return true
		}
		if !alive {
			return false
		}

		s.logger.Debug("kafka message nacked, sending it again", "partition", record.Partition,
			"offset", record.Offset, "event_id", msg.UUID)
		if s.cfg.NackResendSleep > 0 && !sleep(ctx, s.cfg.NackResendSleep) {
			return false
		}
	}
}

// handOut sends msg and waits for its ack or nack. It reports acked for an
// ack, alive for an ack or a nack, and neither when ctx ended first. An ack
// that comes with the end of ctx still counts. The message context is
// cancelled before handOut returns.
func (s *subscription) handOut(
	ctx context.Context, record kafka.Message, msg *message.Message,
) (acked, alive bool) {
	if ctx.Err() != nil {
		return false, false
	}

	msgCtx, cancel := context.WithCancel(
		withRecord(ctx, record.Topic, record.Partition, record.Offset))
	defer cancel()
	msg.SetContext(msgCtx)

	select {
	case s.out <- msg:
	case <-ctx.Done():
		return false, false
	}

	select {
	case <-msg.Acked():
		return true, true
	case <-msg.Nacked():
		return false, true
	case <-ctx.Done():
		select {
		case <-msg.Acked():
			return true, true
		default:
			return false, false
		}
	}
}

// commit commits the offset after record, retrying until
// Config.CommitTimeout. It runs even when ctx has ended, since the record
// was acked. A commit that keeps failing is logged and dropped: the record
// will be delivered again, which at-least-once allows.
func (s *subscription) commit(ctx context.Context, record kafka.Message) {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), s.cfg.CommitTimeout)
	defer cancel()

	for {
		err := s.reader.CommitMessages(ctx, record)
		if err == nil {
			return
		}
		if !sleep(ctx, commitRetryDelay) {
			s.logger.Warn("cannot commit kafka offset, the message may be delivered again",
				"partition", record.Partition, "offset", record.Offset, "error", err)
			return
		}
	}
}

// sleep waits for d and reports true, or reports false when ctx ends first.
func sleep(ctx context.Context, d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()

	select {
	case <-t.C:
		return true
	case <-ctx.Done():
		return false
	}
}

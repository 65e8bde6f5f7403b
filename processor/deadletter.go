package processor

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/ThreeDotsLabs/watermill/message"
	"github.com/ThreeDotsLabs/watermill/message/router/middleware"

	"github.com/stepupauth/stepup/kafkamsg"
	"github.com/stepupauth/stepup/schemas"
)

// Bounds that keep a dead letter well under Kafka's default 1 MB record limit
// whatever it wraps, so that writing it can never fail for its size and block
// the partition: base64 makes the payload a third larger, and JSON escaping
// can make a header value six times larger.
const (
	maxReasonLen      = 512
	maxPayload        = 256 << 10
	maxHeaderValue    = 1 << 10
	maxHeaders        = 64
	truncatedHeaderID = "stepup_headers_truncated"
)

// deadLetters is the publisher that watermill's poison-queue middleware writes
// to. It wraps each refused message, whole, into a schemas.DeadLetter so the
// dead-letter topic carries the original key, headers and bytes together with
// where they were read and why they were refused.
type deadLetters struct {
	p *Processor
}

// Publish writes one dead letter per message and returns once the broker has
// acknowledged them.
func (d deadLetters) Publish(topic string, msgs ...*message.Message) error {
	if err := d.p.writeDeadLetters(topic, msgs); err != nil {
		return err
	}
	d.p.stats.eventsIn.Add(int64(len(msgs)))
	return nil
}

// DeadLetter writes msg, a record read by another part of stepup (such as
// the projector), to the dead-letter topic with reason, and returns once the
// broker has acknowledged it. handler names the part that refused it.
func (p *Processor) DeadLetter(msg *message.Message, reason error, handler string) error {
	msg.Metadata.Set(metaReasonCode, schemas.ReasonCode(reason))
	msg.Metadata.Set(middleware.ReasonForPoisonedKey, reason.Error())
	msg.Metadata.Set(middleware.PoisonedHandlerKey, handler)
	return p.writeDeadLetters(p.cfg.Topics.DeadLetter, []*message.Message{msg})
}

func (p *Processor) writeDeadLetters(topic string, msgs []*message.Message) error {
	d := deadLetters{p: p}
	out := make([]*message.Message, 0, len(msgs))
	letters := make([]*schemas.DeadLetter, 0, len(msgs))
	for _, m := range msgs {
		dl := d.p.deadLetter(m)
		letters = append(letters, dl)
		out = append(out, d.p.message(m, dl))
		d.p.log.Warn("input refused, written to dead-letter topic",
			"reason_code", dl.ReasonCode, "reason", dl.Reason, "topic", dl.Source.Topic,
			"partition", dl.Source.Partition, "offset", dl.Source.Offset)
	}
	if err := d.p.cfg.Publisher.Publish(topic, out...); err != nil {
		return fmt.Errorf("cannot publish dead letters: %w", err)
	}
	d.p.stats.deadLetters.Add(int64(len(msgs)))
	if d.p.cfg.OnWritten != nil {
		for _, dl := range letters {
			d.p.cfg.OnWritten(topic, dl)
		}
	}
	return nil
}

// Close does nothing: the wrapped publisher belongs to the caller.
func (d deadLetters) Close() error { return nil }

func (p *Processor) deadLetter(m *message.Message) *schemas.DeadLetter {
	o := originOf(m)
	code := m.Metadata.Get(metaReasonCode)
	if code == "" {
		code = schemas.ReasonProcessingFailed
	}
	headers := map[string]string{}
	for k, v := range m.Metadata {
		if strings.HasPrefix(k, kafkamsg.ReservedPrefix) || k == metaReasonCode ||
			strings.HasSuffix(k, "_poisoned") || k == middleware.CorrelationIDMetadataKey {
			continue
		}
		if len(headers) == maxHeaders {
			headers[truncatedHeaderID] = "true"
			break
		}
		headers[clip(k, 256)] = clip(v, maxHeaderValue)
	}
	sum := sha256.Sum256(m.Payload)
	payload := m.Payload
	if payload == nil {
		payload = []byte{}
	}
	truncated := len(payload) > maxPayload
	if truncated {
		payload = payload[:maxPayload]
	}
	var key []byte
	if o.key != "" {
		key = []byte(o.key)
	}
	return &schemas.DeadLetter{
		Meta: schemas.Meta{ID: schemas.DeriveID("deadletter", o.topic,
			strconv.Itoa(o.partition), strconv.FormatInt(o.offset, 10)),
			Type: schemas.TypeDeadLetter, Time: p.now().UTC()},
		ReasonCode: code,
		Reason:     shortReason(m.Metadata.Get(middleware.ReasonForPoisonedKey)),
		Source: schemas.DeadLetterSource{Topic: o.topic, Partition: o.partition,
			Offset: o.offset, Handler: m.Metadata.Get(middleware.PoisonedHandlerKey)},
		Key:              []byte(clip(string(key), maxHeaderValue)),
		Headers:          headers,
		Payload:          payload,
		PayloadTruncated: truncated,
		PayloadSize:      len(m.Payload),
		PayloadSHA256:    hex.EncodeToString(sum[:]),
	}
}

// clip cuts s to at most n bytes.
func clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n]
}

// shortReason keeps the first line of an error, so that a panic's stack trace
// goes to the log and not into the record.
func shortReason(reason string) string {
	if i := strings.IndexByte(reason, '\n'); i >= 0 {
		reason = reason[:i]
	}
	reason = strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(reason), "stacktrace:"))
	reason = strings.TrimSuffix(reason, ",")
	if len(reason) > maxReasonLen {
		reason = reason[:maxReasonLen]
	}
	if reason == "" {
		reason = "refused"
	}
	return reason
}

// poisoned reports whether err can never succeed on retry: a refused input or
// a panic in the handler.
func poisoned(err error) bool {
	var panicked middleware.RecoveredPanicError
	return schemas.IsPermanent(err) || errors.As(err, &panicked)
}

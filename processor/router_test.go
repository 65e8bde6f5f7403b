package processor_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"testing"
	"time"

	"github.com/ThreeDotsLabs/watermill"
	"github.com/ThreeDotsLabs/watermill/message"
	"github.com/ThreeDotsLabs/watermill/pubsub/gochannel"

	"github.com/stepupauth/stepup/escalation"
	"github.com/stepupauth/stepup/processor"
	"github.com/stepupauth/stepup/schemas"
	"github.com/stepupauth/stepup/state"
)

// The router sends refused input to the dead-letter topic, whole, and keeps
// deciding the good input around it.
func TestRouterDeadLettersBadInput(t *testing.T) {
	t.Parallel()
	bus := gochannel.NewGoChannel(gochannel.Config{Persistent: true},
		watermill.NopLogger{})
	defer bus.Close()
	policy, _ := escalation.Parse(escalation.DefaultPolicy())
	p, err := processor.New(processor.Config{Topics: topics, Publisher: bus,
		Policy: escalation.NewHolder(policy), State: state.NewStore()})
	if err != nil {
		t.Fatal(err)
	}
	r, err := p.Router(processor.RouterConfig{Subscriber: bus, MaxRetries: 1,
		RetryInterval: time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go func() { _ = r.Run(ctx) }()
	<-r.Running()

	dead, _ := bus.Subscribe(ctx, topics.DeadLetter)
	audit, _ := bus.Subscribe(ctx, topics.Audit)

	huge := append([]byte(`{"id":"x","ua":"`), bytes.Repeat([]byte("<"), 900<<10)...)
	bad := []*message.Message{
		input("actions", "u1", huge),
		input("actions", "u1", []byte{0xff, 0xfe, 0x00}),
		input("actions", "", action("a1", "u1", "login", "d", "NO", 1)),
	}
	good := []*message.Message{
		input("actions", "u1", action("a2", "u1", "login", "d", "NO", 1)),
		input("actions", "u2", action("a3", "u2", "login", "d", "NO", 1)),
	}
	for _, m := range []*message.Message{bad[0], good[0], bad[1], good[1], bad[2]} {
		if err := bus.Publish(topics.Actions, m); err != nil {
			t.Fatal(err)
		}
	}

	wantCodes := map[string]bool{}
	for range bad {
		select {
		case m := <-dead:
			m.Ack()
			ev, err := schemas.Decode(m.Payload)
			if err != nil {
				t.Fatalf("dead letter fails its schema: %v", err)
			}
			dl := ev.(*schemas.DeadLetter)
			if dl.Reason == "" || dl.Source.Topic != "actions" {
				t.Fatalf("dead letter lacks reason or source: %+v", dl)
			}
			found := false
			for _, b := range bad {
				sum := sha256.Sum256(b.Payload)
				if bytes.HasPrefix(b.Payload, dl.Payload) && dl.PayloadSize == len(b.Payload) &&
					dl.PayloadSHA256 == hex.EncodeToString(sum[:]) {
					found = true
				}
			}
			if len(m.Payload) > 512<<10 {
				t.Fatalf("dead letter of %d bytes could exceed the broker's record limit",
					len(m.Payload))
			}
			if dl.PayloadSize > 256<<10 != dl.PayloadTruncated {
				t.Fatalf("truncation flag %v for %d bytes", dl.PayloadTruncated, dl.PayloadSize)
			}
			if !found {
				t.Fatalf("dead letter does not hold the original bytes: %q", dl.Payload)
			}
			wantCodes[dl.ReasonCode] = true
		case <-time.After(5 * time.Second):
			t.Fatal("dead letter did not arrive")
		}
	}
	if !wantCodes[schemas.ReasonMalformedJSON] || !wantCodes[schemas.ReasonMissingKey] {
		t.Fatalf("reason codes %v", wantCodes)
	}

	decided := map[string]bool{}
	for len(decided) < len(good) {
		select {
		case m := <-audit:
			m.Ack()
			ev, _ := schemas.Decode(m.Payload)
			decided[ev.(*schemas.AuditRecord).Subject.EventID] = true
		case <-time.After(5 * time.Second):
			t.Fatalf("good events not decided: %v", decided)
		}
	}
	if st := p.Stats(); st.DeadLetters != 3 || st.EventsIn != 5 {
		t.Fatalf("stats %+v", st)
	}
}

// A handler that panics does not take the process down and does not block
// the partition: the input is dead-lettered as processing_failed.
func TestRouterSurvivesPanic(t *testing.T) {
	t.Parallel()
	bus := gochannel.NewGoChannel(gochannel.Config{Persistent: true},
		watermill.NopLogger{})
	defer bus.Close()
	policy, _ := escalation.Parse(escalation.DefaultPolicy())
	out := &panicky{Publisher: bus}
	p, _ := processor.New(processor.Config{Topics: topics, Publisher: out,
		Policy: escalation.NewHolder(policy), State: state.NewStore()})
	r, _ := p.Router(processor.RouterConfig{Subscriber: bus, MaxRetries: 1,
		RetryInterval: time.Millisecond})
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go func() { _ = r.Run(ctx) }()
	<-r.Running()
	dead, _ := bus.Subscribe(ctx, topics.DeadLetter)

	_ = bus.Publish(topics.Actions, input("actions", "boom",
		action("a1", "boom", "login", "d", "NO", 1)))
	select {
	case m := <-dead:
		m.Ack()
		ev, err := schemas.Decode(m.Payload)
		if err != nil {
			t.Fatal(err)
		}
		if dl := ev.(*schemas.DeadLetter); dl.ReasonCode != schemas.ReasonProcessingFailed {
			t.Fatalf("reason %s", dl.ReasonCode)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("panicking input was not dead-lettered")
	}
}

// panicky panics when asked to write an audit record for user "boom".
type panicky struct {
	message.Publisher
}

func (p *panicky) Publish(topic string, msgs ...*message.Message) error {
	for _, m := range msgs {
		if topic == topics.Audit && m.Metadata.Get("ce_subject") == "boom" {
			panic("injected")
		}
	}
	return p.Publisher.Publish(topic, msgs...)
}

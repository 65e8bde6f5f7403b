package processor_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ThreeDotsLabs/watermill/message"

	"github.com/stepupauth/stepup/escalation"
	"github.com/stepupauth/stepup/kafkamsg"
	"github.com/stepupauth/stepup/processor"
	"github.com/stepupauth/stepup/schemas"
	"github.com/stepupauth/stepup/state"
)

var topics = processor.Topics{
	Signups: "signups", Actions: "actions", Results: "results",
	StepUp: "stepup", Audit: "audit", DeadLetter: "dead",
}

// recorder is a publisher that keeps what it was given and can be told to
// fail or panic.
type recorder struct {
	mu      sync.Mutex
	byTopic map[string][]*message.Message
	fail    error
	panicOn string
}

func (r *recorder) Publish(topic string, msgs ...*message.Message) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.panicOn == topic {
		panic("injected panic")
	}
	if r.fail != nil {
		return r.fail
	}
	if r.byTopic == nil {
		r.byTopic = map[string][]*message.Message{}
	}
	r.byTopic[topic] = append(r.byTopic[topic], msgs...)
	return nil
}

func (r *recorder) Close() error { return nil }

func (r *recorder) take(topic string) []*message.Message {
	r.mu.Lock()
	defer r.mu.Unlock()
	out := r.byTopic[topic]
	delete(r.byTopic, topic)
	return out
}

func newProcessor(t *testing.T) (*processor.Processor, *recorder) {
	t.Helper()
	policy, err := escalation.Parse(escalation.DefaultPolicy())
	if err != nil {
		t.Fatal(err)
	}
	rec := &recorder{}
	p, err := processor.New(processor.Config{
		Topics: topics, Publisher: rec, Policy: escalation.NewHolder(policy),
		State: state.NewStore(),
		Now:   func() time.Time { return time.Date(2026, 5, 1, 0, 0, 0, 0, time.UTC) },
	})
	if err != nil {
		t.Fatal(err)
	}
	return p, rec
}

var offset atomic.Int64

// input builds a record as the subscriber delivers it.
func input(topic, key string, payload []byte) *message.Message {
	off := offset.Add(1)
	m := message.NewMessage(fmt.Sprintf("%s/0/%d", topic, off), payload)
	m.Metadata.Set(kafkamsg.MetadataTopic, topic)
	m.Metadata.Set(kafkamsg.MetadataPartition, "0")
	m.Metadata.Set(kafkamsg.MetadataOffset, strconv.FormatInt(off, 10))
	if key != "" {
		m.Metadata.Set(kafkamsg.MetadataKey, key)
	}
	return m
}

func action(id, user, act, device, country string, asn uint32) []byte {
	ev := schemas.UserAction{
		Meta: schemas.Meta{ID: id, Type: schemas.TypeUserAction, UserID: user,
			Time: time.Date(2026, 4, 30, 12, 0, 0, 0, time.UTC)},
		Action: act,
		Device: schemas.Device{DeviceID: device, IP: "192.0.2.10"},
		Geo:    &schemas.Geo{Country: country, ASN: asn},
	}
	b, _ := json.Marshal(ev)
	return b
}

func signup(id, user, device, country string, asn uint32) []byte {
	ev := schemas.Signup{
		Meta: schemas.Meta{ID: id, Type: schemas.TypeSignup, UserID: user,
			Time: time.Date(2026, 4, 30, 11, 0, 0, 0, time.UTC)},
		Email:  "someone@example.com",
		Device: schemas.Device{DeviceID: device},
		Geo:    &schemas.Geo{Country: country, ASN: asn},
	}
	b, _ := json.Marshal(ev)
	return b
}

func result(id, user, challengeID, outcome string) []byte {
	return resultAt(id, user, challengeID, outcome, time.Date(2026, 4, 30, 12, 5, 0, 0, time.UTC))
}

func resultAt(id, user, challengeID, outcome string, at time.Time) []byte {
	ev := schemas.ChallengeResult{
		Meta: schemas.Meta{ID: id, Type: schemas.TypeChallengeResult, UserID: user,
			Time: at},
		ChallengeID: challengeID, Result: outcome, Factor: "totp",
	}
	b, _ := json.Marshal(ev)
	return b
}

// failedLogin is a login with wrong credentials, minute minutes after noon.
func failedLogin(id, user, device, country string, asn uint32, minute int) []byte {
	ev := schemas.UserAction{
		Meta: schemas.Meta{ID: id, Type: schemas.TypeUserAction, UserID: user,
			Time: time.Date(2026, 4, 30, 12, minute, 0, 0, time.UTC)},
		Action: "login", Succeeded: new(bool),
		Device: schemas.Device{DeviceID: device}, Geo: &schemas.Geo{Country: country, ASN: asn},
	}
	b, _ := json.Marshal(ev)
	return b
}

func decodeAudit(t *testing.T, msgs []*message.Message) []*schemas.AuditRecord {
	t.Helper()
	var out []*schemas.AuditRecord
	for _, m := range msgs {
		ev, err := schemas.Decode(m.Payload)
		if err != nil {
			t.Fatalf("audit record fails its schema: %v", err)
		}
		out = append(out, ev.(*schemas.AuditRecord))
	}
	return out
}

func mustHandle(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatalf("handler: %v", err)
	}
}

func TestRiskyActionThenPassedChallenge(t *testing.T) {
	t.Parallel()
	p, rec := newProcessor(t)

	mustHandle(t, p.HandleSignup(input("signups", "u1", signup("s1", "u1", "phone", "NO", 1))))
	audit := decodeAudit(t, rec.take("audit"))
	if len(audit) != 1 || audit[0].Outcome != schemas.OutcomeAllow {
		t.Fatalf("signup audit = %+v", audit)
	}

	risky := input("actions", "u1", action("a1", "u1", "link_payment_method", "laptop", "BR", 2))
	mustHandle(t, p.HandleAction(risky))
	ups := rec.take("stepup")
	if len(ups) != 1 {
		t.Fatalf("want one StepUpRequired, got %d", len(ups))
	}
	ev, err := schemas.Decode(ups[0].Payload)
	if err != nil {
		t.Fatalf("StepUpRequired fails its schema: %v", err)
	}
	up := ev.(*schemas.StepUpRequired)
	if up.ChallengeID != schemas.ChallengeID("u1", "a1") || up.TriggerEventID != "a1" {
		t.Fatalf("ids not derived from the input: %+v", up)
	}
	if up.Challenge != schemas.ChallengeIDDocument || up.PolicyVersion == "" {
		t.Fatalf("unexpected step-up %+v", up)
	}
	if ups[0].Metadata.Get(kafkamsg.MetadataKey) != "u1" ||
		ups[0].Metadata.Get(schemas.HeaderType) != schemas.TypeStepUpRequired ||
		ups[0].Metadata.Get(schemas.HeaderSpecVersion) != "1.0" {
		t.Fatalf("missing key or CloudEvents headers: %v", ups[0].Metadata)
	}
	audit = decodeAudit(t, rec.take("audit"))
	if len(audit) != 2 || audit[0].Kind != schemas.AuditDecision ||
		audit[1].Kind != schemas.AuditChallengeIssued {
		t.Fatalf("audit = %+v", audit)
	}

	// Redelivery of the same record gives the same outputs.
	mustHandle(t, p.HandleAction(risky))
	again := rec.take("stepup")
	if len(again) != 1 || string(again[0].Payload) != string(ups[0].Payload) {
		t.Fatalf("redelivery changed the StepUpRequired:\n%s\n%s", ups[0].Payload,
			again[0].Payload)
	}
	if got := decodeAudit(t, rec.take("audit")); got[0].ID != audit[0].ID {
		t.Fatal("redelivery changed the audit id")
	}

	mustHandle(t, p.HandleResult(input("results", "u1", result("r1", "u1", up.ChallengeID,
		"passed"))))
	audit = decodeAudit(t, rec.take("audit"))
	if len(audit) != 1 || audit[0].Outcome != schemas.OutcomePassed ||
		audit[0].Challenge != schemas.ChallengeIDDocument {
		t.Fatalf("outcome audit = %+v", audit)
	}

	// The passed challenge proved the laptop in BR: the same action now passes.
	mustHandle(t, p.HandleAction(input("actions", "u1",
		action("a2", "u1", "link_payment_method", "laptop", "BR", 2))))
	if n := len(rec.take("stepup")); n != 0 {
		t.Fatalf("second attempt after a passed challenge asked again (%d)", n)
	}

	// A second answer to the closed challenge changes nothing.
	mustHandle(t, p.HandleResult(input("results", "u1", result("r2", "u1", up.ChallengeID,
		"passed"))))
	audit = decodeAudit(t, rec.take("audit"))
	if audit[len(audit)-1].Outcome != schemas.OutcomeUnknownChallenge {
		t.Fatalf("duplicate answer audited as %s", audit[len(audit)-1].Outcome)
	}

	st := p.Stats()
	if st.StepUpRequired != 2 || st.Results != 2 || st.DeadLetters != 0 {
		t.Fatalf("stats %+v", st)
	}
}

func TestFailedChallengeTeachesNothing(t *testing.T) {
	t.Parallel()
	p, rec := newProcessor(t)
	mustHandle(t, p.HandleSignup(input("signups", "u2", signup("s2", "u2", "phone", "NO", 1))))
	mustHandle(t, p.HandleAction(input("actions", "u2",
		action("a3", "u2", "add_payee", "laptop", "NO", 1))))
	ch := schemas.ChallengeID("u2", "a3")
	mustHandle(t, p.HandleResult(input("results", "u2", result("r3", "u2", ch, "failed"))))
	rec.take("stepup")
	mustHandle(t, p.HandleAction(input("actions", "u2",
		action("a4", "u2", "add_payee", "laptop", "NO", 1))))
	if n := len(rec.take("stepup")); n != 1 {
		t.Fatalf("after a failed challenge the device must still be challenged, got %d", n)
	}
}

func TestResultForAnotherUsersChallenge(t *testing.T) {
	t.Parallel()
	p, rec := newProcessor(t)
	mustHandle(t, p.HandleSignup(input("signups", "u3", signup("s3", "u3", "phone", "NO", 1))))
	mustHandle(t, p.HandleAction(input("actions", "u3",
		action("a5", "u3", "add_payee", "laptop", "NO", 1))))
	ch := schemas.ChallengeID("u3", "a5")
	mustHandle(t, p.HandleResult(input("results", "mallory",
		result("r4", "mallory", ch, "passed"))))
	audit := decodeAudit(t, rec.take("audit"))
	if last := audit[len(audit)-1]; last.Outcome != schemas.OutcomeUnknownChallenge {
		t.Fatalf("another user's answer audited as %s", last.Outcome)
	}
}

func TestFailedPublishLeavesStateUnchanged(t *testing.T) {
	t.Parallel()
	p, rec := newProcessor(t)
	mustHandle(t, p.HandleSignup(input("signups", "u4", signup("s4", "u4", "phone", "NO", 1))))
	rec.take("audit")

	msg := input("actions", "u4", action("a6", "u4", "login", "phone", "NO", 1))
	rec.fail = errors.New("broker unreachable")
	if err := p.HandleAction(input("actions", "u4",
		action("a7", "u4", "login", "tablet", "NO", 1))); err == nil {
		t.Fatal("want the publish error")
	}
	rec.fail = nil

	// Had the failed attempt taught the tablet, this would still pass; check
	// that the tablet is still new by deciding a high-stakes action from it.
	mustHandle(t, p.HandleAction(msg))
	mustHandle(t, p.HandleAction(input("actions", "u4",
		action("a8", "u4", "add_payee", "tablet", "NO", 1))))
	if n := len(rec.take("stepup")); n != 1 {
		t.Fatalf("tablet should still be unknown after a failed attempt, step-ups = %d", n)
	}
}

func TestRefusals(t *testing.T) {
	t.Parallel()
	good := action("a9", "u5", "login", "phone", "NO", 1)
	tests := []struct {
		name    string
		handle  func(p *processor.Processor, m *message.Message) error
		msg     *message.Message
		reason  string
		headers map[string]string
	}{
		{"malformed", (*processor.Processor).HandleAction,
			input("actions", "u5", []byte(`{"id":`)), schemas.ReasonMalformedJSON, nil},
		{"unknown type", (*processor.Processor).HandleAction,
			input("actions", "u5", []byte(`{"type":"stepup.wire_transfer.v1"}`)),
			schemas.ReasonUnknownType, nil},
		{"wrong type for topic", (*processor.Processor).HandleSignup,
			input("signups", "u5", good), schemas.ReasonUnknownType, nil},
		{"schema violation", (*processor.Processor).HandleAction,
			input("actions", "u5", []byte(`{"type":"stepup.user_action.v1","id":"x"}`)),
			schemas.ReasonSchemaViolation, nil},
		{"missing key", (*processor.Processor).HandleAction,
			input("actions", "", good), schemas.ReasonMissingKey, nil},
		{"key mismatch", (*processor.Processor).HandleAction,
			input("actions", "u6", good), schemas.ReasonKeyMismatch, nil},
		{"forged ce_type", (*processor.Processor).HandleAction,
			input("actions", "u5", good), schemas.ReasonHeaderMismatch,
			map[string]string{schemas.HeaderType: schemas.TypeChallengeResult}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			p, rec := newProcessor(t)
			for k, v := range tt.headers {
				tt.msg.Metadata.Set(k, v)
			}
			err := tt.handle(p, tt.msg)
			if err == nil || !schemas.IsPermanent(err) {
				t.Fatalf("err = %v, want a permanent refusal", err)
			}
			if got := schemas.ReasonCode(err); got != tt.reason {
				t.Fatalf("reason %s, want %s (%v)", got, tt.reason, err)
			}
			if len(rec.take("audit")) != 0 || len(rec.take("stepup")) != 0 {
				t.Fatal("a refused input produced outputs")
			}
		})
	}
}

// An answer after the challenge expired is audited as expired and proves
// nothing: the device stays unknown.
func TestLateAnswerIsExpired(t *testing.T) {
	t.Parallel()
	p, rec := newProcessor(t)
	mustHandle(t, p.HandleSignup(input("signups", "u7", signup("s7", "u7", "phone", "NO", 1))))
	mustHandle(t, p.HandleAction(input("actions", "u7",
		action("a70", "u7", "add_payee", "laptop", "NO", 1))))
	ch := schemas.ChallengeID("u7", "a70")
	late := time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC)
	mustHandle(t, p.HandleResult(input("results", "u7", resultAt("r70", "u7", ch, "passed",
		late))))
	audit := decodeAudit(t, rec.take("audit"))
	if last := audit[len(audit)-1]; last.Outcome != schemas.OutcomeExpired {
		t.Fatalf("late answer audited as %s", last.Outcome)
	}
	rec.take("stepup")
	mustHandle(t, p.HandleAction(input("actions", "u7",
		action("a71", "u7", "add_payee", "laptop", "NO", 1))))
	if n := len(rec.take("stepup")); n != 1 {
		t.Fatalf("an expired answer taught the device: step-ups %d", n)
	}
}

// A login with wrong credentials is allowed through to the product's own
// refusal, but teaches nothing about its device.
func TestFailedLoginTeachesNothing(t *testing.T) {
	t.Parallel()
	p, rec := newProcessor(t)
	mustHandle(t, p.HandleSignup(input("signups", "u8", signup("s8", "u8", "phone", "NO", 1))))
	mustHandle(t, p.HandleAction(input("actions", "u8",
		failedLogin("a80", "u8", "laptop", "NO", 1, 0))))
	rec.take("stepup")
	mustHandle(t, p.HandleAction(input("actions", "u8",
		action("a81", "u8", "change_password", "laptop", "NO", 1))))
	if n := len(rec.take("stepup")); n != 1 {
		t.Fatalf("a failed login taught its device: step-ups %d", n)
	}
}

// Repeated failed logins raise a challenge; the challenge is pending and a
// passed answer is audited as passed.
func TestChallengeRaisedByFailedLoginsIsPending(t *testing.T) {
	t.Parallel()
	p, rec := newProcessor(t)
	mustHandle(t, p.HandleSignup(input("signups", "u9", signup("s9", "u9", "phone", "NO", 1))))
	for i := range 3 {
		mustHandle(t, p.HandleAction(input("actions", "u9",
			failedLogin(fmt.Sprintf("a9%d", i), "u9", "laptop", "SE", 2, i))))
	}
	ups := rec.take("stepup")
	if len(ups) == 0 {
		t.Fatal("three failed logins from a new device abroad raised no challenge")
	}
	ev, _ := schemas.Decode(ups[len(ups)-1].Payload)
	up := ev.(*schemas.StepUpRequired)
	mustHandle(t, p.HandleResult(input("results", "u9", resultAt("r9", "u9", up.ChallengeID,
		"passed", up.Time.Add(time.Minute)))))
	audit := decodeAudit(t, rec.take("audit"))
	if last := audit[len(audit)-1]; last.Outcome != schemas.OutcomePassed {
		t.Fatalf("answer to a challenge raised by a failed login audited as %s", last.Outcome)
	}
}

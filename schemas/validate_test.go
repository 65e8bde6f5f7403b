package schemas_test

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/stepupauth/stepup/schemas"
)

const goodAction = `{"id":"evt-1","type":"stepup.user_action.v1","user_id":"u-1",
"time":"2026-01-02T03:04:05Z","action":"login","device":{"ip":"192.0.2.1",
"user_agent":"Mozilla/5.0","device_id":"d-1"},"geo":{"country":"NO","asn":29695}}`

func TestDecode(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		in      string
		wantErr error
		check   func(t *testing.T, ev schemas.Event)
	}{
		{
			name: "user action",
			in:   goodAction,
			check: func(t *testing.T, ev schemas.Event) {
				a, ok := ev.(*schemas.UserAction)
				if !ok {
					t.Fatalf("got %T, want *UserAction", ev)
				}
				if a.Action != "login" || a.Device.DeviceID != "d-1" || a.Geo.ASN != 29695 {
					t.Fatalf("decoded %+v", a)
				}
				if !a.Time.Equal(time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)) {
					t.Fatalf("time %v", a.Time)
				}
			},
		},
		{
			name: "signup",
			in: `{"id":"s-1","type":"stepup.signup.v1","user_id":"u-2",
				"time":"2026-01-02T03:04:05+01:00","email":"a@example.com","device":{}}`,
			check: func(t *testing.T, ev schemas.Event) {
				if s, ok := ev.(*schemas.Signup); !ok || s.Email != "a@example.com" {
					t.Fatalf("decoded %#v", ev)
				}
			},
		},
		{
			name: "challenge result",
			in: `{"id":"r-1","type":"stepup.challenge_result.v1","user_id":"u-2",
				"time":"2026-01-02T03:04:05Z","challenge_id":"ch-1","result":"passed",
				"factor":"totp"}`,
			check: func(t *testing.T, ev schemas.Event) {
				if r, ok := ev.(*schemas.ChallengeResult); !ok || r.Result != "passed" {
					t.Fatalf("decoded %#v", ev)
				}
			},
		},
		{name: "truncated", in: goodAction[:40], wantErr: schemas.ErrMalformed},
		{name: "not json", in: "hello", wantErr: schemas.ErrMalformed},
		{name: "empty", in: "", wantErr: schemas.ErrMalformed},
		{
			name:    "invalid UTF-8 in a string",
			in:      strings.Replace(goodAction, `"u-1"`, "\"u-\xff\"", 1),
			wantErr: schemas.ErrMalformed,
		},
		{name: "array", in: `[1,2]`, wantErr: schemas.ErrSchema},
		{name: "no type", in: `{"id":"x"}`, wantErr: schemas.ErrSchema},
		{name: "type not string", in: `{"type":7}`, wantErr: schemas.ErrSchema},
		{
			name:    "unknown type",
			in:      `{"id":"x","type":"stepup.user_action.v9","user_id":"u"}`,
			wantErr: schemas.ErrUnknownType,
		},
		{
			name:    "unknown action",
			in:      strings.Replace(goodAction, `"login"`, `"teleport"`, 1),
			wantErr: schemas.ErrSchema,
		},
		{
			name:    "bad time",
			in:      strings.Replace(goodAction, `2026-01-02T03:04:05Z`, `yesterday`, 1),
			wantErr: schemas.ErrSchema,
		},
		{
			name:    "missing user",
			in:      strings.Replace(goodAction, `"user_id":"u-1",`, ``, 1),
			wantErr: schemas.ErrSchema,
		},
		{
			name:    "wrong field type",
			in:      strings.Replace(goodAction, `"asn":29695`, `"asn":"AS29695"`, 1),
			wantErr: schemas.ErrSchema,
		},
		{
			name:    "unknown field",
			in:      strings.Replace(goodAction, `"action"`, `"extra":1,"action"`, 1),
			wantErr: schemas.ErrSchema,
		},
		{
			name:    "control character in user id",
			in:      strings.Replace(goodAction, `"user_id":"u-1"`, `"user_id":"u-\u0000"`, 1),
			wantErr: schemas.ErrSchema,
		},
		{
			name:    "lower-case country",
			in:      strings.Replace(goodAction, `"NO"`, `"no"`, 1),
			wantErr: schemas.ErrSchema,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			ev, err := schemas.Decode([]byte(tt.in))
			if tt.wantErr != nil {
				if !errors.Is(err, tt.wantErr) {
					t.Fatalf("err = %v, want %v", err, tt.wantErr)
				}
				if !schemas.IsPermanent(err) {
					t.Fatalf("%v should be permanent", err)
				}
				return
			}
			if err != nil {
				t.Fatalf("unexpected error: %v", err)
			}
			tt.check(t, ev)
		})
	}
}

func TestSchemaErrorDoesNotEchoValues(t *testing.T) {
	t.Parallel()
	in := strings.Replace(goodAction, `"NO"`, `"secret-value"`, 1)
	_, err := schemas.Decode([]byte(in))
	if err == nil {
		t.Fatal("want an error")
	}
	if strings.Contains(err.Error(), "secret-value") {
		t.Fatalf("error echoes the value: %v", err)
	}
	if !strings.Contains(err.Error(), "/geo/country") {
		t.Fatalf("error does not name the field: %v", err)
	}
}

// Every output type that stepup writes must pass its own schema.
func TestOutputsMatchSchemas(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	score := 0.7
	outputs := []schemas.Event{
		&schemas.StepUpRequired{
			Meta: schemas.Meta{ID: "sur-1", Type: schemas.TypeStepUpRequired,
				UserID: "u-1", Time: now},
			ChallengeID: "ch-1", TriggerEventID: "evt-1", Action: "add_payee",
			Challenge: schemas.ChallengeMFA, Level: schemas.LevelHigh, Score: 0.7,
			Reasons:   []schemas.Reason{{Code: "new_device", Contribution: 0.3}},
			ExpiresAt: now.Add(10 * time.Minute), PolicyVersion: "v1",
		},
		&schemas.AuditRecord{
			Meta: schemas.Meta{ID: "aud-1", Type: schemas.TypeAuditRecord,
				UserID: "u-1", Time: now},
			Kind: schemas.AuditDecision, Subject: schemas.Subject{EventID: "evt-1",
				EventType: schemas.TypeUserAction, Topic: "t", Partition: 2, Offset: 9},
			Score: &score, Level: schemas.LevelHigh, Outcome: schemas.OutcomeChallenge,
			PolicyVersion: "v1", RecordedAt: now,
		},
		&schemas.DeadLetter{
			Meta:       schemas.Meta{ID: "dl-1", Type: schemas.TypeDeadLetter, Time: now},
			ReasonCode: schemas.ReasonMalformedJSON, Reason: "malformed JSON",
			Source: schemas.DeadLetterSource{Topic: "t", Partition: 1, Offset: 3},
			Key:    []byte("u-1"), Payload: []byte{0xff, 0x00, '{'},
			Headers: map[string]string{"ce_type": "x"},
		},
	}
	for _, ev := range outputs {
		data, err := json.Marshal(ev)
		if err != nil {
			t.Fatal(err)
		}
		back, err := schemas.Decode(data)
		if err != nil {
			t.Fatalf("%s does not match its schema: %v\n%s", ev.EventMeta().Type, err, data)
		}
		if back.EventMeta().ID != ev.EventMeta().ID {
			t.Fatalf("round trip changed the id")
		}
	}
}

func TestReasonsDoNotEchoPersonalData(t *testing.T) {
	t.Parallel()
	_, err := schemas.Decode([]byte(`{"type":"alice.smith@example.com"}`))
	if !errors.Is(err, schemas.ErrUnknownType) || strings.Contains(err.Error(), "alice") {
		t.Fatalf("unknown type reason: %v", err)
	}
	ev := &schemas.UserAction{Meta: schemas.Meta{ID: "e", Type: schemas.TypeUserAction}}
	err = schemas.CheckHeaders(ev, map[string]string{"ce_type": "bob@example.com 198.51.100.2"})
	if err == nil || strings.Contains(err.Error(), "bob") || strings.Contains(err.Error(), "198") {
		t.Fatalf("header reason: %v", err)
	}
	_, err = schemas.Decode([]byte(`{"type":"stepup.totally.unknown.v1"}`))
	if !strings.Contains(err.Error(), "stepup.totally.unknown.v1") {
		t.Fatalf("a type-like name should be named: %v", err)
	}
}

func TestCheckHeaders(t *testing.T) {
	t.Parallel()
	ev := &schemas.UserAction{Meta: schemas.Meta{ID: "e", Type: schemas.TypeUserAction}}
	if err := schemas.CheckHeaders(ev, nil); err != nil {
		t.Fatalf("no headers: %v", err)
	}
	ok := map[string]string{"ce_type": schemas.TypeUserAction, "ce_id": "e"}
	if err := schemas.CheckHeaders(ev, ok); err != nil {
		t.Fatalf("matching headers: %v", err)
	}
	forged := map[string]string{"ce_type": schemas.TypeChallengeResult}
	if err := schemas.CheckHeaders(ev, forged); !errors.Is(err, schemas.ErrHeaderMismatch) {
		t.Fatalf("forged type: %v", err)
	}
}

func TestDeriveIDIsStable(t *testing.T) {
	t.Parallel()
	a := schemas.DeriveID("ch", "evt-1")
	if a != schemas.DeriveID("ch", "evt-1") {
		t.Fatal("not deterministic")
	}
	if a == schemas.DeriveID("ch", "evt-2") || a == schemas.DeriveID("aud", "evt-1") {
		t.Fatal("collision between different inputs")
	}
	if schemas.ChallengeID("u1", "evt-1") == schemas.ChallengeID("u2", "evt-1") {
		t.Fatal("two users' events with one id share a challenge id")
	}
	if schemas.DeriveID("x", "ab", "c") == schemas.DeriveID("x", "a", "bc") {
		t.Fatal("parts are not separated")
	}
}

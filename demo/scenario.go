package demo

import (
	"encoding/json"
	"time"

	"github.com/stepupauth/stepup/schemas"
)

// scenarioStart is when the built-in scenario begins. A fixed time keeps the
// scenario's outputs the same on every run.
var scenarioStart = time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC)

type scenario struct {
	recs []Record
	at   time.Time
	// times keeps when each action happened, so that answers to its
	// challenge can come before the challenge expires.
	times map[string]time.Time
}

// Scenario returns the built-in onboarding story. Six users sign up, log in
// and act; between them they fire every signal the scorer knows, meet every
// rung from nothing to deny, answer challenges (one passes, one fails, one
// answer is for a challenge that does not exist), retry, and send a handful
// of broken events that end in the dead-letter topic.
func Scenario() []Record {
	s := &scenario{at: scenarioStart, times: map[string]time.Time{}}
	telenor := &schemas.Geo{Country: "NO", City: "Oslo", ASN: 2119}
	telia := &schemas.Geo{Country: "SE", City: "Stockholm", ASN: 3301}
	dtag := &schemas.Geo{Country: "DE", City: "Berlin", ASN: 3320}
	lisbon := &schemas.Geo{Country: "PT", City: "Lisbon", ASN: 3243}
	remote := &schemas.Geo{Country: "RU", ASN: 12389}

	// Phase 0: accounts are created.
	s.signup(0, "alice", "alice@example.com", "alice-phone", "ios", telenor)
	s.signup(0, "bob", "bob@example.org", "bob-laptop", "web", telia)
	s.signup(0, "carol", "carol@example.net", "carol-phone", "android", dtag)
	s.signup(0, "frank", "frank@example.com", "frank-laptop", "web", telenor)

	// Phase 1: everyday use, some of it risky.
	s.action(1, "a-login-home", "alice", schemas.ActionLogin, "alice-phone", telenor, nil)
	s.action(1, "a-login-tablet", "alice", schemas.ActionLogin, "alice-tablet", telenor, nil)
	s.action(1, "a-change-phone", "alice", schemas.ActionChangePhone, "alice-phone", telenor, nil)
	s.action(1, "a-link-card", "alice", schemas.ActionLinkPaymentMethod, "alice-laptop",
		lisbon, nil)
	s.action(1, "b-login-typo", "bob", schemas.ActionLogin, "bob-laptop", telia, ptr(false))
	s.action(1, "b-login-typo-2", "bob", schemas.ActionLogin, "bob-laptop", telia, ptr(false))
	s.action(1, "b-login-typo-3", "bob", schemas.ActionLogin, "bob-laptop", telia, ptr(false))
	s.action(1, "b-login", "bob", schemas.ActionLogin, "bob-laptop", telia, ptr(true))
	s.action(1, "b-change-email", "bob", schemas.ActionChangeEmail, "bob-laptop", telia, nil)
	s.action(1, "b-add-payee", "bob", schemas.ActionAddPayee, "bob-new-phone", telia, nil)
	s.action(1, "c-payout", "carol", schemas.ActionPayout, "unknown-box", remote, nil)
	s.action(1, "e-login", "erin", schemas.ActionLogin, "erin-phone", telenor, ptr(true))
	s.action(1, "f-login-bare", "frank", schemas.ActionLogin, "", nil, ptr(true))
	s.broken(1)

	// Phase 2: answers to the challenges.
	s.result(2, "r-alice", "alice", "a-link-card", schemas.ResultPassed, "id_document")
	s.result(2, "r-bob", "bob", "b-add-payee", schemas.ResultFailed, "totp")
	s.result(2, "r-nobody", "carol", "", schemas.ResultPassed, "totp")

	// Phase 3: second attempts. Alice proved the laptop; Bob did not.
	s.action(3, "a-link-card-again", "alice", schemas.ActionLinkPaymentMethod, "alice-laptop",
		lisbon, nil)
	s.action(3, "b-add-payee-again", "bob", schemas.ActionAddPayee, "bob-new-phone", telia,
		nil)
	return s.recs
}

func ptr(b bool) *bool { return &b }

func (s *scenario) next() time.Time {
	s.at = s.at.Add(3 * time.Minute)
	return s.at
}

func (s *scenario) add(phase int, kind Kind, ev schemas.Event) {
	value, err := json.Marshal(ev)
	if err != nil {
		panic(err) // scenario events are plain structs
	}
	m := ev.EventMeta()
	s.recs = append(s.recs, Record{Kind: kind, Key: m.UserID, Value: value, EventID: m.ID,
		Phase: phase, Headers: productHeaders(m.ID, m.Type)})
}

func (s *scenario) signup(phase int, user, email, device, platform string, g *schemas.Geo) {
	s.add(phase, KindSignup, &schemas.Signup{
		Meta: schemas.Meta{ID: "signup-" + user, Type: schemas.TypeSignup, UserID: user,
			Time: s.next()},
		Email:  email,
		Device: schemas.Device{DeviceID: device, Platform: platform, IP: "192.0.2.1"},
		Geo:    g,
	})
}

func (s *scenario) action(phase int, id, user, action, device string, g *schemas.Geo,
	ok *bool) {
	d := schemas.Device{}
	if device != "" {
		d = schemas.Device{DeviceID: device, IP: "198.51.100.7",
			UserAgent: "Mozilla/5.0 (X11; Linux x86_64) Firefox/132.0"}
	}
	at := s.next()
	s.times[id] = at
	s.add(phase, KindAction, &schemas.UserAction{
		Meta: schemas.Meta{ID: id, Type: schemas.TypeUserAction, UserID: user,
			Time: at},
		SessionID: "sess-" + id,
		Action:    action,
		Succeeded: ok,
		Device:    d,
		Geo:       g,
	})
}

// result answers the challenge that the action challenged opened, two
// minutes after it; with no action it answers a challenge never issued.
func (s *scenario) result(phase int, id, user, challenged, result, factor string) {
	challengeID, at := "challenge-that-was-never-issued", s.next()
	if challenged != "" {
		challengeID = schemas.ChallengeID(user, challenged)
		at = s.times[challenged].Add(2 * time.Minute)
	}
	s.add(phase, KindResult, &schemas.ChallengeResult{
		Meta: schemas.Meta{ID: id, Type: schemas.TypeChallengeResult, UserID: user,
			Time: at},
		ChallengeID: challengeID, Result: result, Factor: factor,
	})
}

// broken adds events a careless producer might send. Each ends in the
// dead-letter topic with its reason.
func (s *scenario) broken(phase int) {
	bad := []struct{ key, value string }{
		{"alice", `{"id":"x-truncated","type":"stepup.user_action.v1","user_id":"ali`},
		{"bob", `{"id":"x-teleport","type":"stepup.user_action.v1","user_id":"bob",` +
			`"time":"2026-11-02T10:00:00Z","action":"teleport","device":{}}`},
		{"bob", `{"id":"x-future","type":"stepup.wire_transfer.v2","user_id":"bob"}`},
		{"", `{"id":"x-nokey","type":"stepup.user_action.v1","user_id":"carol",` +
			`"time":"2026-11-02T10:00:00Z","action":"login","device":{}}`},
	}
	for _, b := range bad {
		s.recs = append(s.recs, Record{Kind: KindAction, Key: b.key, Value: []byte(b.value),
			Phase: phase})
	}
}

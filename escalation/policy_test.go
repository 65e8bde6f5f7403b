package escalation_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/stepupauth/stepup/escalation"
	"github.com/stepupauth/stepup/schemas"
	"github.com/stepupauth/stepup/scoring"
)

func defaultPolicy(t *testing.T) *escalation.Policy {
	t.Helper()
	p, err := escalation.Parse(escalation.DefaultPolicy())
	if err != nil {
		t.Fatalf("default policy refused: %v", err)
	}
	return p
}

func TestDecide(t *testing.T) {
	t.Parallel()
	p := defaultPolicy(t)
	known := func() *scoring.Profile {
		prof := scoring.NewProfile()
		prof.Learn(scoring.Observation{DeviceKey: "d1", Country: "NO", ASN: 29695}, time.Now())
		return prof
	}
	tests := []struct {
		name      string
		action    string
		obs       scoring.Observation
		outcome   string
		challenge schemas.Challenge
	}{
		{"known login", "login",
			scoring.Observation{DeviceKey: "d1", Country: "NO", ASN: 29695},
			schemas.OutcomeAllow, schemas.ChallengeNone},
		{"login from new device at home", "login",
			scoring.Observation{DeviceKey: "d2", Country: "NO", ASN: 29695},
			schemas.OutcomeAllow, schemas.ChallengeNone},
		{"login from new device abroad", "login",
			scoring.Observation{DeviceKey: "d2", Country: "BR", ASN: 1},
			schemas.OutcomeChallenge, schemas.ChallengeEmailOTP},
		{"payment method from known device", "link_payment_method",
			scoring.Observation{DeviceKey: "d1", Country: "NO", ASN: 29695},
			schemas.OutcomeAllow, schemas.ChallengeNone},
		{"payment method from new device", "link_payment_method",
			scoring.Observation{DeviceKey: "d2", Country: "NO", ASN: 29695},
			schemas.OutcomeChallenge, schemas.ChallengeMFA},
		{"payment method from new device abroad", "link_payment_method",
			scoring.Observation{DeviceKey: "d2", Country: "BR", ASN: 1},
			schemas.OutcomeChallenge, schemas.ChallengeIDDocument},
		{"payout from a stranger", "payout",
			scoring.Observation{DeviceKey: "d2", Country: "BR", ASN: 1},
			schemas.OutcomeDeny, schemas.ChallengeDeny},
		{"unlisted action uses the default sensitivity", "rename_pet",
			scoring.Observation{DeviceKey: "d2", Country: "NO", ASN: 29695},
			schemas.OutcomeChallenge, schemas.ChallengeEmailOTP},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			d := p.Decide(known(), tt.action, tt.obs)
			if d.Outcome != tt.outcome || d.Rung.Challenge != tt.challenge {
				t.Fatalf("got %s/%s (score %v, level %s), want %s/%s", d.Outcome,
					d.Rung.Challenge, d.Result.Score, d.Result.Level, tt.outcome, tt.challenge)
			}
			if d.Policy != p.Version {
				t.Fatalf("decision carries policy %q", d.Policy)
			}
		})
	}
}

func TestParseRefusesBrokenPolicies(t *testing.T) {
	t.Parallel()
	good := string(escalation.DefaultPolicy())
	tests := []struct {
		name string
		yaml string
		want string
	}{
		{"syntax", good + "\n  : : [\n", "["},
		{"unknown field", strings.Replace(good, "challenge_ttl:", "challenge_tll:", 1),
			"challenge_tll"},
		{"no version", strings.Replace(good, `version: "default-2026.12.1"`, "", 1), "version"},
		{"bad challenge", strings.Replace(good, "{challenge: mfa}", "{challenge: sms}", 1),
			"unknown challenge"},
		{"missing rung", strings.Replace(good, "    critical: {challenge: deny}\n", "", 1),
			"ladder.critical.critical: missing"},
		{"bad sensitivity", strings.Replace(good, "payout: {sensitivity: critical}",
			"payout: {sensitivity: extreme}", 1), "actions.payout"},
		{"levels out of order", strings.Replace(good, "high: 0.55", "high: 0.25", 1),
			"scoring.levels.high"},
		{"weight out of range", strings.Replace(good, "new_device: 0.35", "new_device: 3", 1),
			"scoring.weights.new_device"},
		{"NaN level", strings.Replace(good, "high: 0.55", "high: .nan", 1),
			"scoring.levels.high"},
		{"missing weight", strings.Replace(good, "    new_asn: 0.10", "", 1),
			"scoring.weights.new_asn: missing"},
		{"odd version", strings.Replace(good, `version: "default-2026.12.1"`,
			`version: "two\nlines"`, 1), "version"},
		{"zero ttl", strings.Replace(good, "challenge_ttl: 10m", "challenge_ttl: 0s", 1),
			"challenge_ttl"},
		{"deny with alternatives", strings.Replace(good, "{challenge: deny}",
			"{challenge: deny, alternatives: [mfa]}", 1), "alternatives"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, err := escalation.Parse([]byte(tt.yaml))
			if !errors.Is(err, escalation.ErrInvalidPolicy) {
				t.Fatalf("err = %v, want ErrInvalidPolicy", err)
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("error %q does not mention %q", err, tt.want)
			}
		})
	}
}

func TestSyntaxErrorNamesTheLine(t *testing.T) {
	t.Parallel()
	_, err := escalation.Parse([]byte("version: x\nchallenge_ttl: [1,\n"))
	if err == nil || !strings.Contains(err.Error(), "[2:") && !strings.Contains(err.Error(), "[3:") {
		t.Fatalf("error does not name a line: %v", err)
	}
}

func TestHolderSwap(t *testing.T) {
	t.Parallel()
	p1 := defaultPolicy(t)
	p2 := defaultPolicy(t)
	h := escalation.NewHolder(p1)
	if h.Swap(p2) != p1 || h.Current() != p2 {
		t.Fatal("swap did not replace the policy")
	}
}

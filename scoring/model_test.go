package scoring_test

import (
	"testing"
	"time"

	"github.com/stepupauth/stepup/schemas"
	"github.com/stepupauth/stepup/scoring"
)

var cfg = scoring.Config{
	Weights: map[string]float64{
		scoring.SignalNewDevice:     0.35,
		scoring.SignalNewCountry:    0.30,
		scoring.SignalNewNetwork:    0.10,
		scoring.SignalUnknownDevice: 0.20,
		scoring.SignalFirstSeen:     0.25,
		scoring.SignalFailedLogin:   0.10,
		scoring.SignalRepeatedFails: 0.30,
		scoring.SignalHighStakes:    0.25,
		scoring.SignalMediumStakes:  0.10,
	},
	Levels: map[schemas.Level]float64{
		schemas.LevelMedium: 0.30, schemas.LevelHigh: 0.55, schemas.LevelCritical: 0.85,
	},
}

func knownProfile() *scoring.Profile {
	p := scoring.NewProfile()
	p.Learn(scoring.Observation{DeviceKey: "d1", Country: "NO", ASN: 29695},
		time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC))
	return p
}

func TestScore(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		profile *scoring.Profile
		obs     scoring.Observation
		score   float64
		level   schemas.Level
		codes   []string
	}{
		{
			name:    "known device, country and network",
			profile: knownProfile(),
			obs:     scoring.Observation{DeviceKey: "d1", Country: "NO", ASN: 29695},
			score:   0, level: schemas.LevelLow,
		},
		{
			name:    "new device only",
			profile: knownProfile(),
			obs:     scoring.Observation{DeviceKey: "d2", Country: "NO", ASN: 29695},
			score:   0.35, level: schemas.LevelMedium, codes: []string{"new_device"},
		},
		{
			name:    "new device, country and network",
			profile: knownProfile(),
			obs:     scoring.Observation{DeviceKey: "d2", Country: "BR", ASN: 1},
			score:   0.75, level: schemas.LevelHigh,
			codes: []string{"new_device", "new_country", "new_asn"},
		},
		{
			name:    "everything fires on a high-stakes action: capped at 1",
			profile: knownProfile(),
			obs: scoring.Observation{DeviceKey: "d2", Country: "BR", ASN: 1,
				FailedLogin: true, Sensitivity: scoring.SensitivityCritical},
			score: 1, level: schemas.LevelCritical,
			codes: []string{"new_device", "new_country", "high_stakes_action", "new_asn",
				"failed_login"},
		},
		{
			name:    "high-stakes action from a known device",
			profile: knownProfile(),
			obs: scoring.Observation{DeviceKey: "d1", Country: "NO", ASN: 29695,
				Sensitivity: scoring.SensitivityHigh},
			score: 0.25, level: schemas.LevelLow, codes: []string{"high_stakes_action"},
		},
		{
			name:    "no device facts",
			profile: knownProfile(),
			obs:     scoring.Observation{Country: "NO", ASN: 29695},
			score:   0.2, level: schemas.LevelLow, codes: []string{"device_unknown"},
		},
		{
			name:    "first event of a user without signup",
			profile: scoring.NewProfile(),
			obs:     scoring.Observation{DeviceKey: "d1", Country: "NO"},
			score:   0.25, level: schemas.LevelLow, codes: []string{"first_seen"},
		},
		{
			name:    "signup has no history by nature",
			profile: scoring.NewProfile(),
			obs:     scoring.Observation{DeviceKey: "d1", Country: "NO", Signup: true},
			score:   0, level: schemas.LevelLow,
		},
		{
			name:    "boundary: exactly the medium bound is medium",
			profile: knownProfile(),
			obs:     scoring.Observation{DeviceKey: "d1", Country: "SE", ASN: 29695},
			score:   0.30, level: schemas.LevelMedium, codes: []string{"new_country"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got := cfg.Score(tt.profile, tt.obs)
			if got.Score != tt.score || got.Level != tt.level {
				t.Fatalf("score %v level %s, want %v %s", got.Score, got.Level, tt.score, tt.level)
			}
			if len(got.Reasons) != len(tt.codes) {
				t.Fatalf("reasons %+v, want codes %v", got.Reasons, tt.codes)
			}
			for i, code := range tt.codes {
				if got.Reasons[i].Code != code {
					t.Fatalf("reason %d = %s, want %s (all: %+v)", i, got.Reasons[i].Code, code,
						got.Reasons)
				}
			}
		})
	}
}

func TestLearnOnlyChangesOnLearn(t *testing.T) {
	t.Parallel()
	p := knownProfile()
	obs := scoring.Observation{DeviceKey: "d9", Country: "NO", ASN: 29695}
	first := cfg.Score(p, obs)
	second := cfg.Score(p, obs)
	if first.Score != second.Score || first.Score == 0 {
		t.Fatalf("scoring changed the profile: %v then %v", first.Score, second.Score)
	}
	p.Learn(obs, time.Now())
	if got := cfg.Score(p, obs); got.Score != 0 {
		t.Fatalf("after learning the device it still scores %v", got.Score)
	}
}

func TestProfileIsBounded(t *testing.T) {
	t.Parallel()
	p := scoring.NewProfile()
	start := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	for i := range 100 {
		key := string(rune('a'+i%26)) + string(rune('a'+i/26))
		p.Learn(scoring.Observation{DeviceKey: key}, start.Add(time.Duration(i)*time.Minute))
	}
	if len(p.Devices) > 16 {
		t.Fatalf("profile keeps %d devices", len(p.Devices))
	}
	if _, ok := p.Devices["aa"]; ok {
		t.Fatal("oldest device was not forgotten")
	}
}

func TestConfigValidate(t *testing.T) {
	t.Parallel()
	bad := []scoring.Config{
		{Weights: map[string]float64{"telepathy": 0.1}, Levels: cfg.Levels},
		{Weights: map[string]float64{scoring.SignalNewDevice: 1.5}, Levels: cfg.Levels},
		{Weights: cfg.Weights, Levels: map[schemas.Level]float64{
			schemas.LevelMedium: 0.6, schemas.LevelHigh: 0.5, schemas.LevelCritical: 0.9}},
		{Weights: cfg.Weights, Levels: map[schemas.Level]float64{schemas.LevelMedium: 0.3}},
	}
	for i, c := range bad {
		if err := c.Validate(); err == nil {
			t.Errorf("config %d: want an error", i)
		}
	}
	if err := cfg.Validate(); err != nil {
		t.Fatalf("good config refused: %v", err)
	}
}

func TestRepeatedFailures(t *testing.T) {
	t.Parallel()
	p := knownProfile()
	obs := scoring.Observation{DeviceKey: "d1", Country: "NO", ASN: 29695, FailedLogin: true}
	var scores []float64
	for range 4 {
		scores = append(scores, cfg.Score(p, obs).Score)
		p.Fail()
	}
	want := []float64{0.1, 0.1, 0.4, 0.4}
	for i := range want {
		if scores[i] != want[i] {
			t.Fatalf("failure %d scored %v, want %v (all %v)", i+1, scores[i], want[i], scores)
		}
	}
	p.Learn(scoring.Observation{DeviceKey: "d1"}, time.Now())
	if got := cfg.Score(p, obs).Score; got != 0.1 {
		t.Fatalf("an accepted event did not reset the count: %v", got)
	}
}

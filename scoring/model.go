package scoring

import (
	"fmt"
	"math"
	"sort"
	"strconv"

	"github.com/stepupauth/stepup/schemas"
)

// Config holds the weights of each signal and the score at which each level
// starts. It is part of the escalation policy file, so a policy version pins
// the whole decision.
type Config struct {
	// Weights maps a signal name to what it adds to the score when it fires.
	Weights map[string]float64 `yaml:"weights"`
	// Levels maps medium, high and critical to the lowest score of that
	// level; anything below medium is low.
	Levels map[schemas.Level]float64 `yaml:"levels"`
}

// Validate checks that every signal has a weight within [0, 1] (0 turns a
// signal off), that no unknown signal is named, and that the level bounds
// rise strictly within (0, 1].
func (c Config) Validate() error {
	for name, w := range c.Weights {
		if !knownSignal(name) {
			return fmt.Errorf("scoring.weights: unknown signal %q", name)
		}
		if math.IsNaN(w) || w < 0 || w > 1 {
			return fmt.Errorf("scoring.weights.%s: %v is outside [0, 1]", name, w)
		}
	}
	for _, name := range Signals {
		if _, ok := c.Weights[name]; !ok {
			return fmt.Errorf("scoring.weights.%s: missing (write 0 to turn it off)", name)
		}
	}
	prev := 0.0
	for _, lvl := range schemas.Levels[1:] {
		b, ok := c.Levels[lvl]
		if !ok {
			return fmt.Errorf("scoring.levels: %s is missing", lvl)
		}
		if math.IsNaN(b) || b <= prev || b > 1 {
			return fmt.Errorf("scoring.levels.%s: %v must be above %v and at most 1", lvl, b, prev)
		}
		prev = b
	}
	if _, ok := c.Levels[schemas.LevelLow]; ok {
		return fmt.Errorf("scoring.levels: low has no bound, it is everything below medium")
	}
	return nil
}

func knownSignal(name string) bool {
	for _, s := range Signals {
		if s == name {
			return true
		}
	}
	return false
}

// Result is a scored event.
type Result struct {
	Score   float64
	Level   schemas.Level
	Reasons []schemas.Reason
}

// Score compares obs with what the profile knows and adds up the weights of
// the signals that fire, capped at 1. Reasons come sorted by contribution,
// largest first; a signal with weight 0 is not listed. Score does not change
// the profile.
func (c Config) Score(p *Profile, obs Observation) Result {
	var reasons []schemas.Reason
	fire := func(signal, value string) {
		if w := c.Weights[signal]; w > 0 {
			reasons = append(reasons, schemas.Reason{Code: signal, Contribution: w, Value: value})
		}
	}

	history := p.Accepted > 0
	switch {
	case obs.Signup:
	case !history:
		fire(SignalFirstSeen, "")
	default:
		if obs.DeviceKey == "" {
			fire(SignalUnknownDevice, "")
		} else if !p.knowsDevice(obs.DeviceKey) {
			fire(SignalNewDevice, obs.DeviceKey)
		}
		if obs.Country != "" && !p.knowsCountry(obs.Country) {
			fire(SignalNewCountry, obs.Country)
		}
		if obs.ASN != 0 && !p.knowsNetwork(obs.ASN) {
			fire(SignalNewNetwork, "AS"+strconv.FormatUint(uint64(obs.ASN), 10))
		}
	}
	if obs.FailedLogin {
		fire(SignalFailedLogin, "")
		if n := p.Failures + 1; n >= repeatedFailures {
			fire(SignalRepeatedFails, strconv.Itoa(n))
		}
	}
	switch obs.Sensitivity {
	case SensitivityHigh, SensitivityCritical:
		fire(SignalHighStakes, string(obs.Sensitivity))
	case SensitivityMedium:
		fire(SignalMediumStakes, string(obs.Sensitivity))
	}

	sort.SliceStable(reasons, func(i, j int) bool {
		return reasons[i].Contribution > reasons[j].Contribution
	})
	total := 0.0
	for _, r := range reasons {
		total += r.Contribution
	}
	total = math.Min(1, math.Round(total*1e6)/1e6)
	return Result{Score: total, Level: c.level(total), Reasons: reasons}
}

func (c Config) level(score float64) schemas.Level {
	lvl := schemas.LevelLow
	for _, l := range schemas.Levels[1:] {
		if score >= c.Levels[l] {
			lvl = l
		}
	}
	return lvl
}

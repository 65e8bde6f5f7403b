package escalation

import (
	"bytes"
	_ "embed"
	"errors"
	"fmt"
	"os"
	"regexp"
	"time"

	"github.com/goccy/go-yaml"

	"github.com/stepupauth/stepup/schemas"
	"github.com/stepupauth/stepup/scoring"
)

//go:embed default-policy.yaml
var defaultPolicy []byte

// DefaultPolicy returns the YAML of the policy that ships with stepup.
func DefaultPolicy() []byte { return bytes.Clone(defaultPolicy) }

// ErrInvalidPolicy wraps every reason a policy file is refused.
var ErrInvalidPolicy = errors.New("invalid policy")

// Rung is one step of the ladder: the challenge to ask for and the others the
// user may pick instead.
type Rung struct {
	Challenge    schemas.Challenge   `yaml:"challenge"`
	Alternatives []schemas.Challenge `yaml:"alternatives"`
}

// Action describes one user action in the policy.
type Action struct {
	Sensitivity scoring.Sensitivity `yaml:"sensitivity"`
}

// Policy is a loaded, validated escalation policy.
type Policy struct {
	// Version is stamped on every decision and audit record.
	Version string `yaml:"version"`
	// ChallengeTTL is how long a user has to answer a challenge.
	ChallengeTTL time.Duration `yaml:"challenge_ttl"`
	// Scoring holds the weights and level bounds.
	Scoring scoring.Config `yaml:"scoring"`
	// Actions maps an action name to its sensitivity. DefaultAction covers
	// actions the file does not name.
	Actions       map[string]Action `yaml:"actions"`
	DefaultAction Action            `yaml:"default_action"`
	// Ladder maps a sensitivity, then a level, to the rung to ask for.
	Ladder map[scoring.Sensitivity]map[schemas.Level]Rung `yaml:"ladder"`
}

// Parse reads and validates a policy. Syntax errors and unknown fields name
// the line; semantic errors name the field.
func Parse(data []byte) (*Policy, error) {
	var p Policy
	if err := yaml.UnmarshalWithOptions(data, &p, yaml.Strict()); err != nil {
		return nil, fmt.Errorf("%w: %s", ErrInvalidPolicy, yaml.FormatError(err, false, false))
	}
	if err := p.validate(); err != nil {
		return nil, fmt.Errorf("%w: %w", ErrInvalidPolicy, err)
	}
	return &p, nil
}

// Load reads and validates the policy file at path.
func Load(path string) (*Policy, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("cannot read policy: %w", err)
	}
	p, err := Parse(data)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return p, nil
}

func (p *Policy) validate() error {
	if !versionPattern.MatchString(p.Version) {
		return errors.New("version: must be 1 to 64 letters, digits or . _ : + -")
	}
	if p.ChallengeTTL <= 0 {
		return errors.New("challenge_ttl: must be a positive duration such as 10m")
	}
	if err := p.Scoring.Validate(); err != nil {
		return err
	}
	if err := checkSensitivity("default_action", p.DefaultAction.Sensitivity); err != nil {
		return err
	}
	for name, a := range p.Actions {
		if err := checkSensitivity("actions."+name, a.Sensitivity); err != nil {
			return err
		}
	}
	for _, s := range scoring.Sensitivities {
		levels, ok := p.Ladder[s]
		if !ok {
			return fmt.Errorf("ladder.%s: missing", s)
		}
		for _, l := range schemas.Levels {
			rung, ok := levels[l]
			if !ok {
				return fmt.Errorf("ladder.%s.%s: missing", s, l)
			}
			if err := rung.validate(fmt.Sprintf("ladder.%s.%s", s, l)); err != nil {
				return err
			}
		}
		for l := range levels {
			if !validLevel(l) {
				return fmt.Errorf("ladder.%s.%s: unknown level", s, l)
			}
		}
	}
	for s := range p.Ladder {
		if err := checkSensitivity("ladder."+string(s), s); err != nil {
			return err
		}
	}
	return nil
}

var versionPattern = regexp.MustCompile(`^[A-Za-z0-9._:+-]{1,64}$`)

func (r Rung) validate(field string) error {
	if !validChallenge(r.Challenge) {
		return fmt.Errorf("%s.challenge: unknown challenge %q", field, r.Challenge)
	}
	for _, alt := range r.Alternatives {
		if !validChallenge(alt) || alt == schemas.ChallengeNone || alt == schemas.ChallengeDeny {
			return fmt.Errorf("%s.alternatives: %q cannot be an alternative", field, alt)
		}
		if r.Challenge == schemas.ChallengeNone || r.Challenge == schemas.ChallengeDeny {
			return fmt.Errorf("%s.alternatives: %s takes no alternatives", field, r.Challenge)
		}
	}
	return nil
}

func checkSensitivity(field string, s scoring.Sensitivity) error {
	for _, known := range scoring.Sensitivities {
		if s == known {
			return nil
		}
	}
	return fmt.Errorf("%s: unknown sensitivity %q", field, s)
}

func validLevel(l schemas.Level) bool {
	for _, known := range schemas.Levels {
		if l == known {
			return true
		}
	}
	return false
}

func validChallenge(c schemas.Challenge) bool {
	switch c {
	case schemas.ChallengeNone, schemas.ChallengeEmailOTP, schemas.ChallengeMFA,
		schemas.ChallengeIDDocument, schemas.ChallengeBiometric, schemas.ChallengeDeny:
		return true
	}
	return false
}

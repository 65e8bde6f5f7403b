package projection_test

import (
	"errors"
	"testing"

	"github.com/stepupauth/stepup/projection"
)

func TestNewRefusesInvalidConfig(t *testing.T) {
	t.Parallel()
	store := projection.NewStore(nil) // never used: New contacts nothing
	valid := projection.Config{Brokers: []string{"127.0.0.1:1"}, Topic: "audit"}

	tests := []struct {
		name  string
		cfg   func(projection.Config) projection.Config
		store *projection.Store
		ok    bool
	}{
		{"valid", func(c projection.Config) projection.Config { return c }, store, true},
		{"no brokers", func(c projection.Config) projection.Config {
			c.Brokers = nil
			return c
		}, store, false},
		{"no topic", func(c projection.Config) projection.Config {
			c.Topic = ""
			return c
		}, store, false},
		{"negative batch size", func(c projection.Config) projection.Config {
			c.BatchSize = -1
			return c
		}, store, false},
		{"nil store", func(c projection.Config) projection.Config { return c }, nil, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := projection.New(tt.cfg(valid), tt.store)
			if tt.ok {
				if err != nil || p == nil {
					t.Fatalf("New = %v, %v; want a Projector", p, err)
				}
				if st := p.Stats(); st != (projection.Stats{}) || p.Projected() != 0 {
					t.Errorf("new Projector has counters %+v", st)
				}
				return
			}
			if !errors.Is(err, projection.ErrConfig) {
				t.Errorf("New error = %v, want ErrConfig", err)
			}
		})
	}
}

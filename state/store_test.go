package state_test

import (
	"sync"
	"testing"

	"github.com/stepupauth/stepup/state"
)

// With serialises work on one user: concurrent read-modify-write cycles lose
// no update.
func TestWithSerialisesAUser(t *testing.T) {
	t.Parallel()
	s := state.NewStore()
	var wg sync.WaitGroup
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range 500 {
				_ = s.With("u1", func(u *state.User) error {
					u.Profile.Accepted++
					return nil
				})
			}
		}()
	}
	wg.Wait()
	_ = s.With("u1", func(u *state.User) error {
		if u.Profile.Accepted != 8*500 {
			t.Errorf("lost updates: %d of %d", u.Profile.Accepted, 8*500)
		}
		return nil
	})
	_ = s.With("u2", func(*state.User) error { return nil })
	if s.Len() != 2 {
		t.Fatalf("Len = %d, want 2", s.Len())
	}
}

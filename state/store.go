// Package state keeps what stepup remembers between events: each user's
// profile and the challenges still waiting for an answer.
//
// Note that the store lives in memory only: a restart forgets it. Decisions
// stay correct but more cautious after a restart, since known devices look new
// again.
package state

import (
	"hash/maphash"
	"sync"
	"time"

	"github.com/stepupauth/stepup/schemas"
	"github.com/stepupauth/stepup/scoring"
)

const shardCount = 64

// Pending is a challenge that was issued and not yet answered. Observation
// is what the challenged event showed; a passed challenge teaches it to the
// profile.
type Pending struct {
	ChallengeID    string
	TriggerEventID string
	SessionID      string
	Action         string
	Challenge      schemas.Challenge
	ExpiresAt      time.Time
	Observation    scoring.Observation
}

// User is the state of one user.
type User struct {
	Profile *scoring.Profile
	Pending map[string]Pending
}

// Store holds the state of every user. It is safe for concurrent use; work on
// one user is serialised by With.
type Store struct {
	seed   maphash.Seed
	shards [shardCount]shard
}

type shard struct {
	mu    sync.Mutex
	users map[string]*User
}

// NewStore returns an empty store.
func NewStore() *Store {
	s := &Store{seed: maphash.MakeSeed()}
	for i := range s.shards {
		s.shards[i].users = map[string]*User{}
	}
	return s
}

// With runs fn with the state of userID, creating it if needed, while no
// other call to With for the same user runs. Changes fn makes to the User are
// kept whether or not it returns an error, so fn should change the user only
// once its outputs are safely written.
func (s *Store) With(userID string, fn func(u *User) error) error {
	sh := &s.shards[maphash.String(s.seed, userID)%shardCount]
	sh.mu.Lock()
	defer sh.mu.Unlock()

	u, ok := sh.users[userID]
	if !ok {
		u = &User{Profile: scoring.NewProfile(), Pending: map[string]Pending{}}
		sh.users[userID] = u
	}
	return fn(u)
}

// Len returns how many users the store holds.
func (s *Store) Len() int {
	n := 0
	for i := range s.shards {
		s.shards[i].mu.Lock()
		n += len(s.shards[i].users)
		s.shards[i].mu.Unlock()
	}
	return n
}

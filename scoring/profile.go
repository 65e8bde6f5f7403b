package scoring

import (
	"strconv"
	"time"
)

// maxKnown bounds how many devices, countries and networks a profile keeps;
// past it the least recently seen is forgotten.
const maxKnown = 16

// Profile is what stepup remembers of one user: the devices, countries and
// networks that were accepted for the user (allowed or proved by a passed
// challenge), with when each was last seen. A Profile is not safe for
// concurrent use; the caller serialises access per user.
type Profile struct {
	Devices   map[string]time.Time
	Countries map[string]time.Time
	Networks  map[string]time.Time
	Accepted  int
	LastSeen  time.Time
	// Failures counts failed logins since the last accepted event.
	Failures int
}

// NewProfile returns an empty profile.
func NewProfile() *Profile {
	return &Profile{
		Devices:   map[string]time.Time{},
		Countries: map[string]time.Time{},
		Networks:  map[string]time.Time{},
	}
}

// Learn records that obs was accepted for the user at time at. Note that
// rejected or unanswered events are never learned, so repeated attempts from
// a stranger's device keep being treated as new.
func (p *Profile) Learn(obs Observation, at time.Time) {
	remember(p.Devices, obs.DeviceKey, at)
	remember(p.Countries, obs.Country, at)
	if obs.ASN != 0 {
		remember(p.Networks, asnKey(obs.ASN), at)
	}
	p.Accepted++
	p.Failures = 0
	if at.After(p.LastSeen) {
		p.LastSeen = at
	}
}

// Fail records a failed login. It teaches nothing about the device it came
// from; it only counts towards SignalRepeatedFails until an event is
// accepted.
func (p *Profile) Fail() { p.Failures++ }

func (p *Profile) knowsDevice(key string) bool { return known(p.Devices, key) }

func (p *Profile) knowsCountry(c string) bool { return known(p.Countries, c) }

func (p *Profile) knowsNetwork(asn uint32) bool { return known(p.Networks, asnKey(asn)) }

func asnKey(asn uint32) string { return strconv.FormatUint(uint64(asn), 10) }

func known(m map[string]time.Time, key string) bool {
	_, ok := m[key]
	return ok
}

func remember(m map[string]time.Time, key string, at time.Time) {
	if key == "" {
		return
	}
	if prev, ok := m[key]; ok {
		if at.After(prev) {
			m[key] = at
		}
		return
	}
	if len(m) >= maxKnown {
		evictOldest(m)
	}
	m[key] = at
}

func evictOldest(m map[string]time.Time) {
	var oldestKey string
	var oldest time.Time
	for k, t := range m {
		if oldestKey == "" || t.Before(oldest) {
			oldestKey, oldest = k, t
		}
	}
	delete(m, oldestKey)
}

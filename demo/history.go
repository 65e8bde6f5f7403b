package demo

import (
	"encoding/json"
	"fmt"
	"hash/fnv"
	"math/rand/v2"
	"sort"
	"time"

	"github.com/stepupauth/stepup/schemas"
)

// LabelGenerated marks a login made up by SyntheticHistory.
const LabelGenerated = "generated"

// History describes the legitimate logins SyntheticHistory makes up. The
// defaults model a customer of a Norwegian online service, like the users of
// the RBA dataset: at home in Norway on one of a few large Norwegian
// networks, with one or two devices, now and then travelling or on a new
// device.
type History struct {
	// Logins is how many logins each user has before their first row.
	Logins int
	// Span is how far back the generated logins reach. Default 60 days.
	Span time.Duration
	// TravelRate is the share of logins from abroad. Default 0.03.
	TravelRate float64
	// NewDeviceRate is the share of logins from a device used once.
	// Default 0.02.
	NewDeviceRate float64
}

// Networks the generator puts users on, with their countries. They are
// public ASNs of large access networks; the pairing is a plausible stand-in,
// not a measurement.
var (
	homeNetworks = []uint32{2119, 29695, 12929, 2116}
	travel       = []schemas.Geo{
		{Country: "SE", ASN: 3301}, {Country: "DK", ASN: 3292},
		{Country: "ES", ASN: 3352}, {Country: "DE", ASN: 3320},
	}
	userAgents = []string{
		"Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) " +
			"Chrome/80.0.3987.132 Safari/537.36",
		"Mozilla/5.0 (iPhone; CPU iPhone OS 13_3 like Mac OS X) AppleWebKit/605.1.15 " +
			"(KHTML, like Gecko) Version/13.0.5 Mobile/15E148 Safari/604.1",
		"Mozilla/5.0 (Linux; Android 10; SM-G973F) AppleWebKit/537.36 (KHTML, like Gecko) " +
			"Chrome/80.0.3987.99 Mobile Safari/537.36",
		"Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_3) AppleWebKit/605.1.15 " +
			"(KHTML, like Gecko) Version/13.0.5 Safari/605.1.15",
		"Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:73.0) Gecko/20100101 Firefox/73.0",
	}
)

// WithHistory returns records with h.Logins generated legitimate logins for
// every user of records, placed before that user's first record in time and
// in publishing order. Generation is deterministic: the same user always gets
// the same history. Generated records carry LabelGenerated and ids that start
// with "synthetic-".
func WithHistory(records []Record, h History) ([]Record, error) {
	if h.Logins <= 0 {
		return records, nil
	}
	if h.Span == 0 {
		h.Span = 60 * 24 * time.Hour
	}
	if h.TravelRate == 0 {
		h.TravelRate = 0.03
	}
	if h.NewDeviceRate == 0 {
		h.NewDeviceRate = 0.02
	}

	first := map[string]time.Time{}
	var users []string
	for _, r := range records {
		at, ok := eventTime(r)
		if !ok || r.Key == "" {
			continue
		}
		if prev, seen := first[r.Key]; !seen {
			users = append(users, r.Key)
			first[r.Key] = at
		} else if at.Before(prev) {
			first[r.Key] = at
		}
	}

	var out []Record
	for _, u := range users {
		gen, err := h.user(u, first[u])
		if err != nil {
			return nil, err
		}
		out = append(out, gen...)
	}
	return append(out, records...), nil
}

func eventTime(r Record) (time.Time, bool) {
	var head struct {
		Time time.Time `json:"time"`
	}
	if json.Unmarshal(r.Value, &head) != nil || head.Time.IsZero() {
		return time.Time{}, false
	}
	return head.Time, true
}

func (h History) user(user string, before time.Time) ([]Record, error) {
	seed := fnv.New64a()
	_, _ = seed.Write([]byte(user))
	rng := rand.New(rand.NewPCG(seed.Sum64(), 0x5eed))

	home := schemas.Geo{Country: "NO", ASN: homeNetworks[rng.IntN(len(homeNetworks))]}
	devices := []string{userAgents[rng.IntN(len(userAgents))]}
	if rng.Float64() < 0.5 {
		devices = append(devices, userAgents[rng.IntN(len(userAgents))])
	}

	times := make([]time.Time, h.Logins)
	for i := range times {
		times[i] = before.Add(-time.Duration(rng.Int64N(int64(h.Span))) - time.Second)
	}
	sort.Slice(times, func(i, j int) bool { return times[i].Before(times[j]) })

	out := make([]Record, 0, h.Logins)
	for i, at := range times {
		geo := home
		if rng.Float64() < h.TravelRate {
			geo = travel[rng.IntN(len(travel))]
		}
		ua := devices[rng.IntN(len(devices))]
		if rng.Float64() < h.NewDeviceRate {
			ua = userAgents[rng.IntN(len(userAgents))] + fmt.Sprintf(" build/%d", rng.IntN(1e6))
		}
		ok := true
		ev := schemas.UserAction{
			Meta: schemas.Meta{ID: fmt.Sprintf("synthetic-%s-%d", user, i),
				Type: schemas.TypeUserAction, UserID: user, Time: at},
			Action:    schemas.ActionLogin,
			Succeeded: &ok,
			Device:    schemas.Device{UserAgent: ua},
			Geo:       &geo,
		}
		value, err := json.Marshal(ev)
		if err != nil {
			return nil, err
		}
		out = append(out, Record{Kind: KindAction, Key: user, Value: value, EventID: ev.ID,
			Headers: productHeaders(ev.ID, ev.Type), Labels: []string{LabelGenerated}})
	}
	return out, nil
}

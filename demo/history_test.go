package demo_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/stepupauth/stepup/demo"
	"github.com/stepupauth/stepup/internal/testenv"
)

func TestWithHistory(t *testing.T) {
	t.Parallel()
	records := read(t, filepath.Join("testdata", "rba-head-sample.csv"), readRBA)
	users := map[string]time.Time{}
	for _, r := range records {
		at := eventTime(t, r.Value)
		if first, ok := users[r.Key]; !ok || at.Before(first) {
			users[r.Key] = at
		}
	}

	out, err := demo.WithHistory(records, demo.History{Logins: 5})
	if err != nil {
		t.Fatal(err)
	}
	if len(out) != len(records)+5*len(users) {
		t.Fatalf("%d records, want %d", len(out), len(records)+5*len(users))
	}
	seenReal := map[string]bool{}
	generated := map[string]int{}
	for _, r := range out {
		isGen := slices.Contains(r.Labels, demo.LabelGenerated)
		if !isGen {
			seenReal[r.Key] = true
			continue
		}
		if seenReal[r.Key] {
			t.Fatalf("generated login for %s published after the user's real rows", r.Key)
		}
		if !strings.HasPrefix(r.EventID, "synthetic-") {
			t.Fatalf("generated id %q", r.EventID)
		}
		if !eventTime(t, r.Value).Before(users[r.Key]) {
			t.Fatalf("generated login of %s is not before the first real one", r.Key)
		}
		generated[r.Key]++
	}
	for u := range users {
		if generated[u] != 5 {
			t.Fatalf("user %s got %d generated logins", u, generated[u])
		}
	}

	again, _ := demo.WithHistory(records, demo.History{Logins: 5})
	for i := range out {
		if string(out[i].Value) != string(again[i].Value) {
			t.Fatal("history is not deterministic")
		}
	}
}

func eventTime(t *testing.T, value []byte) time.Time {
	t.Helper()
	var head struct {
		Time time.Time `json:"time"`
	}
	if err := json.Unmarshal(value, &head); err != nil {
		t.Fatal(err)
	}
	return head.Time
}

// The account-takeover sample of the shared data, with generated history: the
// figures the README quotes. It needs ../shared beside the checkout.
func TestATOSampleWithHistory(t *testing.T) {
	path := filepath.Join("..", "..", "shared", "data", "rba", "rba-ato-sample.csv")
	if _, err := os.Stat(path); err != nil {
		testenv.SkipOrFail(t, path+" not present: the shared data sits beside the checkout")
	}
	records := read(t, path, readRBA)
	records, err := demo.WithHistory(records, demo.History{Logins: 20})
	if err != nil {
		t.Fatal(err)
	}
	opt := options(t, records, false)
	sum, err := demo.Run(t.Context(), opt)
	if err != nil {
		t.Fatal(err)
	}
	l := sum.Labelled
	if l == nil || l.ATOLogins != 100 {
		t.Fatalf("labels: %+v", l)
	}
	// Every row is decided, and most takeovers are stepped up while the
	// generated legitimate history mostly is not.
	if l.ATOSteppedUp < 80 {
		t.Errorf("only %d of 100 account takeovers stepped up", l.ATOSteppedUp)
	}
	if rate := float64(l.GeneratedSteppedUp) / float64(l.GeneratedLogins); rate > 0.05 {
		t.Errorf("%.1f%% of generated legitimate logins stepped up", 100*rate)
	}
	t.Logf("ATO stepped up %d/%d; generated %d/%d", l.ATOSteppedUp, l.ATOLogins,
		l.GeneratedSteppedUp, l.GeneratedLogins)
}

package demo_test

import (
	"context"
	"strings"
	"testing"

	"github.com/stepupauth/stepup/demo"
)

// A record close to the broker's size limit is refused into the dead-letter
// topic, cut to fit, and the events behind it on the same topic are still
// decided.
func TestHugeRecordDoesNotBlock(t *testing.T) {
	ua := strings.Repeat("<", 900<<10)
	huge := `{"id":"huge-1","type":"stepup.user_action.v1","user_id":"u-huge",` +
		`"time":"2026-10-01T08:00:00Z","action":"login","device":{"user_agent":"` + ua + `"}}`
	good := `{"id":"after-huge","type":"stepup.user_action.v1","user_id":"u-huge",` +
		`"time":"2026-10-01T08:01:00Z","action":"login","device":{"device_id":"d"}}`
	records := []demo.Record{
		{Kind: demo.KindAction, Key: "u-huge", Value: []byte(huge), EventID: "huge-1"},
		{Kind: demo.KindAction, Key: "u-huge", Value: []byte(good), EventID: "after-huge"},
	}
	opt := options(t, records, false)
	sum, err := demo.Run(context.Background(), opt)
	if err != nil {
		t.Fatal(err)
	}
	if sum.DeadLetters != 1 || total(sum.Decisions) != 1 {
		t.Fatalf("dead letters %d, decided %d", sum.DeadLetters, total(sum.Decisions))
	}
	letters := readDeadLetters(t, opt.Brokers, opt.TopicPrefix+"dead-letter", 1)
	for _, dl := range letters {
		if !dl.PayloadTruncated || dl.PayloadSize != len(huge) || dl.PayloadSHA256 == "" {
			t.Fatalf("dead letter of a %d-byte record: truncated %v, size %d", len(huge),
				dl.PayloadTruncated, dl.PayloadSize)
		}
	}
}

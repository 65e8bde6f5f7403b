package consumers_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/stepupauth/stepup/consumers"
)

func TestClosedSubscriber(t *testing.T) {
	t.Parallel()

	sub, err := consumers.NewSubscriber(testSubscriberConfig([]string{"127.0.0.1:1"}, "g"))
	if err != nil {
		t.Fatal(err)
	}
	for range 2 {
		if err := sub.Close(); err != nil {
			t.Fatal(err)
		}
	}
	_, err = sub.Subscribe(context.Background(), "t")
	if !errors.Is(err, consumers.ErrSubscriberClosed) {
		t.Errorf("Subscribe: %v, want ErrSubscriberClosed", err)
	}
	if err := sub.SubscribeInitialize("t"); !errors.Is(err, consumers.ErrSubscriberClosed) {
		t.Errorf("SubscribeInitialize: %v, want ErrSubscriberClosed", err)
	}
}

func TestNewSubscriberRejectsBadConfig(t *testing.T) {
	t.Parallel()

	valid := func() consumers.Config {
		return consumers.Config{Brokers: []string{"127.0.0.1:1"}, ConsumerGroup: "g"}
	}
	tests := []struct {
		name string
		edit func(*consumers.Config)
	}{
		{"no brokers", func(c *consumers.Config) { c.Brokers = nil }},
		{"no group", func(c *consumers.Config) { c.ConsumerGroup = "" }},
		{"bad initial offset", func(c *consumers.Config) { c.InitialOffset = 7 }},
		{"negative timeout", func(c *consumers.Config) { c.SessionTimeout = -time.Second }},
		{"backoff max below min", func(c *consumers.Config) {
			c.ReadBackoffMin, c.ReadBackoffMax = time.Second, time.Millisecond
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			cfg := valid()
			tt.edit(&cfg)
			if _, err := consumers.NewSubscriber(cfg); err == nil {
				t.Fatal("NewSubscriber accepted the config")
			}
		})
	}

	if _, err := consumers.NewSubscriber(valid()); err != nil {
		t.Fatalf("valid config: %v", err)
	}
}

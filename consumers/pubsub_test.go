package consumers_test

import (
	"log/slog"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ThreeDotsLabs/watermill/message"
	"github.com/ThreeDotsLabs/watermill/pubsub/tests"
	"github.com/segmentio/kafka-go"

	"github.com/stepupauth/stepup/consumers"
	"github.com/stepupauth/stepup/internal/testenv"
	"github.com/stepupauth/stepup/kafkamsg"
	"github.com/stepupauth/stepup/producers"
)

// suitePartitions is the partition count of the suite's topics: more than
// one, so that consumer groups really share partitions.
const suitePartitions = 4

// testLogger writes warnings and errors to stderr. It does not use t, since
// some suite tests leave subscribers running after they end.
var testLogger = slog.New(slog.NewTextHandler(os.Stderr,
	&slog.HandlerOptions{Level: slog.LevelWarn}))

// TestPubSub runs watermill's universal Pub/Sub suite.
//
// GuaranteedOrder is false: the suite publishes without keys, and records
// without a key go to random partitions, so only per-partition order holds.
// Ordering by key is what the application relies on; TestPubSubOrderedByKey
// runs the suite's order tests with keyed messages.
func TestPubSub(t *testing.T) {
	brokers := testenv.KafkaBrokers(t)
	features := suiteFeatures()

	tests.TestPubSub(t, features, pubSubConstructor(brokers, nil), groupPubSubConstructor(brokers))
}

// TestPubSubOrderedByKey runs the suite's order tests with every message
// keyed by its payload, as the application keys by user id: messages of one
// key share a partition and must arrive in publish order.
func TestPubSubOrderedByKey(t *testing.T) {
	brokers := testenv.KafkaBrokers(t)
	features := suiteFeatures()
	features.GuaranteedOrder = true
	construct := pubSubConstructor(brokers, keyByPayload)

	for _, tc := range []struct {
		name string
		run  func(*testing.T, tests.TestContext, tests.PubSubConstructor)
	}{
		{"TestPublishSubscribeInOrder", tests.TestPublishSubscribeInOrder},
		{"TestNoAck", tests.TestNoAck},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			tc.run(t, tests.TestContext{TestID: tests.NewTestID(), Features: features}, construct)
		})
	}
}

// suiteFeatures states what the adapter guarantees; see TestPubSub.
func suiteFeatures() tests.Features {
	return tests.Features{
		ConsumerGroups:                   true,
		ExactlyOnceDelivery:              false,
		GuaranteedOrder:                  false,
		Persistent:                       true,
		NewSubscriberReceivesOldMessages: true,
		RestartServiceCommand:            testenv.KafkaRestartCommand(),
		GenerateTopicFunc: func(tctx tests.TestContext) string {
			return "consumers-suite-" + string(tctx.TestID)
		},
	}
}

// keyByPayload is a marshaler that keys each record by its payload.
var keyByPayload = producers.MarshalerFunc(
	func(topic string, msg *message.Message) (kafka.Message, error) {
		msg = msg.Copy()
		producers.SetKey(msg, string(msg.Payload))
		return kafkamsg.Marshal(topic, msg)
	})

// pubSubConstructor returns the suite's constructor: a publisher with
// marshaler (the default when nil) and a subscriber in the group of the
// calling test (see groupFor).
func pubSubConstructor(brokers []string, marshaler producers.Marshaler) tests.PubSubConstructor {
	var groups sync.Map // test name -> group
	return func(t *testing.T) (message.Publisher, message.Subscriber) {
		return newPubSub(t, brokers, groupFor(t, &groups), marshaler)
	}
}

// groupPubSubConstructor returns the suite's constructor for a named group.
func groupPubSubConstructor(brokers []string) tests.ConsumerGroupPubSubConstructor {
	return func(t *testing.T, group string) (message.Publisher, message.Subscriber) {
		return newPubSub(t, brokers, group, nil)
	}
}

// groupFor returns the consumer group of a subscriber the suite asks for.
//
// Every subscriber of one test shares a group, so that offsets committed by
// one are where the next starts (TestContinueAfterSubscribeClose checks
// that). The exception is TestNewSubscriberReceivesOldMessages, which asks
// for subscribers that are new to the topic: in Kafka that is a new group,
// which with FirstOffset reads the topic from its start.
func groupFor(t *testing.T, groups *sync.Map) string {
	if strings.Contains(t.Name(), "TestNewSubscriberReceivesOldMessages") {
		return testenv.UniqueName("consumers-suite")
	}
	group, _ := groups.LoadOrStore(t.Name(), testenv.UniqueName("consumers-suite"))
	return group.(string)
}

// newPubSub builds a publisher and a subscriber tuned for tests (see
// testSubscriberConfig).
func newPubSub(
	t *testing.T, brokers []string, group string, marshaler producers.Marshaler,
) (message.Publisher, message.Subscriber) {
	t.Helper()

	pub, err := producers.NewPublisher(producers.Config{
		Brokers:   brokers,
		Marshaler: marshaler,
		Logger:    testLogger,
	})
	if err != nil {
		t.Fatal(err)
	}

	sub, err := consumers.NewSubscriber(testSubscriberConfig(brokers, group))
	if err != nil {
		t.Fatal(err)
	}
	return pub, sub
}

// testSubscriberConfig is the subscriber configuration of the tests: group
// timings shortened so that joins, rebalances and closes are quick. The
// heartbeat stays at half a second: shorter ones make kafka-go busy-wait
// between heartbeats and per-message commits (see Config.HeartbeatInterval).
func testSubscriberConfig(brokers []string, group string) consumers.Config {
	return consumers.Config{
		Brokers:              brokers,
		ConsumerGroup:        group,
		NackResendSleep:      10 * time.Millisecond,
		Logger:               testLogger,
		InitializePartitions: suitePartitions,
		HeartbeatInterval:    500 * time.Millisecond,
		SessionTimeout:       6 * time.Second,
		RebalanceTimeout:     3 * time.Second,
		JoinGroupBackoff:     200 * time.Millisecond,
		MaxWait:              1250 * time.Millisecond,
		ReadBackoffMin:       20 * time.Millisecond,
		ReadBackoffMax:       200 * time.Millisecond,
	}
}

package pipeline

import (
	"github.com/stepupauth/stepup/broker"
	"github.com/stepupauth/stepup/processor"
)

// DefaultTopicPrefix starts every topic name unless configured otherwise.
const DefaultTopicPrefix = "stepup."

// TopicNames returns the topic names under prefix.
func TopicNames(prefix string) processor.Topics {
	return processor.Topics{
		Signups:    prefix + "signups",
		Actions:    prefix + "actions",
		Results:    prefix + "challenge-results",
		StepUp:     prefix + "step-up-required",
		Audit:      prefix + "audit",
		DeadLetter: prefix + "dead-letter",
	}
}

// TopicSpecs returns the topics stepup needs. Every topic is keyed by user id
// and gets the same partition count, so one instance owns all of a user's
// events. The audit topic keeps its records forever: it is the trail that
// the projection can always be rebuilt from.
func TopicSpecs(t processor.Topics, partitions, replication int) []broker.TopicSpec {
	spec := func(name string, cfg map[string]string) broker.TopicSpec {
		return broker.TopicSpec{Name: name, Partitions: partitions,
			ReplicationFactor: replication, Config: cfg}
	}
	return []broker.TopicSpec{
		spec(t.Signups, nil),
		spec(t.Actions, nil),
		spec(t.Results, nil),
		spec(t.StepUp, nil),
		spec(t.Audit, map[string]string{"retention.ms": "-1", "cleanup.policy": "delete"}),
		spec(t.DeadLetter, map[string]string{"retention.ms": "-1"}),
	}
}

// inputTopics are the topics that must share a partition count.
func inputTopics(t processor.Topics) []string {
	return []string{t.Signups, t.Actions, t.Results}
}

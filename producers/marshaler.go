package producers

import (
	"github.com/ThreeDotsLabs/watermill/message"
	"github.com/segmentio/kafka-go"

	"github.com/stepupauth/stepup/kafkamsg"
)

// Marshaler maps a message to the record written to topic.
//
// The returned record's Topic is overwritten with topic; its Partition is
// ignored (the balancer picks it from the key). Implementations must be safe
// for concurrent use.
type Marshaler interface {
	Marshal(topic string, msg *message.Message) (kafka.Message, error)
}

// MarshalerFunc adapts a function to [Marshaler].
type MarshalerFunc func(topic string, msg *message.Message) (kafka.Message, error)

// Marshal calls f.
func (f MarshalerFunc) Marshal(topic string, msg *message.Message) (kafka.Message, error) {
	return f(topic, msg)
}

// DefaultMarshaler is the mapping of the package kafkamsg: key from the
// metadata entry kafkamsg.MetadataKey, UUID in the header kafkamsg.HeaderID,
// other metadata as headers.
var DefaultMarshaler Marshaler = MarshalerFunc(kafkamsg.Marshal)

// SetKey sets the Kafka key of msg, which picks its partition: messages with
// the same key go to the same partition, in publish order. An empty key
// removes the key. SetKey returns msg.
func SetKey(msg *message.Message, key string) *message.Message {
	if key == "" {
		delete(msg.Metadata, kafkamsg.MetadataKey)
		return msg
	}
	msg.Metadata.Set(kafkamsg.MetadataKey, key)
	return msg
}

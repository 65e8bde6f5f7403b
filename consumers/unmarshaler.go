package consumers

import (
	"github.com/ThreeDotsLabs/watermill/message"
	"github.com/segmentio/kafka-go"

	"github.com/stepupauth/stepup/kafkamsg"
)

// Unmarshaler maps a received record to a message. It is called again for
// each redelivery of a nacked record, so it must return an equal message
// each time. Implementations must be safe for concurrent use.
//
// Note that a record the Unmarshaler rejects is logged at Error and skipped:
// its offset is committed, so that one undecodable record cannot stall its
// partition. The default never rejects a record.
type Unmarshaler interface {
	Unmarshal(record kafka.Message) (*message.Message, error)
}

// UnmarshalerFunc adapts a function to [Unmarshaler].
type UnmarshalerFunc func(record kafka.Message) (*message.Message, error)

// Unmarshal calls f.
func (f UnmarshalerFunc) Unmarshal(record kafka.Message) (*message.Message, error) {
	return f(record)
}

// DefaultUnmarshaler is the mapping of the package kafkamsg: UUID from the
// header kafkamsg.HeaderID, headers as metadata, and the receive-side
// entries kafkamsg.MetadataKey, MetadataTopic, MetadataPartition and
// MetadataOffset.
var DefaultUnmarshaler Unmarshaler = UnmarshalerFunc(kafkamsg.Unmarshal)

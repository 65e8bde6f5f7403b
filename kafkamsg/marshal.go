package kafkamsg

import (
	"errors"
	"sort"
	"strings"

	"github.com/ThreeDotsLabs/watermill/message"
	"github.com/segmentio/kafka-go"
)

// ErrNilMessage is returned when asked to map a nil message.
var ErrNilMessage = errors.New("nil message")

// Marshal maps msg to a record for topic with the default mapping described
// in the package documentation.
//
// The key is the value of [MetadataKey]; when that entry is absent or empty
// the record has no key, and a hashing balancer then picks a partition at
// random. Headers are sorted by name so that the same message always gives
// the same record. The payload is not copied: the record shares msg.Payload.
func Marshal(topic string, msg *message.Message) (kafka.Message, error) {
	if msg == nil {
		return kafka.Message{}, ErrNilMessage
	}

	record := kafka.Message{
		Topic:   topic,
		Value:   msg.Payload,
		Headers: headers(msg),
	}
	if key := msg.Metadata.Get(MetadataKey); key != "" {
		record.Key = []byte(key)
	}

	return record, nil
}

// headers returns the headers to write for msg, sorted by name.
func headers(msg *message.Message) []kafka.Header {
	names := make([]string, 0, len(msg.Metadata)+1)
	for name := range msg.Metadata {
		if !strings.HasPrefix(name, ReservedPrefix) {
			names = append(names, name)
		}
	}

	_, hasID := msg.Metadata[HeaderID]
	if !hasID && msg.UUID != "" {
		names = append(names, HeaderID)
	}
	sort.Strings(names)

	out := make([]kafka.Header, 0, len(names))
	for _, name := range names {
		value, ok := msg.Metadata[name]
		if !ok {
			value = msg.UUID
		}
		out = append(out, kafka.Header{Key: name, Value: []byte(value)})
	}

	return out
}

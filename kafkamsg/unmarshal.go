package kafkamsg

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/ThreeDotsLabs/watermill/message"
	"github.com/segmentio/kafka-go"
)

// Unmarshal maps a received record to a message with the default mapping
// described in the package documentation.
//
// The UUID is the value of the [HeaderID] header when the record has one
// that is not empty, otherwise "<topic>/<partition>/<offset>", which is
// stable across redeliveries of the same record. Every header becomes a
// metadata entry (when a name repeats, the last value wins), except headers
// whose name starts with [ReservedPrefix], which are dropped; then
// [MetadataTopic], [MetadataPartition] and [MetadataOffset] are set, and
// [MetadataKey] when the record has a key, overriding any header of the same
// name. The payload shares the record's value.
//
// Unmarshal never fails; it returns an error only to fit the consumers
// package's Unmarshaler contract.
func Unmarshal(record kafka.Message) (*message.Message, error) {
	metadata := make(message.Metadata, len(record.Headers)+4)
	for _, h := range record.Headers {
		if strings.HasPrefix(h.Key, ReservedPrefix) {
			// Never written by Marshal: a header that claims to be the key
			// or the position is forged, and must not pass for either.
			continue
		}
		metadata[h.Key] = string(h.Value)
	}

	metadata[MetadataTopic] = record.Topic
	metadata[MetadataPartition] = strconv.Itoa(record.Partition)
	metadata[MetadataOffset] = strconv.FormatInt(record.Offset, 10)
	if record.Key != nil {
		metadata[MetadataKey] = string(record.Key)
	}

	id := metadata[HeaderID]
	if id == "" {
		id = fmt.Sprintf("%s/%d/%d", record.Topic, record.Partition, record.Offset)
	}

	msg := message.NewMessage(id, record.Value)
	msg.Metadata = metadata

	return msg, nil
}

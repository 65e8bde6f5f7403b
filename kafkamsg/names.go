package kafkamsg

// Header and metadata names used by the mapping.
const (
	// HeaderID is the header that carries the message UUID. It is the
	// CloudEvents Kafka binding's id attribute, so a CloudEvent's id and
	// the watermill UUID are the same value.
	HeaderID = "ce_id"

	// ReservedPrefix starts the name of every metadata entry that describes
	// a received record. Entries with this prefix are never written as
	// headers.
	ReservedPrefix = "kafka_"

	// MetadataKey holds the record key. On publish it selects the key (and
	// so the partition); on receive it is set when the record has a key.
	MetadataKey = ReservedPrefix + "key"

	// MetadataTopic holds the topic a message was read from.
	MetadataTopic = ReservedPrefix + "topic"

	// MetadataPartition holds the partition a message was read from, in
	// decimal.
	MetadataPartition = ReservedPrefix + "partition"

	// MetadataOffset holds the offset of the record a message was read
	// from, in decimal.
	MetadataOffset = ReservedPrefix + "offset"
)

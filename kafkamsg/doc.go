// Package kafkamsg maps watermill messages to Kafka records and back.
//
// It holds the one mapping that the producers and consumers packages share,
// so that what a publisher writes is what a subscriber reads:
//
//   - the record key comes from the metadata entry [MetadataKey] and is not
//     sent as a header;
//   - the header [HeaderID] carries the message UUID, unless the metadata
//     already has that entry;
//   - every other metadata entry becomes a header, except entries whose
//     name starts with [ReservedPrefix], which describe a received record
//     and are never written;
//   - on the way back every header becomes a metadata entry, and the
//     receive-side entries (key, topic, partition, offset) are added.
//
// The functions are pure: they do no I/O and are safe for concurrent use.
package kafkamsg

// Package producers publishes watermill messages to Kafka.
//
// A [Publisher] writes through one kafka-go writer that waits for every
// in-sync replica (acks=all) and partitions by key with the murmur2 hash, so
// a key lands on the same partition as with the Java client. Publish returns
// only once the cluster acknowledged every message, or with an error.
//
// Messages are mapped by the package kafkamsg: set the key with [SetKey]
// (the metadata entry kafkamsg.MetadataKey), and every other metadata entry
// travels as a header. Messages that share a key keep their relative order
// within one Publish call and across calls made one after the other.
package producers

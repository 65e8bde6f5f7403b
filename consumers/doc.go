// Package consumers subscribes to Kafka topics as a watermill
// message.Subscriber, in consumer groups.
//
// Each Subscribe call runs one kafka-go reader that joins the configured
// group and hands out one message at a time: the next message comes only
// after the previous one was acknowledged. So, within a subscription,
// messages of a partition (and so of a key) arrive in partition order.
//
// Delivery is at least once. The offset of a message is committed, one
// synchronous commit per message, only after the message was acked; a nacked
// message is handed out again (same UUID, payload and metadata) after
// Config.NackResendSleep, never skipped. A message in flight when the
// subscription ends is not committed and goes to the next member of the
// group. Duplicates happen after a rebalance, a failed commit or a restart:
// process idempotently, keyed by the message UUID.
//
// The message context carries the Kafka coordinates of the record; read them
// with [TopicFromCtx], [PartitionFromCtx] and [OffsetFromCtx].
package consumers

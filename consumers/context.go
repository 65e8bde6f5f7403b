package consumers

import "context"

// ctxKey is the type of the context keys of this package.
type ctxKey int

const (
	topicKey ctxKey = iota
	partitionKey
	offsetKey
)

// withRecord returns ctx carrying the coordinates of a record.
func withRecord(ctx context.Context, topic string, partition int, offset int64) context.Context {
	ctx = context.WithValue(ctx, topicKey, topic)
	ctx = context.WithValue(ctx, partitionKey, partition)
	return context.WithValue(ctx, offsetKey, offset)
}

// TopicFromCtx returns the topic of the record a received message came
// from, and false when ctx is not a received message's context.
func TopicFromCtx(ctx context.Context) (string, bool) {
	v, ok := ctx.Value(topicKey).(string)
	return v, ok
}

// PartitionFromCtx returns the partition of the record a received message
// came from, and false when ctx is not a received message's context.
func PartitionFromCtx(ctx context.Context) (int, bool) {
	v, ok := ctx.Value(partitionKey).(int)
	return v, ok
}

// OffsetFromCtx returns the offset of the record a received message came
// from, and false when ctx is not a received message's context.
func OffsetFromCtx(ctx context.Context) (int64, bool) {
	v, ok := ctx.Value(offsetKey).(int64)
	return v, ok
}

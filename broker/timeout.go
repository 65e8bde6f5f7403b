package broker

import (
	"context"
	"time"
)

// DefaultTimeout bounds a call of this package whose context has no
// deadline.
const DefaultTimeout = 30 * time.Second

// dialTimeout bounds each connection attempt to a broker.
const dialTimeout = 5 * time.Second

// bounded returns ctx with [DefaultTimeout] applied when it has no deadline.
func bounded(ctx context.Context) (context.Context, context.CancelFunc) {
	if _, ok := ctx.Deadline(); ok {
		return context.WithCancel(ctx)
	}
	return context.WithTimeout(ctx, DefaultTimeout)
}

package broker

import "context"

// Ping checks that the cluster answers a metadata request. It returns nil
// when one broker of the list answered, otherwise an error wrapping
// [ErrUnreachable] (or [ErrNoBrokers]).
//
// Note that Ping asks for the metadata of every topic; it is meant for start
// up and health checks, not for a hot path. The call is bounded by ctx, or
// by [DefaultTimeout] when ctx has no deadline.
func Ping(ctx context.Context, brokers []string) error {
	ctx, cancel := bounded(ctx)
	defer cancel()

	_, err := freshMetadata(ctx, brokers, nil)
	return err
}

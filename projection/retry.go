package projection

import (
	"context"
	"time"

	"github.com/cenkalti/backoff/v4"
)

// retry runs op until it succeeds or ctx ends, waiting between attempts with
// capped exponential backoff and logging each failure at Warn level with
// attrs. It returns nil or ctx's error.
//
// Each attempt gets its own context, bounded by AttemptTimeout but not
// cancelled with ctx: an attempt under way when ctx ends is allowed to
// finish, and the first attempt runs even if ctx has already ended, so that
// work begun on a batch is completed rather than cut in half.
func (p *Projector) retry(ctx context.Context, what string, op func(context.Context) error,
	attrs ...any) error {
	b := backoff.NewExponentialBackOff(
		backoff.WithInitialInterval(p.cfg.RetryInitial),
		backoff.WithMaxInterval(p.cfg.RetryMax),
		backoff.WithMaxElapsedTime(0),
	)
	attempt := 0
	notify := func(err error, wait time.Duration) {
		attempt++
		args := append([]any{"attempt", attempt, "retry_in", wait, "error", err}, attrs...)
		p.log.Warn(what+" failed, will retry", args...)
	}
	detached := context.WithoutCancel(ctx)
	once := func() error {
		actx, cancel := context.WithTimeout(detached, p.cfg.AttemptTimeout)
		defer cancel()
		return op(actx)
	}
	return backoff.RetryNotify(once, backoff.WithContext(b, ctx), notify)
}

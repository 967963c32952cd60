package rest

import (
	"context"
	"time"
)

// Deadline bounds part of a call. Unlike context.WithTimeout it can be
// stopped half way: a stream's deadline covers the wait for the response
// headers, then stops so that a long healthy stream is never cut, while
// the context stays alive for the body. When it fires, the context ends
// with context.DeadlineExceeded as its cause.
type Deadline struct {
	timer  *time.Timer
	cancel context.CancelCauseFunc
}

// WithDeadline returns a context that ends after d (never, when d <= 0)
// or when the returned Deadline is released.
func WithDeadline(ctx context.Context, d time.Duration) (context.Context, *Deadline) {
	ctx, cancel := context.WithCancelCause(ctx)
	dl := &Deadline{cancel: cancel}
	if d > 0 {
		dl.timer = time.AfterFunc(d, func() { cancel(context.DeadlineExceeded) })
	}
	return ctx, dl
}

// Stop keeps the deadline from firing and reports whether it had not fired
// yet. The context stays alive until Release.
func (d *Deadline) Stop() bool {
	return d.timer == nil || d.timer.Stop()
}

// Release stops the deadline and ends the context.
func (d *Deadline) Release() {
	d.Stop()
	d.cancel(nil)
}

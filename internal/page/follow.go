package page

import (
	"context"
	"errors"
	"iter"
	"time"
)

// FollowFetch asks for what arrived since the last call (a long poll); an
// empty answer is normal and means nothing new arrived in time.
type FollowFetch[T any] func(ctx context.Context) ([]T, error)

// Follow yields what fetch returns, for ever: a long poll that ends only
// with its context or a break. An error for which temporary reports true
// is waited out (backoff(n) after the n-th consecutive failure, starting at
// 0) and the poll goes on; any other error ends the sequence as its last
// pair, since repeating a request the server refuses (bad credentials, say)
// would loop without end. A cancelled context ends it with the context's
// error.
func Follow[T any](ctx context.Context, fetch FollowFetch[T], temporary func(error) bool, backoff func(n int) time.Duration) iter.Seq2[T, error] {
	return Walk(ctx, func() Step[T] {
		return func(ctx context.Context) ([]T, bool, error) {
			for failures := 0; ; failures++ {
				items, err := fetch(ctx)
				if err == nil {
					return items, false, nil
				}
				if ctx.Err() != nil && !errors.Is(err, ctx.Err()) {
					return nil, true, context.Cause(ctx) // the failure was the context's doing
				}
				if ctx.Err() != nil || !temporary(err) {
					return nil, true, err
				}
				t := time.NewTimer(backoff(failures))
				select {
				case <-ctx.Done():
					t.Stop()
					return nil, true, context.Cause(ctx)
				case <-t.C:
				}
			}
		}
	})
}

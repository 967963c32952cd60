package page

import (
	"context"
	"fmt"
	"iter"
)

// AfterFetch returns the oldest items whose key is strictly greater than
// after, in ascending key order, and whether more items follow them.
type AfterFetch[T any] func(ctx context.Context, after int64) (items []T, more bool, err error)

// After yields, oldest first, every item of a list that can be read forward
// with an exclusive "key greater than" filter, such as a timestamp (Botyard
// messages). Unlike page numbers counted from the newest end, the filter
// does not shift when items are added during the walk, so nothing is
// skipped or repeated and items added meanwhile come at the end.
//
// Keys need not be unique. Items that share the last key of a page may
// continue on the next page, and an exclusive filter would skip those, so
// they are held back and fetched again with the next page. A page whose
// items all share one key while more follow cannot advance: that ends the
// sequence with an error asking for larger pages. An error ends the
// sequence as its last pair.
func After[T any](ctx context.Context, start int64, key func(T) int64, fetch AfterFetch[T]) iter.Seq2[T, error] {
	return func(yield func(T, error) bool) {
		var zero T
		after := start
		for {
			if err := ctx.Err(); err != nil {
				yield(zero, err)
				return
			}
			items, more, err := fetch(ctx, after)
			if err != nil {
				yield(zero, err)
				return
			}
			n := len(items)
			if more && n > 0 {
				last := key(items[n-1])
				for n > 0 && key(items[n-1]) == last {
					n--
				}
				if n == 0 {
					yield(zero, fmt.Errorf("page: all %d items of a page share the key %d and more follow; use larger pages", len(items), last))
					return
				}
			}
			for _, it := range items[:n] {
				if !yield(it, nil) {
					return
				}
			}
			if !more || n == 0 {
				return
			}
			after = key(items[n-1])
		}
	}
}

// Fail is a sequence holding only err, for an auto-pager whose arguments
// were rejected before any fetch.
func Fail[T any](err error) iter.Seq2[T, error] {
	return func(yield func(T, error) bool) {
		var zero T
		yield(zero, err)
	}
}

package page

import (
	"context"
	"fmt"
	"iter"
	"math"
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
// Keys need not be unique: items sharing the last key of a page may go on
// into the next page, where an exclusive filter would skip them. So each
// next page is asked for from just below the last key, and the items
// already yielded with that key (known by id) are dropped. A page that
// brings nothing new while more follow (at least as many items share one
// key as a page holds) ends the sequence with an error asking for larger
// pages; a fetch can avoid it by widening such a page itself. An
// error ends the sequence as its last pair.
func After[T any](ctx context.Context, start int64, key func(T) int64, id func(T) string, fetch AfterFetch[T]) iter.Seq2[T, error] {
	return Walk(ctx, func() Step[T] {
		after, last := start, int64(math.MinInt64)
		atLast := map[string]struct{}{} // ids yielded with key == last
		return func(ctx context.Context) ([]T, bool, error) {
			items, more, err := fetch(ctx, after)
			if err != nil {
				return nil, true, err
			}
			fresh := items[:0:0]
			tied := true // every item of the page has the walk's last key
			for _, it := range items {
				k := key(it)
				tied = tied && k == last
				switch {
				case k < last:
					continue // behind the walk: already yielded
				case k == last:
					if _, dup := atLast[id(it)]; dup {
						continue
					}
				default:
					last = k
					clear(atLast)
				}
				atLast[id(it)] = struct{}{}
				fresh = append(fresh, it)
			}
			switch {
			case !more:
				return fresh, true, nil
			case len(fresh) > 0:
				after = last - 1
				return fresh, false, nil
			case tied && len(items) > 0:
				return nil, true, &pagingError{fmt.Sprintf("at least as many items share the key %d as one page holds; use larger pages", last)}
			}
			return nil, true, errIgnoredFilter
		}
	})
}

// errIgnoredFilter ends a walk whose server answered a "newer than" query
// with nothing newer: it ignores the filter, and asking again would loop.
var errIgnoredFilter = &pagingError{`the server answered with items already seen although more were announced: it ignores the "newer than" filter`}

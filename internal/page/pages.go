package page

import (
	"context"
	"fmt"
	"iter"
)

// NumberedPage is one page of a page-number-paginated list.
type NumberedPage[T any] struct {
	Items []T
	// Total is the server's count of all items; zero or less means unknown.
	Total int
	// HasMore, when not nil, is the server's own word on whether pages
	// follow.
	HasMore *bool
}

// NumberedFetch fetches page number n (the first page is 1).
type NumberedFetch[T any] func(ctx context.Context, n int) (NumberedPage[T], error)

// ErrPageRepeated ends a walk whose server sent the same page twice: it
// ignores the page number, and asking on would loop for ever.
var ErrPageRepeated = &pagingError{"the server sent the same page again; it seems to ignore the page number"}

// Pages yields every item of a list read by page number, from page 1 with
// limit items a page. It stops on a short or empty page, after Total items,
// when HasMore says no more pages follow, or with ErrPageRepeated when a
// page's first and last item IDs equal the previous page's (a server that
// ignores the page number).
func Pages[T any](ctx context.Context, limit int, id func(T) string, fetch NumberedFetch[T]) iter.Seq2[T, error] {
	return Walk(ctx, func() Step[T] {
		n, yielded := 1, 0
		var prevFirst, prevLast string
		return func(ctx context.Context) ([]T, bool, error) {
			p, err := fetch(ctx, n)
			if err != nil {
				return nil, true, err
			}
			if len(p.Items) == 0 {
				return nil, true, nil
			}
			first, last := id(p.Items[0]), id(p.Items[len(p.Items)-1])
			if n > 1 && first == prevFirst && last == prevLast {
				return nil, true, fmt.Errorf("%w (page %d)", ErrPageRepeated, n)
			}
			prevFirst, prevLast = first, last
			yielded += len(p.Items)
			end := len(p.Items) < limit || (p.Total > 0 && yielded >= p.Total) || (p.HasMore != nil && !*p.HasMore)
			n++
			return p.Items, end, nil
		}
	})
}

package page

import (
	"context"
	"iter"
)

// NumberedPage is one page of a page-number-paginated list.
type NumberedPage[T any] struct {
	Items []T
	// Total is the server's count of all items; zero or less means unknown.
	Total int
}

// NumberedFetch fetches page number n.
type NumberedFetch[T any] func(ctx context.Context, n int) (NumberedPage[T], error)

// Numbered yields every item of a page-number-paginated list, asking for
// pages first, first+step, first+2·step… (step is 1 for ascending page
// numbers, -1 to walk down to page 1). It stops on an empty page, after
// Total items, when a descending walk passes page 1, or after maxPages pages
// as a guard against a server that ignores the page number. An error ends
// the sequence as its last pair.
func Numbered[T any](ctx context.Context, first, step, maxPages int, fetch NumberedFetch[T]) iter.Seq2[T, error] {
	return func(yield func(T, error) bool) {
		yielded := 0
		for n, pages := first, 0; (step > 0 || n >= 1) && (maxPages <= 0 || pages < maxPages); n, pages = n+step, pages+1 {
			if err := ctx.Err(); err != nil {
				var zero T
				yield(zero, err)
				return
			}
			p, err := fetch(ctx, n)
			if err != nil {
				var zero T
				yield(zero, err)
				return
			}
			for _, item := range p.Items {
				if !yield(item, nil) {
					return
				}
				yielded++
			}
			if len(p.Items) == 0 || (p.Total > 0 && yielded >= p.Total) {
				return
			}
		}
	}
}

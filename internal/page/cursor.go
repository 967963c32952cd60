// Package page turns page fetchers into lazy iter.Seq2 sequences. It is the
// one place where every package's auto-pagers decide when a list has ended.
package page

import (
	"context"
	"iter"
)

// CursorPage is one page of a cursor-paginated list.
type CursorPage[T any] struct {
	Items []T
	// Total is the server's count of all items; zero or less means unknown.
	Total int
	// Next is the cursor for the following page ("pagination.last").
	Next string
}

// CursorFetch fetches the page that follows cursor ("" for the first).
type CursorFetch[T any] func(ctx context.Context, cursor string) (CursorPage[T], error)

// Cursor yields every item of a cursor-paginated list, fetching one page at
// a time and only when the caller has consumed the previous one. It stops
// when a page is empty, when there is no next cursor, when the server hands
// back the cursor it was sent (it ignored the cursor: that page is a repeat
// and is not yielded) or one it already gave (a cycle), or when Total items have been yielded. A page
// shorter than the limit is not an end: Chat Thing's own example returns 2
// items of 15 under limit 10. An error ends the sequence as its last pair.
func Cursor[T any](ctx context.Context, start string, fetch CursorFetch[T]) iter.Seq2[T, error] {
	return func(yield func(T, error) bool) {
		seen := map[string]struct{}{}
		if start != "" {
			seen[start] = struct{}{}
		}
		cursor, yielded := start, 0
		for {
			if err := ctx.Err(); err != nil {
				var zero T
				yield(zero, err)
				return
			}
			p, err := fetch(ctx, cursor)
			if err != nil {
				var zero T
				yield(zero, err)
				return
			}
			if cursor != "" && p.Next == cursor {
				return // the server ignored the cursor: this page repeats the last one
			}
			for _, item := range p.Items {
				if !yield(item, nil) {
					return
				}
				yielded++
			}
			if len(p.Items) == 0 || p.Next == "" || (p.Total > 0 && yielded >= p.Total) {
				return
			}
			if _, dup := seen[p.Next]; dup {
				return
			}
			seen[p.Next] = struct{}{}
			cursor = p.Next
		}
	}
}

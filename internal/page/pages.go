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
	// follow; it wins over Total and over the page's length.
	HasMore *bool
}

// NumberedFetch fetches page number n (the first page is 1).
type NumberedFetch[T any] func(ctx context.Context, n int) (NumberedPage[T], error)

// ErrPageRepeated ends a walk whose server sent most of the previous page
// again: it ignores the page number, and asking on would loop for ever.
var ErrPageRepeated = &pagingError{"the server sent the same page again; it seems to ignore the page number"}

// Pages yields every item of a list read by page number, from page 1 with
// limit items a page. The end of the list is the server's HasMore when it
// says, else its Total, else a page shorter than limit; an empty page ends
// it always.
//
// Items the previous page already held are not yielded again: a list that
// gains items at its front while it is walked shifts them onto the next
// page. A page that is mostly the previous one (more than half of its
// items) ends the walk with ErrPageRepeated: the server ignores the page
// number, whether or not the list moves meanwhile. Only the previous
// page's IDs are kept, so memory stays at one page.
func Pages[T any](ctx context.Context, limit int, id func(T) string, fetch NumberedFetch[T]) iter.Seq2[T, error] {
	return Walk(ctx, func() Step[T] {
		n, yielded := 1, 0
		guard := repeatGuard[T]{id: id}
		return func(ctx context.Context) ([]T, bool, error) {
			p, err := fetch(ctx, n)
			if err != nil {
				return nil, true, err
			}
			if len(p.Items) == 0 {
				return nil, true, nil
			}
			fresh, repeated := guard.next(p.Items)
			if repeated {
				return nil, true, fmt.Errorf("%w (page %d)", ErrPageRepeated, n)
			}
			yielded += len(p.Items)
			var end bool
			switch {
			case p.HasMore != nil:
				end = !*p.HasMore
			case p.Total > 0:
				end = yielded >= p.Total
			default:
				end = len(p.Items) < limit
			}
			n++
			return fresh, end, nil
		}
	})
}

// repeatGuard remembers the IDs of the previous page only. next returns
// the items of a page that the previous one did not hold, and whether
// most of the page (more than half) repeats it: a server that ignores the
// page number or the cursor, whether or not its list moves meanwhile.
type repeatGuard[T any] struct {
	id          func(T) string
	prev, spare map[string]struct{} // two sets, swapped: no map per page
}

func (g *repeatGuard[T]) next(items []T) (fresh []T, repeated bool) {
	ids := g.spare
	if ids == nil {
		ids = make(map[string]struct{}, len(items))
	}
	clear(ids)
	repeats := 0
	for _, it := range items {
		k := g.id(it)
		ids[k] = struct{}{}
		if _, seen := g.prev[k]; seen {
			repeats++
		}
	}
	fresh = items // the usual page repeats nothing: no copy
	if repeats > 0 {
		fresh = make([]T, 0, len(items)-repeats)
		for _, it := range items {
			if _, seen := g.prev[g.id(it)]; !seen {
				fresh = append(fresh, it)
			}
		}
	}
	g.prev, g.spare = ids, g.prev
	return fresh, 2*repeats > len(items)
}

package page

import (
	"context"
	"hash/maphash"
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

// ErrCursorIgnored ends a walk whose server answered a new cursor with
// mostly the previous page again, under a fresh cursor each time.
var ErrCursorIgnored = &pagingError{"the server sent the same items again under a new cursor; it seems to ignore the cursor"}

// Cursor yields every item of a cursor-paginated list. It stops when a
// page is empty, when there is no next cursor, when the server hands back
// the cursor it was sent (it ignored the cursor: that page is a repeat and
// is not yielded) or one it gave before (a cycle), or when Total items have
// been yielded. Items the previous page held are not yielded again, and a
// page mostly made of them ends the walk with ErrCursorIgnored: a server
// that hands out fresh cursors but ignores them cannot loop it either. A
// page shorter than the limit is not an end: Chat Thing's own example
// returns 2 items of 15 under limit 10.
func Cursor[T any](ctx context.Context, start string, id func(T) string, fetch CursorFetch[T]) iter.Seq2[T, error] {
	return Walk(ctx, func() Step[T] {
		cursor, yielded := start, 0
		seen := newCycleGuard()
		seen.seen(start)
		guard := repeatGuard[T]{id: id}
		return func(ctx context.Context) ([]T, bool, error) {
			p, err := fetch(ctx, cursor)
			if err != nil {
				return nil, true, err
			}
			if cursor != "" && p.Next == cursor {
				return nil, true, nil // the server ignored the cursor: this page repeats the last one
			}
			fresh, repeated := guard.next(p.Items)
			if repeated && len(p.Items) > 0 {
				return nil, true, ErrCursorIgnored
			}
			yielded += len(p.Items)
			last := len(p.Items) == 0 || p.Next == "" || (p.Total > 0 && yielded >= p.Total) || seen.seen(p.Next)
			cursor = p.Next
			return fresh, last, nil
		}
	})
}

// cycleGuard remembers the cursors of a walk in bounded memory: 64-bit
// hashes rather than the cursors themselves (a server may send cursors of
// half a megabyte), the last recentHashes of them exactly, and beyond that
// a checkpoint that moves at doubling intervals (Brent's method), which
// catches a cycle of any length after at most about twice its length.
type cycleGuard struct {
	seed       maphash.Seed
	recent     map[uint64]struct{}
	order      []uint64 // ring of the hashes in recent, oldest first
	checkpoint uint64
	hasCheck   bool
	steps      int
	power      int
}

// recentHashes bounds the exact memory: 4096 hashes, about 100 KiB.
const recentHashes = 4096

func newCycleGuard() *cycleGuard {
	return &cycleGuard{seed: maphash.MakeSeed(), recent: map[uint64]struct{}{}, power: 1}
}

// seen records cursor and reports whether the walk has met it before.
// The empty cursor is never a repeat.
func (g *cycleGuard) seen(cursor string) bool {
	if cursor == "" {
		return false
	}
	h := maphash.String(g.seed, cursor)
	if _, dup := g.recent[h]; dup || (g.hasCheck && h == g.checkpoint) {
		return true
	}
	g.recent[h] = struct{}{}
	g.order = append(g.order, h)
	if len(g.order) > recentHashes {
		delete(g.recent, g.order[0])
		g.order = g.order[1:]
	}
	g.steps++
	if g.steps == g.power {
		g.checkpoint, g.hasCheck, g.steps, g.power = h, true, 0, g.power*2
	}
	return false
}

package page

import (
	"context"
	"errors"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// cursorServer serves n items in pages of size, cursor = last item's ID.
func cursorServer(n, size int, calls *int) CursorFetch[int] {
	return func(_ context.Context, cursor string) (CursorPage[int], error) {
		*calls++
		start := 0
		if cursor != "" {
			last, _ := strconv.Atoi(cursor)
			start = last + 1
		}
		var items []int
		for i := start; i < n && len(items) < size; i++ {
			items = append(items, i)
		}
		next := ""
		if len(items) > 0 {
			next = strconv.Itoa(items[len(items)-1])
		}
		return CursorPage[int]{Items: items, Total: n, Next: next}, nil
	}
}

func collect(t *testing.T, seq func(func(int, error) bool)) ([]int, error) {
	t.Helper()
	var got []int
	for v, err := range seq {
		if err != nil {
			return got, err
		}
		got = append(got, v)
	}
	return got, nil
}

func TestCursorYieldsEverythingInOrder(t *testing.T) {
	calls := 0
	got, err := collect(t, Cursor(context.Background(), "", intID, cursorServer(257, 10, &calls)))
	require.NoError(t, err)
	require.Len(t, got, 257)
	for i, v := range got {
		require.Equal(t, i, v)
	}
	assert.Equal(t, 26, calls, "stops at total without fetching an empty page")
}

func TestCursorStopsWhenServerIgnoresCursor(t *testing.T) {
	calls := 0
	first := cursorServer(257, 10, &calls)
	ignoring := func(ctx context.Context, _ string) (CursorPage[int], error) { return first(ctx, "") }
	got, err := collect(t, Cursor(context.Background(), "", intID, ignoring))
	require.NoError(t, err)
	assert.Equal(t, []int{0, 1, 2, 3, 4, 5, 6, 7, 8, 9}, got, "the repeated page is not yielded twice")
	assert.Equal(t, 2, calls)
}

func TestCursorStopsOnCycle(t *testing.T) {
	calls := 0
	cycle := func(_ context.Context, cursor string) (CursorPage[int], error) {
		calls++
		next := map[string]string{"": "a", "a": "b", "b": "a"}[cursor]
		return CursorPage[int]{Items: []int{calls}, Next: next}, nil
	}
	got, err := collect(t, Cursor(context.Background(), "", intID, cycle))
	require.NoError(t, err)
	assert.Equal(t, []int{1, 2, 3}, got)
	assert.Equal(t, 3, calls)
}

func TestCursorShortPageIsNotTheEnd(t *testing.T) {
	calls := 0
	got, err := collect(t, Cursor(context.Background(), "", intID, func(ctx context.Context, cursor string) (CursorPage[int], error) {
		p, err := cursorServer(15, 2, &calls)(ctx, cursor)
		return p, err
	}))
	require.NoError(t, err)
	assert.Len(t, got, 15)
}

func TestCursorStopsOnEmptyPageAndMissingNext(t *testing.T) {
	calls := 0
	fetch := func(_ context.Context, cursor string) (CursorPage[int], error) {
		calls++
		if cursor == "" {
			return CursorPage[int]{Items: []int{1}, Next: "x"}, nil
		}
		return CursorPage[int]{}, nil
	}
	got, err := collect(t, Cursor(context.Background(), "", intID, fetch))
	require.NoError(t, err)
	assert.Equal(t, []int{1}, got)
	assert.Equal(t, 2, calls)

	calls = 0
	got, err = collect(t, Cursor(context.Background(), "", intID, func(context.Context, string) (CursorPage[int], error) {
		calls++
		return CursorPage[int]{Items: []int{7, 8}}, nil
	}))
	require.NoError(t, err)
	assert.Equal(t, []int{7, 8}, got)
	assert.Equal(t, 1, calls)
}

func TestCursorBreakStopsFetching(t *testing.T) {
	calls := 0
	n := 0
	for range Cursor(context.Background(), "", intID, cursorServer(100, 10, &calls)) {
		n++
		if n == 15 {
			break
		}
	}
	assert.Equal(t, 2, calls)
}

func TestCursorErrorIsLastPair(t *testing.T) {
	boom := errors.New("boom")
	calls := 0
	ok := cursorServer(100, 10, &calls)
	fetch := func(ctx context.Context, cursor string) (CursorPage[int], error) {
		if cursor != "" {
			return CursorPage[int]{}, boom
		}
		return ok(ctx, cursor)
	}
	got, err := collect(t, Cursor(context.Background(), "", intID, fetch))
	assert.ErrorIs(t, err, boom)
	assert.Len(t, got, 10)
}

func TestCursorCancelledContext(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	calls := 0
	_, err := collect(t, Cursor(ctx, "", intID, cursorServer(10, 5, &calls)))
	assert.ErrorIs(t, err, context.Canceled)
	assert.Zero(t, calls)
}

func numberedServer(n, size int, calls *[]int) NumberedFetch[int] {
	return func(_ context.Context, p int) (NumberedPage[int], error) {
		*calls = append(*calls, p)
		var items []int
		for i := (p - 1) * size; i < n && i < p*size && i >= 0; i++ {
			items = append(items, i)
		}
		return NumberedPage[int]{Items: items, Total: n}, nil
	}
}

func intID(i int) string { return strconv.Itoa(i) }

func TestPagesStopOnAShortPage(t *testing.T) {
	var calls []int
	got, err := collect(t, Pages(context.Background(), 10, intID, numberedServer(45, 10, &calls)))
	require.NoError(t, err)
	assert.Len(t, got, 45)
	assert.Equal(t, []int{1, 2, 3, 4, 5}, calls)
}

func TestPagesStopOnAnEmptyPageAfterAFullOne(t *testing.T) {
	var calls []int
	fetch := func(ctx context.Context, p int) (NumberedPage[int], error) {
		pg, err := numberedServer(40, 10, &calls)(ctx, p)
		pg.Total = 0 // unknown: only the empty page ends the walk
		return pg, err
	}
	got, err := collect(t, Pages(context.Background(), 10, intID, fetch))
	require.NoError(t, err)
	assert.Len(t, got, 40)
	assert.Equal(t, []int{1, 2, 3, 4, 5}, calls)
}

func TestPagesStopOnTotalAndHasMore(t *testing.T) {
	var calls []int
	got, err := collect(t, Pages(context.Background(), 10, intID, numberedServer(40, 10, &calls)))
	require.NoError(t, err)
	assert.Len(t, got, 40)
	assert.Equal(t, []int{1, 2, 3, 4}, calls, "the total ends the walk without asking for an empty page")

	no := false
	calls = nil
	fetch := func(ctx context.Context, p int) (NumberedPage[int], error) {
		pg, err := numberedServer(100, 10, &calls)(ctx, p)
		pg.Total = 0
		if p == 2 {
			pg.HasMore = &no
		}
		return pg, err
	}
	got, err = collect(t, Pages(context.Background(), 10, intID, fetch))
	require.NoError(t, err)
	assert.Len(t, got, 20)
}

func TestPagesEndWithAnErrorWhenTheServerIgnoresThePage(t *testing.T) {
	calls := 0
	same := func(context.Context, int) (NumberedPage[int], error) {
		calls++
		return NumberedPage[int]{Items: []int{1, 2, 3}}, nil
	}
	got, err := collect(t, Pages(context.Background(), 3, intID, same))
	require.ErrorIs(t, err, ErrPageRepeated)
	assert.Equal(t, []int{1, 2, 3}, got, "the first page is yielded once")
	assert.Equal(t, 2, calls)
}

// A server that pages smaller than asked but says more pages follow: its
// word wins over the page's length.
func TestPagesTrustHasMoreOverAShortPage(t *testing.T) {
	var calls []int
	fetch := func(ctx context.Context, p int) (NumberedPage[int], error) {
		pg, err := numberedServer(120, 50, &calls)(ctx, p)
		more := p < 3
		pg.Total, pg.HasMore = 0, &more
		return pg, err
	}
	got, err := collect(t, Pages(context.Background(), 100, intID, fetch))
	require.NoError(t, err)
	assert.Len(t, got, 120)
	assert.Equal(t, []int{1, 2, 3}, calls)
}

// A newest-first list that gains an item before every request, on a
// server that ignores the page number: each page is the previous one
// shifted by one, which the first-and-last-ID check never saw.
func TestPagesEndOnAShiftedRepeat(t *testing.T) {
	newest, calls := 1000, 0
	fetch := func(context.Context, int) (NumberedPage[int], error) {
		calls++
		newest++
		items := make([]int, 10)
		for i := range items {
			items[i] = newest - i
		}
		return NumberedPage[int]{Items: items}, nil
	}
	got, err := collect(t, Pages(context.Background(), 10, intID, fetch))
	require.ErrorIs(t, err, ErrPageRepeated)
	assert.Len(t, got, 10)
	assert.Equal(t, 2, calls)
}

// A list that gains a few items at its front during an honest walk: the
// ones pushed onto the next page are not yielded twice.
func TestPagesSkipWhatThePreviousPageHeld(t *testing.T) {
	list := []int{10, 9, 8, 7, 6, 5, 4, 3, 2, 1}
	fetch := func(_ context.Context, p int) (NumberedPage[int], error) {
		if p == 2 {
			list = append([]int{12, 11}, list...) // two new items before page 2
		}
		lo := min((p-1)*4, len(list))
		return NumberedPage[int]{Items: list[lo:min(lo+4, len(list))]}, nil
	}
	got, err := collect(t, Pages(context.Background(), 4, intID, fetch))
	require.NoError(t, err)
	assert.Equal(t, []int{10, 9, 8, 7, 6, 5, 4, 3, 2, 1}, got)
}

func TestFollowPollsUntilBreakAndWaitsOutTemporaryErrors(t *testing.T) {
	temporary := errors.New("try again")
	calls := 0
	fetch := func(context.Context) ([]int, error) {
		calls++
		switch calls {
		case 2, 3:
			return nil, temporary
		case 4:
			return nil, nil // an empty poll is normal
		}
		return []int{calls}, nil
	}
	var waits []int
	var got []int
	for v, err := range Follow(context.Background(), fetch,
		func(err error) bool { return errors.Is(err, temporary) },
		func(n int) time.Duration { waits = append(waits, n); return 0 }) {
		require.NoError(t, err)
		got = append(got, v)
		if len(got) == 2 {
			break
		}
	}
	assert.Equal(t, []int{1, 5}, got)
	assert.Equal(t, []int{0, 1}, waits, "consecutive failures back off further")
}

func TestFollowEndsOnAPermanentErrorAndOnTheContext(t *testing.T) {
	denied := errors.New("401")
	n := 0
	for _, err := range Follow(context.Background(), func(context.Context) ([]int, error) { return nil, denied },
		func(error) bool { return false }, func(int) time.Duration { return 0 }) {
		assert.ErrorIs(t, err, denied)
		n++
	}
	assert.Equal(t, 1, n)

	ctx, cancel := context.WithCancel(context.Background())
	fetch := func(context.Context) ([]int, error) { cancel(); return nil, errors.New("flaky") }
	for _, err := range Follow(ctx, fetch, func(error) bool { return true }, func(int) time.Duration { return time.Hour }) {
		assert.ErrorIs(t, err, context.Canceled)
	}
}

// A server that sends a fresh, huge cursor with every page must not make
// the walk keep them all: memory stays bounded however long the walk.
func TestCursorRemembersCursorsInBoundedMemory(t *testing.T) {
	cursor := strings.Repeat("c", 512<<10)
	pages := 0
	fetch := func(_ context.Context, _ string) (CursorPage[int], error) {
		pages++
		if pages > 200 {
			return CursorPage[int]{}, nil
		}
		return CursorPage[int]{Items: []int{pages}, Next: cursor + strconv.Itoa(pages)}, nil
	}
	runtime.GC()
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	n := 0
	for _, err := range Cursor(context.Background(), "", intID, fetch) {
		require.NoError(t, err)
		n++
	}
	runtime.GC()
	runtime.ReadMemStats(&after)
	assert.Equal(t, 200, n)
	grown := int64(after.HeapAlloc) - int64(before.HeapAlloc)
	assert.Less(t, grown, int64(8<<20), "200 cursors of 512 KiB would be 100 MiB")
}

func TestCursorCatchesALongCycle(t *testing.T) {
	// A cycle longer than the exact memory: Brent's checkpoint finds it.
	const cycle = recentHashes + 50
	pages := 0
	fetch := func(_ context.Context, c string) (CursorPage[int], error) {
		pages++
		n, _ := strconv.Atoi(c)
		return CursorPage[int]{Items: []int{n}, Next: strconv.Itoa((n + 1) % cycle)}, nil
	}
	n := 0
	for _, err := range Cursor(context.Background(), "", intID, fetch) {
		require.NoError(t, err)
		n++
		require.Less(t, n, 4*cycle, "the walk must end")
	}
	assert.GreaterOrEqual(t, n, cycle)
}

// Review: a server that ignores the cursor but hands out a fresh one each
// time was walked for ever (or, with a total, repeated page 1 until it).
func TestCursorEndsWhenFreshCursorsAreIgnored(t *testing.T) {
	calls := 0
	fetch := func(context.Context, string) (CursorPage[int], error) {
		calls++
		return CursorPage[int]{Items: []int{1, 2}, Next: strconv.Itoa(calls)}, nil
	}
	got, err := collect(t, Cursor(context.Background(), "", intID, fetch))
	require.ErrorIs(t, err, ErrCursorIgnored)
	assert.Equal(t, []int{1, 2}, got)
	assert.Equal(t, 2, calls)
}

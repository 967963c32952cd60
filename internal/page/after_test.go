package page

import (
	"context"
	"errors"
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

type keyed struct {
	id  string
	key int64
}

// forward serves the oldest limit items with a key above after, as a
// server's since filter would; it counts the calls.
func forward(items []keyed, limit int, calls *int) AfterFetch[keyed] {
	return func(_ context.Context, after int64) ([]keyed, bool, error) {
		*calls++
		var out []keyed
		for i, it := range items {
			if it.key > after {
				out = items[i:]
				break
			}
		}
		if len(out) > limit {
			return out[:limit], true, nil
		}
		return out, false, nil
	}
}

func TestAfterYieldsEachItemOnceAcrossTiedKeys(t *testing.T) {
	items := []keyed{{"a", 1}, {"b", 2}, {"c", 2}, {"d", 2}, {"e", 3}, {"f", 3}, {"g", 4}, {"h", 9}}
	for limit := 4; limit <= 9; limit++ {
		t.Run(fmt.Sprint(limit), func(t *testing.T) {
			calls := 0
			var got []string
			for it, err := range After(context.Background(), 0, func(k keyed) int64 { return k.key }, func(k keyed) string { return k.id }, forward(items, limit, &calls)) {
				require.NoError(t, err)
				got = append(got, it.id)
			}
			assert.Equal(t, []string{"a", "b", "c", "d", "e", "f", "g", "h"}, got)
		})
	}
}

func TestAfterStartIsExclusive(t *testing.T) {
	items := []keyed{{"a", 1}, {"b", 2}, {"c", 3}}
	calls := 0
	var got []string
	for it, err := range After(context.Background(), 1, func(k keyed) int64 { return k.key }, func(k keyed) string { return k.id }, forward(items, 2, &calls)) {
		require.NoError(t, err)
		got = append(got, it.id)
	}
	assert.Equal(t, []string{"b", "c"}, got)
}

func TestAfterTooManyTiesIsAnError(t *testing.T) {
	items := []keyed{{"a", 1}, {"b", 1}, {"c", 1}, {"d", 2}}
	calls := 0
	var got []string
	var last error
	for it, err := range After(context.Background(), 0, func(k keyed) int64 { return k.key }, func(k keyed) string { return k.id }, forward(items, 2, &calls)) {
		if err != nil {
			last = err
			continue
		}
		got = append(got, it.id)
	}
	assert.Equal(t, []string{"a", "b"}, got)
	require.Error(t, last)
	assert.EqualError(t, last, "at least as many items share the key 1 as one page holds; use larger pages")
	assert.Equal(t, 2, calls)
}

func TestAfterStopsOnBreakErrorAndContext(t *testing.T) {
	items := []keyed{{"a", 1}, {"b", 2}, {"c", 3}, {"d", 4}}
	key, id := func(k keyed) int64 { return k.key }, func(k keyed) string { return k.id }
	calls := 0
	for range After(context.Background(), 0, key, id, forward(items, 2, &calls)) {
		break
	}
	assert.Equal(t, 1, calls)

	boom := errors.New("boom")
	n := 0
	for _, err := range After(context.Background(), 0, key, id, func(context.Context, int64) ([]keyed, bool, error) { return nil, false, boom }) {
		assert.ErrorIs(t, err, boom)
		n++
	}
	assert.Equal(t, 1, n)

	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	for _, err := range After(ctx, 0, key, id, forward(items, 2, &calls)) {
		assert.ErrorIs(t, err, context.Canceled)
	}

	for _, err := range Fail[keyed](boom) {
		assert.ErrorIs(t, err, boom)
	}
}

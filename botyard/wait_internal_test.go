package botyard

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
)

func TestWaitIntervalDefaults(t *testing.T) {
	cases := []struct {
		in       WaitForRepliesParams
		min, max time.Duration
	}{
		{WaitForRepliesParams{}, 300 * time.Millisecond, 5 * time.Second},
		{WaitForRepliesParams{MinInterval: time.Second}, time.Second, 5 * time.Second},
		{WaitForRepliesParams{MinInterval: 10 * time.Second}, 10 * time.Second, 10 * time.Second},
		{WaitForRepliesParams{MinInterval: 50 * time.Millisecond, MaxInterval: 200 * time.Millisecond}, 50 * time.Millisecond, 200 * time.Millisecond},
		// An explicit MaxInterval is kept; the default MinInterval stays
		// under it.
		{WaitForRepliesParams{MaxInterval: 2 * time.Second}, 300 * time.Millisecond, 2 * time.Second},
		{WaitForRepliesParams{MaxInterval: 100 * time.Millisecond}, 100 * time.Millisecond, 100 * time.Millisecond},
	}
	for _, tc := range cases {
		lo, hi := tc.in.intervals()
		assert.Equal(t, tc.min, lo, "%+v", tc.in)
		assert.Equal(t, tc.max, hi, "%+v", tc.in)
	}
}

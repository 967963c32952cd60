package sse_test

import (
	"io"
	"runtime"
	"strings"
	"testing"
	"testing/iotest"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/chatbot-sdk/chatbot-go/internal/testkit"

	"github.com/chatbot-sdk/chatbot-go/internal/sse"
)

func TestDefaultMaxEventBytesIs16MiB(t *testing.T) {
	assert.Equal(t, 16<<20, sse.DefaultMaxEventBytes)
}

// A long reply can arrive as a single event of a MiB or more: the default
// limit must let it through, whichever reader reads it and however it is
// split. (1 MiB was the default once, and refused this line.)
func TestDefaultLimitTakesAOneMiBDataLine(t *testing.T) {
	big := strings.Repeat("z", 1<<20+1<<10)
	input := "data: " + big + "\n\ndata: next\n\n"
	for name, body := range map[string]func() io.Reader{
		"whole":           func() io.Reader { return strings.NewReader(input) },
		"one-byte-reads":  func() io.Reader { return iotest.OneByteReader(strings.NewReader(input)) },
		"1-64-byte-reads": func() io.Reader { return testkit.SplitReader([]byte(input), []int{1, 64, 7, 33}...) },
	} {
		t.Run(name, func(t *testing.T) {
			got, err := readEvents(body())
			require.NoError(t, err)
			require.Len(t, got, 2)
			assert.True(t, got[0].Data == big, "the long event arrives intact (%d bytes)", len(got[0].Data))
			assert.Equal(t, "next", got[1].Data)

			e := sse.NewEagerReader(body())
			ev, early, err := e.Next()
			require.NoError(t, err)
			assert.True(t, early)
			assert.True(t, string(ev.Data) == big, "the eager reader hands over the long line (%d bytes)", len(ev.Data))
		})
	}
}

func TestDefaultLimitIsExact(t *testing.T) {
	atLimit := "data:" + strings.Repeat("x", sse.DefaultMaxEventBytes) + "\n\n"
	got, err := readEvents(strings.NewReader(atLimit))
	require.NoError(t, err)
	require.Len(t, got, 1)
	assert.Len(t, got[0].Data, sse.DefaultMaxEventBytes)

	_, err = readEvents(strings.NewReader("data:x" + atLimit[len("data:"):]))
	require.ErrorIs(t, err, sse.ErrEventTooLarge)
}

// allocatedBytes returns the bytes f allocates on the heap, averaged over
// runs calls.
func allocatedBytes(runs int, f func()) float64 {
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	for range runs {
		f()
	}
	runtime.ReadMemStats(&after)
	return float64(after.TotalAlloc-before.TotalAlloc) / float64(runs)
}

// The limit is a ceiling, not a size: memory follows what arrives.
func TestMemoryFollowsTheEventsReceived(t *testing.T) {
	read := func(input string) func() {
		return func() {
			got, err := readEvents(strings.NewReader(input))
			if err != nil || len(got) == 0 {
				t.Errorf("read %d bytes: %d events, %v", len(input), len(got), err)
			}
		}
	}
	small := allocatedBytes(20, read("data: hello\n\n"))
	assert.Less(t, small, float64(64<<10), "a small event with the default limit of 16 MiB")

	oneMiB := allocatedBytes(3, read("data: "+strings.Repeat("y", 1<<20)+"\n\n"))
	assert.Less(t, oneMiB, float64(8<<20), "a 1 MiB event costs a small multiple of 1 MiB, not the limit")
	assert.Greater(t, oneMiB, float64(1<<20), "and the buffers did grow for it")

	eagerSmall := allocatedBytes(20, func() {
		if _, _, err := sse.NewEagerReader(strings.NewReader("data: hello\n")).Next(); err != nil {
			t.Error(err)
		}
	})
	assert.Less(t, eagerSmall, float64(64<<10), "the eager reader starts as small")
	t.Logf("bytes allocated per read: small event %.0f (eager %.0f), 1 MiB event %.0f", small, eagerSmall, oneMiB)
}

// Reading events of a steady size allocates nothing per event once the
// buffers have grown to fit them.
func TestSteadyEventsDoNotAllocate(t *testing.T) {
	const events = 200
	input := strings.Repeat("id: 1\nevent: delta\ndata: {\"content\":\"abc\"}\ndata: more\n\n", events)
	allocs := testing.AllocsPerRun(20, func() {
		r := sse.NewReader(strings.NewReader(input))
		for {
			if _, err := r.Next(); err != nil {
				break
			}
		}
	})
	// The Reader, its read buffer, the data and type buffers as they grow
	// once, and the two strings (ID and Type), whatever the event count.
	assert.LessOrEqual(t, allocs, float64(10))
}

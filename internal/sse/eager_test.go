package sse_test

import (
	"errors"
	"io"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/chatbot-sdk/chatbot-go/internal/sse"
)

// eagerEvent is an event an EagerReader handed over, with whether it came
// early.
type eagerEvent struct {
	sseEvent
	Early bool
}

// readEager reads r to the end with an EagerReader, calling Continue after
// every early event whose data cont accepts.
func readEager(r io.Reader, cont func(data string) bool, opts ...sse.Option) ([]eagerEvent, error) {
	e := sse.NewEagerReader(r, opts...)
	var out []eagerEvent
	for {
		ev, early, err := e.Next()
		if errors.Is(err, io.EOF) {
			return out, nil
		}
		if err != nil {
			return out, err
		}
		if early && cont(string(ev.Data)) {
			e.Continue()
			continue
		}
		out = append(out, eagerEvent{sseEvent{ev.Type, string(ev.Data), ev.ID, ev.Retry}, early})
	}
}

func never(string) bool  { return false }
func always(string) bool { return true }

// unfinished continues an event whose data is an unbalanced "{".
func unfinished(data string) bool { return strings.Count(data, "{") > strings.Count(data, "}") }

func early(ev sseEvent) eagerEvent { return eagerEvent{ev, true} }
func whole(ev sseEvent) eagerEvent { return eagerEvent{ev, false} }

func TestEagerReader(t *testing.T) {
	cases := []struct {
		name, input string
		cont        func(string) bool
		want        []eagerEvent
	}{
		{"one newline between events", "data: a\ndata: b\ndata: c\n", never,
			[]eagerEvent{early(msg("a")), early(msg("b")), early(msg("c"))}},
		{"two newlines between events", "data: a\n\ndata: b\r\n\r\n", never,
			[]eagerEvent{early(msg("a")), early(msg("b"))}},
		{"fields before the data line", "event: delta\nid: 3\nretry: 20\ndata: a\n\ndata: b\n", never, []eagerEvent{
			early(sseEvent{Type: "delta", Data: "a", ID: "3", Retry: 20e6}),
			early(sseEvent{Type: "message", Data: "b", ID: "3", Retry: 20e6}),
		}},
		{"continued to the blank line", "data: {\ndata: }\n\ndata: x\n\n", unfinished,
			[]eagerEvent{whole(msg("{\n}")), early(msg("x"))}},
		{"continued event keeps later fields", "data: {\nevent: late\nid: 9\ndata: }\n\ndata: x\n", unfinished, []eagerEvent{
			whole(sseEvent{Type: "late", Data: "{\n}", ID: "9"}), early(sseEvent{Type: "message", Data: "x", ID: "9"}),
		}},
		{"continued event cut by the end is dropped", "data: a\n\ndata: {\ndata: x", unfinished,
			[]eagerEvent{early(msg("a"))}},
		{"comments and blank lines skipped", ": ping\n\n\n\ndata: a\n: more\n\n", never,
			[]eagerEvent{early(msg("a"))}},
		{"empty data line", "data:\n\ndata\n", never, []eagerEvent{early(msg("")), early(msg(""))}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			eachSplit(t, tc.input, func(t *testing.T, r io.Reader) {
				got, err := readEager(r, tc.cont)
				require.NoError(t, err)
				assert.Equal(t, tc.want, got)
			})
		})
	}
}

// Continuing every early event gives exactly what Reader gives.
func TestEagerReaderContinuedIsReader(t *testing.T) {
	input := "\xEF\xBB\xBFevent: a\r\ndata: 1\r\rid: 9\ndata: 2\ndata: 3\n\r\n: c\r\ndata: 4\r\nevent: b\r\n\r\ndata: cut"
	want, err := readEvents(strings.NewReader(input))
	require.NoError(t, err)
	require.Len(t, want, 3)
	eachSplit(t, input, func(t *testing.T, r io.Reader) {
		got, err := readEager(r, always)
		require.NoError(t, err)
		require.Len(t, got, len(want))
		for i := range got {
			assert.Equal(t, whole(want[i]), got[i])
		}
	})
}

func TestEagerReaderContinueAfterAWholeEventDoesNothing(t *testing.T) {
	e := sse.NewEagerReader(strings.NewReader("data: {\ndata: }\n\ndata: b\n"))
	_, early, err := e.Next()
	require.NoError(t, err)
	require.True(t, early)
	e.Continue()
	ev, early, err := e.Next()
	require.NoError(t, err)
	require.False(t, early)
	assert.Equal(t, "{\n}", string(ev.Data))
	e.Continue() // not early: nothing to take back
	ev, early, err = e.Next()
	require.NoError(t, err)
	assert.True(t, early)
	assert.Equal(t, "b", string(ev.Data))
	_, _, err = e.Next()
	assert.ErrorIs(t, err, io.EOF)
}

func TestEagerReaderLimit(t *testing.T) {
	limit := sse.WithMaxEventBytes(10)
	for name, tc := range map[string]struct {
		input string
		cont  func(string) bool
	}{
		"early line over the limit":     {"data: 0123456789A\n", never},
		"continued lines add up":        {"data: {2345\ndata: 12345\n\n", unfinished},
		"long line without a line end":  {"data: " + strings.Repeat("x", 100), never},
		"long comment before data line": {": " + strings.Repeat("c", 80) + "\ndata: a\n", never},
	} {
		t.Run(name, func(t *testing.T) {
			eachSplit(t, tc.input, func(t *testing.T, r io.Reader) {
				_, err := readEager(r, tc.cont, limit)
				require.ErrorIs(t, err, sse.ErrEventTooLarge)
			})
		})
	}
	t.Run("at the limit is fine", func(t *testing.T) {
		got, err := readEager(strings.NewReader("data:0123456789\n"), never, limit)
		require.NoError(t, err)
		assert.Equal(t, []eagerEvent{early(msg("0123456789"))}, got)
	})
}

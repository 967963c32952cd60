package sse_test

import (
	"errors"
	"fmt"
	"io"
	"math"
	"slices"
	"strings"
	"testing"
	"testing/iotest"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/chatbot-sdk/chatbot-go/internal/testkit"

	"github.com/chatbot-sdk/chatbot-go/internal/sse"
)

// sseEvent is an sse.Event with its data copied, so it outlives the next call.
type sseEvent struct {
	Type, Data, ID string
	Retry          time.Duration
}

// readEvents reads r to the end and returns the events and the final error
// (nil for a clean io.EOF).
func readEvents(r io.Reader, opts ...sse.Option) ([]sseEvent, error) {
	sr := sse.NewReader(r, opts...)
	var out []sseEvent
	for {
		ev, err := sr.Next()
		if errors.Is(err, io.EOF) {
			return out, nil
		}
		if err != nil {
			return out, err
		}
		out = append(out, sseEvent{ev.Type, string(ev.Data), ev.ID, ev.Retry})
	}
}

// eachSplit runs check on the input whole, one byte per Read, and split in
// two reads at every possible position.
func eachSplit(t *testing.T, input string, check func(t *testing.T, r io.Reader)) {
	t.Helper()
	t.Run("whole", func(t *testing.T) { check(t, strings.NewReader(input)) })
	t.Run("one-byte-reads", func(t *testing.T) { check(t, iotest.OneByteReader(strings.NewReader(input))) })
	for i := 1; i < len(input); i++ {
		t.Run(fmt.Sprintf("split-at-%d", i), func(t *testing.T) {
			check(t, io.MultiReader(strings.NewReader(input[:i]), strings.NewReader(input[i:])))
		})
	}
}

func msg(data string) sseEvent { return sseEvent{Type: "message", Data: data} }

func TestReaderRules(t *testing.T) {
	cases := []struct {
		name, input string
		want        []sseEvent
	}{
		{"LF", "data: a\n\ndata: b\n\n", []sseEvent{msg("a"), msg("b")}},
		{"CRLF", "data: a\r\n\r\ndata: b\r\n\r\n", []sseEvent{msg("a"), msg("b")}},
		{"CR", "data: a\r\rdata: b\r\r", []sseEvent{msg("a"), msg("b")}},
		{"mixed line ends", "data: a\r\ndata: b\rdata: c\n\r\n", []sseEvent{msg("a\nb\nc")}},
		{"CRLF is one line end", "data: a\r\ndata: b\r\n\r\n", []sseEvent{msg("a\nb")}},
		{"comments and keep-alives", ": hello\n\n:\n\ndata: x\n: inside\n\n" + strings.Repeat(":ping\r\n", 500), []sseEvent{msg("x")}},
		{"data lines joined", "data: a\ndata: b\ndata: c\n\n", []sseEvent{msg("a\nb\nc")}},
		{"event id retry", "event: delta\nid: 7\nretry: 1500\ndata: d\n\ndata: e\n\n", []sseEvent{
			{Type: "delta", Data: "d", ID: "7", Retry: 1500 * time.Millisecond},
			{Type: "message", Data: "e", ID: "7", Retry: 1500 * time.Millisecond},
		}},
		{"field without colon", "data\n\ndata\ndata\n\n", []sseEvent{msg(""), msg("\n")}},
		{"only one leading space stripped", "data:  two\n\ndata:none\n\ndata:\tx\n\n", []sseEvent{msg(" two"), msg("none"), msg("\tx")}},
		{"colon in value kept", "data: a: b\n\n", []sseEvent{msg("a: b")}},
		{"BOM skipped", "\xEF\xBB\xBFdata: a\n\n", []sseEvent{msg("a")}},
		{"BOM only at the start", "data: a\n\n\xEF\xBB\xBFdata: b\n\n", []sseEvent{msg("a")}},
		{"incomplete BOM is a field name", "\xEF\xBBdata: a\n\ndata: b\n\n", []sseEvent{msg("b")}},
		{"id with NUL ignored", "id: 1\ndata: a\n\nid: x\x00y\ndata: b\n\n", []sseEvent{
			{Type: "message", Data: "a", ID: "1"}, {Type: "message", Data: "b", ID: "1"},
		}},
		{"empty id resets", "id: 1\ndata: a\n\nid\ndata: b\n\n", []sseEvent{
			{Type: "message", Data: "a", ID: "1"}, msg("b"),
		}},
		{"bad retry ignored", "retry: 12a\ndata: a\n\nretry: \ndata: b\n\n", []sseEvent{msg("a"), msg("b")}},
		{"unknown field ignored", "foo: bar\nData: no\ndata: x\n\n", []sseEvent{msg("x")}},
		{"event without data not dispatched", "event: x\n\ndata: y\n\n", []sseEvent{msg("y")}},
		{"empty data is dispatched", "data:\n\n", []sseEvent{msg("")}},
		{"incomplete event at EOF dropped", "data: a\n\ndata: b\n", []sseEvent{msg("a")}},
		{"unterminated line at EOF dropped", "data: a\n\ndata: b", []sseEvent{msg("a")}},
		{"multi-byte UTF-8 kept", "data: héllo 🙂\n\n", []sseEvent{msg("héllo 🙂")}},
		{"nothing", "", nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			eachSplit(t, tc.input, func(t *testing.T, r io.Reader) {
				got, err := readEvents(r)
				require.NoError(t, err)
				assert.Equal(t, tc.want, got)
				assert.Equal(t, tc.want, referenceSSE(tc.input), "the reference implementation disagrees")
			})
		})
	}
}

func TestReaderDataValidUntilNext(t *testing.T) {
	sr := sse.NewReader(strings.NewReader("data: first\n\ndata: second\n\n"))
	ev, err := sr.Next()
	require.NoError(t, err)
	assert.Equal(t, "first", string(ev.Data))
	ev, err = sr.Next()
	require.NoError(t, err)
	assert.Equal(t, "second", string(ev.Data))
	_, err = sr.Next()
	assert.ErrorIs(t, err, io.EOF)
	_, err = sr.Next()
	assert.ErrorIs(t, err, io.EOF, "the end is sticky")
}

func TestReaderEventSizeLimit(t *testing.T) {
	limit := sse.WithMaxEventBytes(10)
	for name, input := range map[string]string{
		"one long line":        "data: " + strings.Repeat("d", 80) + "\n\n",
		"data lines add up":    "data: 12345\ndata: 12345\n\n",
		"one long data line":   "data: 0123456789A\n\n",
		"long comment":         ": " + strings.Repeat("c", 80) + "\n\n",
		"long unfinished line": strings.Repeat("x", 100),
	} {
		t.Run(name, func(t *testing.T) {
			eachSplit(t, input, func(t *testing.T, r io.Reader) {
				_, err := readEvents(r, limit)
				require.ErrorIs(t, err, sse.ErrEventTooLarge)
				assert.Contains(t, err.Error(), "10 bytes")
			})
		})
	}
	t.Run("at the limit is fine", func(t *testing.T) {
		got, err := readEvents(strings.NewReader("data:0123456789\n\n"), limit)
		require.NoError(t, err)
		assert.Equal(t, []sseEvent{msg("0123456789")}, got)
	})
	t.Run("error is sticky", func(t *testing.T) {
		sr := sse.NewReader(strings.NewReader("data: 0123456789A\n\ndata: a\n\n"), limit)
		_, err := sr.Next()
		require.ErrorIs(t, err, sse.ErrEventTooLarge)
		_, err = sr.Next()
		require.ErrorIs(t, err, sse.ErrEventTooLarge)
	})
}

// endless is a body that never stops sending the same byte.
type endless byte

func (e endless) Read(p []byte) (int, error) {
	for i := range p {
		p[i] = byte(e)
	}
	return len(p), nil
}

func TestReaderBoundedOnEndlessLine(t *testing.T) {
	_, err := readEvents(endless('x'))
	require.ErrorIs(t, err, sse.ErrEventTooLarge)
	assert.Contains(t, err.Error(), "16777216 bytes", "the default limit")
}

func TestReaderEndlessKeepAlivesAreNotAnError(t *testing.T) {
	r := io.MultiReader(strings.NewReader(strings.Repeat(":\n", 200_000)), strings.NewReader("data: x\n\n"))
	got, err := readEvents(r)
	require.NoError(t, err)
	assert.Equal(t, []sseEvent{msg("x")}, got)
}

func TestReaderLongLinesBeyond64KiB(t *testing.T) {
	big := strings.Repeat("y", 600<<10)
	for name, r := range map[string]io.Reader{
		"whole":      strings.NewReader("data: " + big + "\n\n"),
		"small-read": testkit.SplitReader([]byte("data: "+big+"\r\r"), []int{7, 1, 63}...),
	} {
		t.Run(name, func(t *testing.T) {
			got, err := readEvents(r)
			require.NoError(t, err)
			require.Len(t, got, 1)
			assert.Equal(t, big, got[0].Data)
		})
	}
}

func TestReaderReadErrorAfterEvents(t *testing.T) {
	boom := errors.New("connection reset")
	r := io.MultiReader(strings.NewReader("data: a\n\ndata: b\n\ndata: part"), iotest.ErrReader(boom))
	got, err := readEvents(iotest.OneByteReader(r))
	require.ErrorIs(t, err, boom)
	assert.Equal(t, []sseEvent{msg("a"), msg("b")}, got)
}

// stuck returns no data and no error, forever.
type stuck struct{}

func (stuck) Read([]byte) (int, error) { return 0, nil }

func TestReaderNoProgress(t *testing.T) {
	_, err := readEvents(stuck{})
	require.ErrorIs(t, err, io.ErrNoProgress)
}

func TestReaderSplitAcrossReadsInPieces(t *testing.T) {
	input := "\xEF\xBB\xBFevent: a\r\ndata: 1\r\rid: 9\ndata: 2\n\r\n: c\r\ndata: 3\r\n\r\n"
	want := []sseEvent{{Type: "a", Data: "1"}, {Type: "message", Data: "2", ID: "9"}, {Type: "message", Data: "3", ID: "9"}}
	for _, sizes := range [][]int{{1}, {2}, {3}, {5, 1}, {1, 7, 2}, {64}} {
		got, err := readEvents(testkit.SplitReader([]byte(input), sizes...))
		require.NoError(t, err)
		assert.Equal(t, want, got, "read sizes %v", sizes)
	}
}

// referenceSSE is a direct transcription of the WHATWG event-stream
// interpretation over a whole input, used as the oracle for Reader.
func referenceSSE(in string) []sseEvent {
	in = strings.TrimPrefix(in, "\uFEFF")
	var out []sseEvent
	var data, typ, id string
	var retry time.Duration
	for {
		i := strings.IndexAny(in, "\r\n")
		if i < 0 {
			return out // an unterminated last line is dropped
		}
		line := in[:i]
		if in[i] == '\r' && i+1 < len(in) && in[i+1] == '\n' {
			in = in[i+2:]
		} else {
			in = in[i+1:]
		}
		if line == "" {
			if data != "" {
				ev := sseEvent{Type: "message", Data: strings.TrimSuffix(data, "\n"), ID: id, Retry: retry}
				if typ != "" {
					ev.Type = typ
				}
				out = append(out, ev)
			}
			data, typ = "", ""
			continue
		}
		if line[0] == ':' {
			continue
		}
		field, value, found := strings.Cut(line, ":")
		if found {
			value = strings.TrimPrefix(value, " ")
		}
		switch field {
		case "data":
			data += value + "\n"
		case "event":
			typ = value
		case "id":
			if !strings.Contains(value, "\x00") {
				id = value
			}
		case "retry":
			if value != "" && strings.Trim(value, "0123456789") == "" && len(value) < 15 {
				var ms int64
				for _, c := range value {
					ms = ms*10 + int64(c-'0')
				}
				retry = time.Duration(ms) * time.Millisecond
			}
		}
	}
}

func FuzzSSEReader(f *testing.F) {
	for _, s := range []string{
		"data: a\n\n", "data: a\r\ndata: b\r\n\r\n", "event: e\rid: 1\rretry: 10\rdata\r\r",
		"\xEF\xBB\xBFdata: x\n\n", ": c\n\ndata:  y\n\n", "id: a\x00\ndata: z\n\n",
	} {
		f.Add([]byte(s), uint8(1))
	}
	f.Fuzz(func(t *testing.T, input []byte, split uint8) {
		want := referenceSSE(string(input))
		var eagerWhole []eagerEvent
		for k, sizes := range [][]int{{len(input) + 1}, {1}, {int(split%16) + 1, int(split/16) + 1}} {
			got, err := readEvents(testkit.SplitReader(input, sizes...))
			if err != nil {
				t.Fatalf("sizes %v: %v", sizes, err)
			}
			if len(got) != len(want) {
				t.Fatalf("sizes %v: %d events, want %d:\n%q\n%q", sizes, len(got), len(want), got, want)
			}
			for i := range got {
				if got[i] != want[i] {
					t.Fatalf("sizes %v: event %d = %q, want %q", sizes, i, got[i], want[i])
				}
			}
			// An EagerReader that continues every early event is a Reader.
			continued, err := readEager(testkit.SplitReader(input, sizes...), always)
			if err != nil {
				t.Fatalf("eager, sizes %v: %v", sizes, err)
			}
			if len(continued) != len(want) {
				t.Fatalf("eager, sizes %v: %d events, want %d:\n%+v\n%+v", sizes, len(continued), len(want), continued, want)
			}
			for i := range continued {
				if continued[i] != whole(want[i]) {
					t.Fatalf("eager, sizes %v: event %d = %+v, want %+v", sizes, i, continued[i], want[i])
				}
			}
			// One that never does sees the same events however reads split.
			eager, err := readEager(testkit.SplitReader(input, sizes...), never)
			if err != nil {
				t.Fatalf("eager, sizes %v: %v", sizes, err)
			}
			if k == 0 {
				eagerWhole = eager
			} else if !slices.Equal(eager, eagerWhole) {
				t.Fatalf("eager, sizes %v: %+v, read whole: %+v", sizes, eager, eagerWhole)
			}
		}
	})
}

func TestReaderAll(t *testing.T) {
	var got []string
	for ev, err := range sse.NewReader(strings.NewReader("data: a\n\nevent: b\ndata: c\n\ndata: cut")).All() {
		require.NoError(t, err)
		got = append(got, ev.Type+":"+string(ev.Data))
	}
	assert.Equal(t, []string{"message:a", "b:c"}, got)

	boom := errors.New("boom")
	var errs []error
	for _, err := range sse.NewReader(io.MultiReader(strings.NewReader("data: a\n\n"), iotest.ErrReader(boom))).All() {
		errs = append(errs, err)
	}
	assert.Equal(t, []error{nil, boom}, errs)

	n := 0
	for range sse.NewReader(strings.NewReader("data: a\n\ndata: b\n\n")).All() {
		n++
		break
	}
	assert.Equal(t, 1, n)
}

func TestReaderHugeLimit(t *testing.T) {
	got, err := readEvents(strings.NewReader("data: a\n\n"), sse.WithMaxEventBytes(math.MaxInt))
	require.NoError(t, err)
	assert.Equal(t, []sseEvent{msg("a")}, got)
}

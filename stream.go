package chatbot

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"iter"
	"math"
	"time"
)

// DefaultMaxEventBytes is the most data one server-sent event may carry
// unless an SSEReader is told otherwise: 1 MiB.
const DefaultMaxEventBytes = 1 << 20

// ErrEventTooLarge is wrapped by the error an SSEReader returns when one
// event, or one line, is larger than its limit. The stream cannot be resumed
// after it.
var ErrEventTooLarge = errors.New("chatbot: server-sent event too large")

// Event is one dispatched server-sent event.
type Event struct {
	// Type is the value of the event's "event" field, or "message" when it
	// had none (as in the WHATWG rules).
	Type string
	// Data holds the event's "data" lines joined with "\n". It is only
	// valid until the next call to Next: the reader reuses the buffer, so
	// that reading an event allocates nothing.
	Data []byte
	// ID is the last event ID seen so far in the stream (it carries over
	// from event to event until an "id" field changes it).
	ID string
	// Retry is the last reconnection time the stream asked for with a
	// "retry" field, or zero when it never did.
	Retry time.Duration
}

// SSEOption changes how an SSEReader reads.
type SSEOption func(*SSEReader)

// WithSSEMaxEventBytes sets the most data one event may carry (a line may
// be 64 bytes longer, for its field name); past it Next fails with an error
// wrapping ErrEventTooLarge. Values below 1 keep DefaultMaxEventBytes.
func WithSSEMaxEventBytes(n int) SSEOption {
	return func(r *SSEReader) {
		if n > 0 {
			r.max = min(n, math.MaxInt/2) // room for the line slack without overflow
		}
	}
}

// SSEReader reads a text/event-stream body as the WHATWG HTML standard
// defines it: LF, CR or CRLF line ends (also when a CR ends one read and
// its LF starts the next); lines starting with ":" are comments (keep-alives);
// "data" lines are joined with "\n"; "event", "id" and "retry" fields; a
// line without a colon is a field with an empty value; one space after the
// colon is dropped; a UTF-8 byte order mark at the very start is skipped;
// unknown fields are ignored. An event is handed over as soon as the blank
// line that ends it has arrived, and an event the body cuts short is
// dropped.
//
// Memory is bounded by the maximum event size, and the work is linear in
// the input however it is split across reads. An SSEReader is not safe for
// concurrent use.
type SSEReader struct {
	src io.Reader
	max int

	buf        []byte
	start, end int  // unread input is buf[start:end]
	lf         int  // index in buf of the next known LF, or below start if unknown
	lfScanned  int  // buf[:lfScanned] has been searched for LF
	crScanned  int  // buf[start:crScanned] is known to hold no CR
	skipLF     bool // the last line ended with CR: a LF right after it belongs to it
	bomDone    bool
	readErr    error // from src; reported once the buffered lines are used up
	fatal      error // a broken limit; every later call returns it
	emptyReads int

	data     []byte
	hasData  bool
	typ      []byte
	typeStr  string // the last Type handed out, reused while it repeats
	id       string
	retry    time.Duration
	reset    bool // the event buffers are cleared before reading on
	eager    bool // see eagerDispatch
	eagerHit bool // the last event was handed over at its first data line
	// eagerLine is that first line, a view of buf until the next read.
	eagerLine []byte
}

// initialBufSize is the first read buffer; it grows (up to the event limit)
// only for longer lines.
const initialBufSize = 16 << 10

// fieldSlack is how much longer than the event limit one line may be: room
// for the field name, so that an event of exactly the limit fits.
const fieldSlack = 64

// maxEmptyReads is how many (0, nil) reads in a row are tolerated before
// the reader gives up with io.ErrNoProgress, as bufio does.
const maxEmptyReads = 100

// NewSSEReader returns a reader of the event stream r.
func NewSSEReader(r io.Reader, opts ...SSEOption) *SSEReader {
	s := &SSEReader{src: r, max: DefaultMaxEventBytes, lf: -1}
	for _, o := range opts {
		o(s)
	}
	s.buf = make([]byte, min(initialBufSize, s.max+fieldSlack+2))
	return s
}

// Next returns the next event. At the end of the body it returns io.EOF;
// a failed read returns that read's error (after every complete event
// before it). An event larger than the limit fails with an error wrapping
// ErrEventTooLarge.
func (r *SSEReader) Next() (Event, error) {
	if r.reset {
		r.data, r.hasData, r.typ, r.reset = r.data[:0], false, r.typ[:0], false
	}
	r.eagerHit = false
	for {
		line, err := r.line()
		if err != nil {
			return Event{}, err
		}
		if len(line) == 0 {
			if r.hasData {
				return r.dispatch(), nil
			}
			r.typ = r.typ[:0]
			continue
		}
		if line[0] == ':' {
			continue
		}
		field, value := line, line[len(line):]
		if i := bytes.IndexByte(line, ':'); i >= 0 {
			field, value = line[:i], line[i+1:]
			if len(value) > 0 && value[0] == ' ' {
				value = value[1:]
			}
		}
		switch string(field) {
		case "data":
			if r.eager && !r.hasData {
				// Handed over as a view of the read buffer, which stays
				// put until the next call; continueEvent copies it.
				if len(value) > r.max {
					return Event{}, r.fail("event data")
				}
				r.hasData, r.eagerHit, r.eagerLine = true, true, value
				ev := r.dispatch()
				ev.Data = value
				return ev, nil
			}
			if r.hasData {
				r.data = append(r.data, '\n')
			}
			r.data = append(r.data, value...)
			r.hasData = true
			if len(r.data) > r.max {
				return Event{}, r.fail("event data")
			}
		case "event":
			r.typ = append(r.typ[:0], value...)
		case "id":
			if bytes.IndexByte(value, 0) < 0 && string(value) != r.id {
				r.id = string(value)
			}
		case "retry":
			if ms, ok := parseRetry(value); ok {
				r.retry = ms
			}
		}
	}
}

// All returns the events as a sequence that ends with the body; a failure
// is the last pair. Each event's Data is valid until the loop moves on.
func (r *SSEReader) All() iter.Seq2[Event, error] {
	return func(yield func(Event, error) bool) {
		for {
			ev, err := r.Next()
			if errors.Is(err, io.EOF) {
				return
			}
			if err != nil {
				yield(Event{}, err)
				return
			}
			if !yield(ev, nil) {
				return
			}
		}
	}
}

// dispatch hands over the event buffered so far; the buffers are cleared
// at the next call so that Event.Data stays valid until then.
func (r *SSEReader) dispatch() Event {
	r.reset = true
	typ := "message"
	if len(r.typ) > 0 {
		if string(r.typ) != r.typeStr {
			r.typeStr = string(r.typ)
		}
		typ = r.typeStr
	}
	return Event{Type: typ, Data: r.data, ID: r.id, Retry: r.retry}
}

// eagerDispatch makes Next hand over an event as soon as its first data
// line ends instead of waiting for the blank line. Chat Thing does not say
// whether its events end with one newline or two; with one, waiting for a
// blank line would hold every delta back until the end of the body. The
// message stream turns it on and, when that first line is not a whole
// payload, calls continueEvent to read the rest of the event the usual way.
func (r *SSEReader) eagerDispatch() { r.eager = true }

// continueEvent undoes the eager hand-over of the event Next just returned:
// its buffers are kept and the next call reads on to the blank line.
func (r *SSEReader) continueEvent() {
	if r.eagerHit {
		r.data = append(r.data[:0], r.eagerLine...)
		r.reset, r.eagerHit = false, false
	}
}

func (r *SSEReader) fail(what string) error {
	r.fatal = fmt.Errorf("%w: %s longer than %d bytes", ErrEventTooLarge, what, r.max)
	return r.fatal
}

// parseRetry accepts only ASCII digits, as the standard says; an
// overlong value saturates instead of wrapping.
func parseRetry(v []byte) (time.Duration, bool) {
	if len(v) == 0 {
		return 0, false
	}
	const limit = int64(1<<63-1) / int64(time.Millisecond)
	var ms int64
	for _, c := range v {
		if c < '0' || c > '9' {
			return 0, false
		}
		if ms < limit {
			ms = ms*10 + int64(c-'0')
		}
	}
	return time.Duration(min(ms, limit)) * time.Millisecond, true
}

var utf8BOM = []byte{0xEF, 0xBB, 0xBF}

// line returns the next line without its terminator. It is a view into
// the read buffer, valid until the next call.
func (r *SSEReader) line() ([]byte, error) {
	if r.fatal != nil {
		return nil, r.fatal
	}
	for {
		if r.skipLF && r.start < r.end {
			if r.buf[r.start] == '\n' {
				r.start++
			}
			r.skipLF = false
		}
		if !r.bomDone {
			head := r.buf[r.start:r.end]
			if len(head) < len(utf8BOM) && bytes.HasPrefix(utf8BOM, head) && r.readErr == nil {
				r.fill()
				continue
			}
			if bytes.HasPrefix(head, utf8BOM) {
				r.start += len(utf8BOM)
			}
			r.bomDone = true
		}
		if i := r.eol(); i >= 0 {
			line := r.buf[r.start : r.start+i]
			r.skipLF = r.buf[r.start+i] == '\r'
			r.start += i + 1
			if len(line) > r.max+fieldSlack {
				return nil, r.fail("line")
			}
			return line, nil
		}
		if r.end-r.start > r.max+fieldSlack {
			return nil, r.fail("line")
		}
		if r.readErr != nil {
			// What is left is an unterminated line: the standard drops it.
			return nil, r.readErr
		}
		r.fill()
	}
}

// eol returns the offset from start of the first CR or LF in the unread
// input, or -1. It remembers how far it has searched, so a long line that
// arrives one byte at a time is still scanned only once.
func (r *SSEReader) eol() int {
	if r.lf < r.start {
		from := max(r.lfScanned, r.start)
		if k := bytes.IndexByte(r.buf[from:r.end], '\n'); k >= 0 {
			r.lf = from + k
		} else {
			r.lf = -1
			r.lfScanned = r.end
		}
	}
	limit := r.end
	if r.lf >= r.start {
		limit = r.lf
	}
	from := max(r.crScanned, r.start)
	if k := bytes.IndexByte(r.buf[from:limit], '\r'); k >= 0 {
		return from + k - r.start
	}
	r.crScanned = limit
	if r.lf >= r.start {
		return r.lf - r.start
	}
	return -1
}

// fill reads more input, first making room by moving the unread bytes to
// the front or by growing the buffer (never beyond what one line may need).
func (r *SSEReader) fill() {
	if r.start == r.end {
		r.shift(r.start)
	}
	if r.end == len(r.buf) {
		if r.start > 0 {
			n := r.start
			copy(r.buf, r.buf[r.start:r.end])
			r.shift(n)
		} else {
			grown := make([]byte, min(2*len(r.buf), r.max+fieldSlack+2))
			copy(grown, r.buf[:r.end])
			r.buf = grown
		}
	}
	n, err := r.src.Read(r.buf[r.end:])
	if n < 0 || n > len(r.buf)-r.end {
		err, n = errors.New("chatbot: SSE source returned an invalid count from Read"), 0
	}
	r.end += n
	switch {
	case err != nil:
		r.readErr = err
	case n == 0:
		r.emptyReads++
		if r.emptyReads >= maxEmptyReads {
			r.readErr = io.ErrNoProgress
		}
	default:
		r.emptyReads = 0
	}
}

// shift moves every index n bytes towards the front of the buffer.
func (r *SSEReader) shift(n int) {
	r.start -= n
	r.end -= n
	r.lf -= n
	r.lfScanned = max(r.lfScanned-n, 0)
	r.crScanned = max(r.crScanned-n, 0)
}

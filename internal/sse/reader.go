// Package sse reads text/event-stream bodies (server-sent events) by the
// WHATWG HTML standard's rules. The chatbot package re-exports Reader as
// chatbot.SSEReader; the message stream reads its replies with an
// EagerReader.
package sse

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"iter"
	"math"
	"time"
)

// DefaultMaxEventBytes is the most data one event may carry unless a
// reader is told otherwise: 16 MiB. A long reply can come as one event of
// several MiB, and a smaller default would refuse it; the limit costs
// nothing until events that large arrive, because the buffers grow with
// the bytes actually received.
const DefaultMaxEventBytes = 16 << 20

// ErrEventTooLarge is wrapped by the error a reader returns when one
// event, or one line, is larger than its limit. The stream cannot be resumed
// after it.
var ErrEventTooLarge = errors.New("server-sent event too large")

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

// Option changes how a reader reads.
type Option func(*Reader)

// WithMaxEventBytes sets the most data one event may carry (a line may be
// 64 bytes longer, for its field name); past it Next fails with an error
// wrapping ErrEventTooLarge. Values below 1 keep DefaultMaxEventBytes.
func WithMaxEventBytes(n int) Option {
	return func(r *Reader) {
		if n > 0 {
			r.max = min(n, math.MaxInt/2) // room for the line slack without overflow
		}
	}
}

// Reader reads a text/event-stream body as the WHATWG HTML standard
// defines it: LF, CR or CRLF line ends (also when a CR ends one read and
// its LF starts the next); lines starting with ":" are comments (keep-alives);
// "data" lines are joined with "\n"; "event", "id" and "retry" fields; a
// line without a colon is a field with an empty value; one space after the
// colon is dropped; a UTF-8 byte order mark at the very start is skipped;
// unknown fields are ignored. An event is handed over as soon as the blank
// line that ends it has arrived, and an event the body cuts short is
// dropped.
//
// Memory follows the input: the buffers start small and grow only as long
// lines and events arrive, up to about twice the event limit. The work is
// linear in the input however it is split across reads. A Reader is not
// safe for concurrent use.
type Reader struct {
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

	data    []byte
	hasData bool
	typ     []byte
	typeStr string // the last Type handed out, reused while it repeats
	id      string
	retry   time.Duration
	reset   bool // the event buffers are cleared before reading on

	// The early hand-over of EagerReader: eager turns it on, early says
	// the last event was handed over at its first data line, and
	// earlyLine is that line, a view of buf until the next read.
	eager     bool
	early     bool
	earlyLine []byte
}

// initialBufSize is the first read buffer; it grows (up to the line limit)
// only for longer lines.
const initialBufSize = 16 << 10

// fieldSlack is how much longer than the event limit one line may be: room
// for the field name, so that an event of exactly the limit fits.
const fieldSlack = 64

// maxEmptyReads is how many (0, nil) reads in a row are tolerated before
// the reader gives up with io.ErrNoProgress, as bufio does.
const maxEmptyReads = 100

// NewReader returns a reader of the event stream src.
func NewReader(src io.Reader, opts ...Option) *Reader {
	r := new(Reader)
	r.init(src, opts)
	return r
}

func (r *Reader) init(src io.Reader, opts []Option) {
	r.src, r.max, r.lf = src, DefaultMaxEventBytes, -1
	for _, o := range opts {
		o(r)
	}
	r.buf = make([]byte, min(initialBufSize, r.max+fieldSlack+2))
}

// Next returns the next event. At the end of the body it returns io.EOF;
// a failed read returns that read's error (after every complete event
// before it). An event larger than the limit fails with an error wrapping
// ErrEventTooLarge.
func (r *Reader) Next() (Event, error) {
	if r.reset {
		r.data, r.hasData, r.typ, r.reset = r.data[:0], false, r.typ[:0], false
	}
	r.early = false
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
				// put until the next call; EagerReader.Continue copies it.
				if len(value) > r.max {
					return Event{}, r.fail("event data")
				}
				r.hasData, r.early, r.earlyLine = true, true, value
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
func (r *Reader) All() iter.Seq2[Event, error] {
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
func (r *Reader) dispatch() Event {
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

func (r *Reader) fail(what string) error {
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

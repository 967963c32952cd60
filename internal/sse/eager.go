package sse

import "io"

// EagerReader reads events like Reader, with one difference: Next hands an
// event over as soon as its first data line ends, without waiting for the
// blank line that ends the event. When that line turns out not to be the
// whole event, Continue takes it back and the following Next returns the
// event whole, by the usual rules.
//
// It exists for Chat Thing's message stream, whose documentation does not
// say whether events end with one newline or with two. With one newline a
// Reader sees no blank line until the body ends, so it would hold every
// delta back until the reply is complete; an EagerReader hands each delta
// over as its line arrives whichever framing the server uses, and the
// caller, which knows when a payload is complete (a whole JSON value),
// asks for the rest of an event spread over several data lines.
//
// It is a type of its own, rather than an option of Reader, so that the
// Reader the chatbot package exports keeps the standard's behaviour and
// has no method that only makes sense in this mode.
type EagerReader struct {
	r Reader
}

// NewEagerReader returns an eager reader of the event stream src. The
// options are Reader's; the event limit applies to the first line handed
// over early as it does to the whole event.
func NewEagerReader(src io.Reader, opts ...Option) *EagerReader {
	e := new(EagerReader)
	e.r.init(src, opts)
	e.r.eager = true
	return e
}

// Next returns the next event, as Reader.Next does, and reports whether it
// was handed over early: then Data holds the event's first data line alone
// and the rest of the event, if any, has not been read. Data is valid
// until the next call to Next or Continue.
func (e *EagerReader) Next() (ev Event, early bool, err error) {
	ev, err = e.r.Next()
	return ev, e.r.early, err
}

// Continue takes back the event the last call to Next handed over early:
// the next call reads on to the blank line that ends it and returns the
// whole event (the first line included, its data lines joined with "\n"),
// or the error that stops it. After any other event Continue does nothing.
func (e *EagerReader) Continue() {
	r := &e.r
	if r.early {
		// The line is a view of the read buffer, which the next read may
		// overwrite: keep a copy as the event's data so far.
		r.data = append(r.data[:0], r.earlyLine...)
		r.reset, r.early, r.earlyLine = false, false, nil
	}
}

package sse

import (
	"bytes"
	"errors"
	"io"
)

var utf8BOM = []byte{0xEF, 0xBB, 0xBF}

// line returns the next line without its terminator. It is a view into
// the read buffer, valid until the next call.
func (r *Reader) line() ([]byte, error) {
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
func (r *Reader) eol() int {
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
// the front or, when a line fills the whole buffer, by doubling it (never
// beyond what one line may need). The buffer therefore grows only with
// the longest line received so far, not towards the limit.
func (r *Reader) fill() {
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
		err, n = errors.New("SSE source returned an invalid count from Read"), 0
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
func (r *Reader) shift(n int) {
	r.start -= n
	r.end -= n
	r.lf -= n
	r.lfScanned = max(r.lfScanned-n, 0)
	r.crScanned = max(r.crScanned-n, 0)
}

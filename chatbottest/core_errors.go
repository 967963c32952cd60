package chatbottest

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"strconv"
)

// writeJSON sends v as JSON with status.
func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

// writeError sends the fake's error body for message with status.
func (c *core) writeError(w http.ResponseWriter, status int, message string) {
	writeJSON(w, status, c.conf.errorBody(message))
}

// limitBody enforces the body limit, if the fake has one. A body over it
// is refused as soon as that is known: at once when the Content-Length
// says so, without reading a byte of it, else when the bytes read pass
// the limit. A body within it is read whole, so that handlers never meet
// the limit halfway through. It reports whether the request may go on.
func (c *core) limitBody(w http.ResponseWriter, r *http.Request) bool {
	limit := c.conf.bodyLimit
	if limit <= 0 {
		return true
	}
	if r.ContentLength > limit {
		c.refuseBody(w)
		return false
	}
	var body bytes.Buffer
	if r.ContentLength > 0 {
		body.Grow(int(r.ContentLength) + bytes.MinRead) // ReadFrom wants MinRead free to see EOF
	}
	_, err := body.ReadFrom(io.LimitReader(r.Body, limit+1))
	switch {
	case int64(body.Len()) > limit:
		c.refuseBody(w)
		return false
	case err != nil: // the client went away mid-body: nobody to answer
		return false
	}
	r.Body = io.NopCloser(&body)
	return true
}

// refuseBody answers a body over the limit and drops the connection at
// once, leaving the rest of the body unread, as a server that will not
// read it does. A client still sending then sees its write fail
// (connection reset, broken pipe) and may never read this answer.
func (c *core) refuseBody(w http.ResponseWriter) {
	body, _ := json.Marshal(c.conf.errorBody(http.StatusText(http.StatusRequestEntityTooLarge)))
	h := w.Header()
	h.Set("Content-Type", "application/json")
	h.Set("Content-Length", strconv.Itoa(len(body)))
	h.Set("Connection", "close")
	w.WriteHeader(c.conf.tooLargeStatus)
	_, _ = w.Write(body)
	// net/http would drain part of the body and close gently (FIN, then a
	// pause) to spare the client a reset; taking the connection over and
	// closing it is what the real server does instead.
	rc := http.NewResponseController(w)
	if rc.Flush() != nil {
		return
	}
	if conn, _, err := rc.Hijack(); err == nil {
		_ = conn.Close()
	}
}

package chatbottest

import (
	"io"
	"net/http"
)

// Request is one request a fake received, as its request log keeps it.
// ChatThingRequest, BotyardRequest and BotujRequest are other names for
// it.
type Request struct {
	// Method is the HTTP method.
	Method string
	// Path is the URL path, as each fake's Requests describes it: a
	// ChatThing's is relative to the channel prefix, a Botyard's and a
	// Botuj's are whole.
	Path string
	// Query is the raw query string.
	Query string
	// Header is the request's header, with the values of the headers
	// that carry credentials (Authorization, Proxy-Authorization, Cookie,
	// X-API-Secret-Key) replaced by "[redacted]": a test sees that they
	// were sent, not what they said.
	Header http.Header
	// Cookie is the raw Cookie header, kept whole so that a test can check
	// which session a client used: the fake issued that session itself,
	// for this test only. Header keeps only "[redacted]" in its place.
	Cookie string
	// Body is the start of the body, as far as the server read it, at
	// most 1 KiB.
	Body string
	// Status is the status the server answered with, injected faults
	// included; 0 when the client left before any answer (for example
	// during injected latency).
	Status int
}

// maxBodyExcerpt is how much of a request body the log keeps.
const maxBodyExcerpt = 1 << 10

// secretHeaders are the headers whose values the log never keeps.
var secretHeaders = []string{"Authorization", "Proxy-Authorization", "Cookie", "X-Api-Secret-Key"}

// Requests returns the requests received so far, oldest first. A request
// is logged once its response is complete.
func (c *core) Requests() []Request {
	c.cmu.Lock()
	defer c.cmu.Unlock()
	return append([]Request(nil), c.log...)
}

// CountRequests counts the logged requests with this method and path (as
// Request.Path has it).
func (c *core) CountRequests(method, path string) int {
	n := 0
	for _, r := range c.Requests() {
		if r.Method == method && r.Path == path {
			n++
		}
	}
	return n
}

// logged runs next and then logs the request with the status it got.
func (c *core) logged(w http.ResponseWriter, r *http.Request, next http.HandlerFunc) {
	rec := &statusRecorder{ResponseWriter: w}
	body := &bodyExcerpt{ReadCloser: r.Body}
	r.Body = body
	next(rec, r)

	path := r.URL.Path
	if c.conf.logPath != nil {
		path = c.conf.logPath(path)
	}
	header := r.Header.Clone()
	for _, name := range secretHeaders {
		if len(header.Values(name)) > 0 {
			header.Set(name, "[redacted]")
		}
	}
	entry := Request{
		Method: r.Method, Path: path, Query: r.URL.RawQuery, Header: header,
		Cookie: r.Header.Get("Cookie"), Body: string(body.kept), Status: rec.status,
	}
	c.cmu.Lock()
	c.log = append(c.log, entry)
	c.cmu.Unlock()
}

// bodyExcerpt keeps the first bytes read through it.
type bodyExcerpt struct {
	io.ReadCloser
	kept []byte
}

// Read reads from the body, keeping up to maxBodyExcerpt bytes.
func (b *bodyExcerpt) Read(p []byte) (int, error) {
	n, err := b.ReadCloser.Read(p)
	if room := maxBodyExcerpt - len(b.kept); room > 0 {
		b.kept = append(b.kept, p[:min(n, room)]...)
	}
	return n, err
}

// statusRecorder remembers the status written through it (0 when the
// connection was dropped without an answer).
type statusRecorder struct {
	http.ResponseWriter
	status int
}

// WriteHeader records the first status.
func (s *statusRecorder) WriteHeader(code int) {
	if s.status == 0 {
		s.status = code
	}
	s.ResponseWriter.WriteHeader(code)
}

// Write records an implicit 200.
func (s *statusRecorder) Write(p []byte) (int, error) {
	if s.status == 0 {
		s.status = http.StatusOK
	}
	return s.ResponseWriter.Write(p)
}

// Unwrap lets http.ResponseController reach the connection (to flush a
// stream, or hijack it and close it).
func (s *statusRecorder) Unwrap() http.ResponseWriter { return s.ResponseWriter }

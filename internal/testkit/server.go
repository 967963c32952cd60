package testkit

import (
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
)

// Server is a replay server: an httptest server that plays a script of
// exchanges in order. It is safe for concurrent use; requests that arrive
// together are matched in the order the server takes them.
type Server struct {
	t        testing.TB
	defaults Defaults
	srv      *httptest.Server

	mu       sync.Mutex
	script   []*step
	next     int // index in script of the exchange that answers next
	requests []*Request
}

// Serve starts a replay server for exchanges, with no defaults. It stops
// when the test ends, and the test fails then if an exchange was not
// played as many times as it says.
func Serve(t testing.TB, exchanges ...Exchange) *Server {
	t.Helper()
	return Defaults{}.Serve(t, exchanges...)
}

// Serve starts a replay server for exchanges whose every request must
// also meet d.
func (d Defaults) Serve(t testing.TB, exchanges ...Exchange) *Server {
	t.Helper()
	s := &Server{t: t, defaults: d}
	for i, e := range exchanges {
		s.script = append(s.script, prepare(t, i, e))
	}
	s.srv = httptest.NewServer(http.HandlerFunc(s.serve))
	t.Cleanup(s.finish)
	return s
}

// URL is the server's base URL (http://127.0.0.1:port).
func (s *Server) URL() string { return s.srv.URL }

// Client returns an *http.Client set up for the server.
func (s *Server) Client() *http.Client { return s.srv.Client() }

// Requests returns a copy of every request received so far, in order.
func (s *Server) Requests() []Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]Request, len(s.requests))
	for i, r := range s.requests {
		out[i] = r.clone()
	}
	return out
}

func (s *Server) serve(w http.ResponseWriter, hr *http.Request) {
	body, err := io.ReadAll(hr.Body)
	if err != nil {
		s.t.Errorf("testkit: reading the body of %s %s: %v", hr.Method, hr.URL, err)
	}
	r := record(hr, body)
	st, n := s.take(r)
	if st == nil {
		s.t.Errorf("testkit: unexpected request #%d: %s %s (the script has %d exchanges)", n, r.Method, hr.URL.RequestURI(), len(s.script))
		http.Error(w, "testkit: unexpected request", http.StatusTeapot)
		return
	}
	guard(s.t, func(t testing.TB) { st.match(t, &s.defaults, r) })
	st.answer(s.t, w)
}

// take records r and returns the step that answers it (nil when the script
// is over) and r's number.
func (s *Server) take(r *Request) (*step, int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.requests = append(s.requests, r)
	if s.next == len(s.script) {
		return nil, len(s.requests)
	}
	st := s.script[s.next]
	if st.used++; st.used == st.times {
		s.next++
	}
	return st, len(s.requests)
}

// answer writes the step's reply.
func (s *step) answer(t testing.TB, w http.ResponseWriter) {
	if s.Reply.Hangup {
		conn, _, err := http.NewResponseController(w).Hijack()
		if err != nil {
			t.Errorf("testkit: %s: cannot hang up: %v", s.label, err)
			return
		}
		_ = conn.Close()
		return
	}
	for name, values := range s.Reply.Header {
		w.Header()[http.CanonicalHeaderKey(name)] = append([]string(nil), values...)
	}
	if w.Header().Get("Content-Type") == "" {
		w.Header().Set("Content-Type", "application/json")
	}
	status := s.Reply.Status
	if status == 0 {
		status = http.StatusOK
	}
	w.WriteHeader(status)
	_, _ = w.Write(s.body)
}

// finish stops the server, waiting for the requests in flight, and fails
// the test for every exchange that was not played in full.
func (s *Server) finish() {
	s.srv.Close()
	s.mu.Lock()
	defer s.mu.Unlock()
	var missed []string
	for _, st := range s.script[s.next:] {
		missed = append(missed, fmt.Sprintf("%s: %d of %d requests", st.label, st.used, st.times))
	}
	if len(missed) > 0 {
		s.t.Errorf("testkit: requests that never came:\n\t%s", strings.Join(missed, "\n\t"))
	}
}

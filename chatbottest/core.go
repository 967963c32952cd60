package chatbottest

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"
)

// core is the part every fake server shares, embedded in each of them:
// the httptest lifecycle, the request log, the Faults, the body limit,
// the router (an http.ServeMux with Go 1.22 "METHOD /path/{wildcard}"
// patterns), the error writer, and the timers of work a fake schedules
// for later. A fake builds it with newCore, then calls start with a
// function that registers its routes (with register) and keeps the URL
// start returns; its Requests, CountRequests and Close are the core's.
type core struct {
	conf   coreConfig
	faults *Faults
	mux    *http.ServeMux
	srv    *httptest.Server

	closing   chan struct{} // closed by Close: ends waits and stalled responses
	closeOnce sync.Once

	cmu     sync.Mutex // guards log, timers and closed
	log     []Request
	timers  map[*time.Timer]struct{} // scheduled work not started yet
	closed  bool
	running sync.WaitGroup // scheduled work, pending or running
}

// coreConfig is what sets one fake's core apart from another's.
type coreConfig struct {
	// errorBody is the fake's error JSON for a message; it shapes the
	// bodies of writeError, of injected faults and of refused bodies.
	errorBody func(message string) any
	// logPath turns a request path into the one the log keeps: relative
	// to a prefix, say, or with a secret path segment hidden. nil keeps
	// the path as it is.
	logPath func(path string) string
	// noRoute answers a request that no pattern matches; status is 404
	// (unknown path) or 405 (known path, other method). nil leaves the
	// answer to the ServeMux, in plain text.
	noRoute func(w http.ResponseWriter, r *http.Request, status int)
	// bodyLimit caps request bodies (0: no cap). A fake with a cap reads
	// each body whole before routing, as a server that buffers bodies
	// does, and answers one over the cap with tooLargeStatus.
	bodyLimit      int64
	tooLargeStatus int
	// trimSlash routes a path with a trailing slash like the path
	// without it.
	trimSlash bool
}

// newCore returns a core with no routes, not listening yet.
func newCore(cfg coreConfig) *core {
	return &core{
		conf:    cfg,
		faults:  &Faults{},
		mux:     http.NewServeMux(),
		closing: make(chan struct{}),
		timers:  map[*time.Timer]struct{}{},
	}
}

// register routes a ServeMux pattern to h ("GET /v1/bots/{id}"). A GET
// pattern answers HEAD too, without the body.
func (c *core) register(pattern string, h http.HandlerFunc) { c.mux.Handle(pattern, h) }

// start registers the fake's routes with routes, serves the fake on a
// loopback port and returns its base URL.
func (c *core) start(routes func()) string {
	routes()
	c.srv = httptest.NewServer(http.HandlerFunc(c.serve))
	return c.srv.URL
}

// Handler returns the fake's whole handler (request log, faults, routes),
// to serve it some other way than on its own loopback port: on an address
// of your choice, or behind a proxy that rewrites requests. Requests it
// serves are logged and answered like the server's own, from the same
// state. The fake's own server keeps running until Close, which also ends
// what the handler holds open (a stalled stream, a long poll).
func (c *core) Handler() http.Handler { return http.HandlerFunc(c.serve) }

// closedAtEnd registers fake's Close to run when the test ends: what every
// Start function adds to its New.
func closedAtEnd[F interface{ Close() }](tb testing.TB, fake F) F {
	tb.Helper()
	tb.Cleanup(fake.Close)
	return fake
}

// serve is the whole server: the request log outermost (so that injected
// faults and refused bodies are logged too), then the faults, then the
// body limit, then the routes.
func (c *core) serve(w http.ResponseWriter, r *http.Request) {
	c.logged(w, r, func(w http.ResponseWriter, r *http.Request) {
		c.faults.apply(w, r, c.dispatch, c.writeError, c.closing)
	})
}

// dispatch applies the body limit and dispatches to the fake's routes.
func (c *core) dispatch(w http.ResponseWriter, r *http.Request) {
	if !c.limitBody(w, r) {
		return
	}
	routed := r
	if p := r.URL.Path; c.conf.trimSlash && len(p) > 1 && strings.HasSuffix(p, "/") {
		routed = r.WithContext(r.Context())
		u := *r.URL
		u.Path, u.RawPath = strings.TrimSuffix(p, "/"), ""
		routed.URL = &u
	}
	h, pattern := c.mux.Handler(routed)
	if pattern == "" && c.conf.noRoute != nil {
		// The ServeMux knows whether the path exists under another method
		// but says so only in the answer of its own handler: ask it.
		probe := httptest.NewRecorder()
		h.ServeHTTP(probe, routed)
		c.conf.noRoute(w, r, probe.Code)
		return
	}
	c.mux.ServeHTTP(w, routed)
}

// after runs f once d has passed, unless the fake is closed first. It
// reports whether f was scheduled (false once the fake is closed).
func (c *core) after(d time.Duration, f func()) bool {
	c.cmu.Lock()
	defer c.cmu.Unlock()
	if c.closed {
		return false
	}
	c.running.Add(1)
	var t *time.Timer
	t = time.AfterFunc(d, func() {
		defer c.running.Done()
		c.cmu.Lock()
		_, pending := c.timers[t]
		delete(c.timers, t)
		c.cmu.Unlock()
		if pending { // Close stopped it too late to keep it from firing
			f()
		}
	})
	c.timers[t] = struct{}{}
	return true
}

// wait sleeps d (forever when d < 0) and reports whether it did so without
// the client leaving or the fake closing.
func (c *core) wait(r *http.Request, d time.Duration) bool {
	if d == 0 {
		return true
	}
	var timeout <-chan time.Time
	if d > 0 {
		t := time.NewTimer(d)
		defer t.Stop()
		timeout = t.C
	}
	select {
	case <-timeout:
		return true
	case <-r.Context().Done():
	case <-c.closing:
	}
	return false
}

// Close shuts the server down and leaves nothing running: scheduled work
// that has not started is dropped, work that has started is waited for,
// stalled responses end, and open connections (a request sitting in
// injected latency, say) are closed, which cancels their handlers. It is
// safe to call more than once.
func (c *core) Close() {
	c.closeOnce.Do(func() {
		c.cmu.Lock()
		c.closed = true
		for t := range c.timers {
			if t.Stop() {
				c.running.Done()
			}
		}
		clear(c.timers)
		c.cmu.Unlock()
		close(c.closing)
		c.running.Wait()
		if c.srv != nil {
			c.srv.CloseClientConnections()
			c.srv.Close()
		}
	})
}

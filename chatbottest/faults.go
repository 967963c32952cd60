package chatbottest

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"time"
)

// Faults injects failures into a fake server. The zero value injects
// nothing; it is safe for concurrent use.
type Faults struct {
	mu      sync.Mutex
	rules   []*faultRule
	latency time.Duration
}

type faultRule struct {
	remaining   int
	status      int
	path        string // "" = any path; else a suffix of the request path
	retryAfter  string
	body        string
	contentType string
	after       bool // let the real handler act first
}

// FaultOption refines a FailNext rule.
type FaultOption func(*faultRule)

// OnPath limits the rule to requests whose path ends with suffix (for
// example "/message").
func OnPath(suffix string) FaultOption { return func(r *faultRule) { r.path = suffix } }

// WithRetryAfter sends a Retry-After header with the failure ("1", or an
// HTTP date).
func WithRetryAfter(v string) FaultOption { return func(r *faultRule) { r.retryAfter = v } }

// WithBody replaces the default JSON error body, for example with a
// non-JSON text or HTML page.
func WithBody(body, contentType string) FaultOption {
	return func(r *faultRule) { r.body, r.contentType = body, contentType }
}

// AfterHandling lets the server act on the request first (store the
// message, create the row) and only then answers with the failure: what a
// gateway timing out in front of a working server looks like, and the case
// where a client must not retry a send.
func AfterHandling() FaultOption { return func(r *faultRule) { r.after = true } }

// FailNext makes the next n matching requests fail with status (n <= 0
// adds nothing). Rules are used in the order they were added.
func (f *Faults) FailNext(n int, status int, opts ...FaultOption) {
	if n <= 0 {
		return
	}
	r := &faultRule{remaining: n, status: status}
	for _, o := range opts {
		o(r)
	}
	f.mu.Lock()
	f.rules = append(f.rules, r)
	f.mu.Unlock()
}

// SetLatency delays every response by d (0 removes the delay). The delay
// ends early when the client gives up on the request, and, in a fake of
// this package, when the fake is closed, even for a request served
// through its Handler on a server of one's own: that request's
// connection is dropped, as the fake's own server drops its connections.
func (f *Faults) SetLatency(d time.Duration) {
	f.mu.Lock()
	f.latency = d
	f.mu.Unlock()
}

// Reset removes every pending fault and the latency.
func (f *Faults) Reset() {
	f.mu.Lock()
	f.rules, f.latency = nil, 0
	f.mu.Unlock()
}

// take returns the rule that applies to r, consuming one use of it.
func (f *Faults) take(r *http.Request) (*faultRule, time.Duration) {
	f.mu.Lock()
	defer f.mu.Unlock()
	for i, rule := range f.rules {
		if rule.path != "" && !strings.HasSuffix(r.URL.Path, rule.path) {
			continue
		}
		rule.remaining--
		if rule.remaining <= 0 {
			f.rules = append(f.rules[:i:i], f.rules[i+1:]...)
		}
		cp := *rule
		return &cp, f.latency
	}
	return nil, f.latency
}

// Wrap puts the faults in front of next, for a handler of one's own:
// latency first, then a failure if a rule matches. An injected failure
// without WithBody answers {"success":false,"message":"injected fault"}.
// The fakes of this package apply their Faults themselves, with their
// own error shape.
func (f *Faults) Wrap(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		f.apply(w, r, next.ServeHTTP, func(w http.ResponseWriter, status int, message string) {
			writeJSON(w, status, map[string]any{"success": false, "message": message})
		}, nil)
	})
}

// apply serves r through next under the faults: it waits out the latency,
// then answers the matching rule's failure, if any, writing the default
// body with writeError. closing (nil outside a fake) is closed when the
// fake closes: a request waiting out the latency then has its connection
// dropped, so that no handler outlives the fake, not even one served
// through Handler on a server the fake does not close.
func (f *Faults) apply(w http.ResponseWriter, r *http.Request, next http.HandlerFunc, writeError func(http.ResponseWriter, int, string), closing <-chan struct{}) {
	rule, delay := f.take(r)
	if delay > 0 {
		t := time.NewTimer(delay)
		select {
		case <-t.C:
		case <-r.Context().Done():
			t.Stop()
			return
		case <-closing:
			t.Stop()
			panic(http.ErrAbortHandler) // net/http drops the connection quietly
		}
	}
	if rule == nil {
		next(w, r)
		return
	}
	if rule.after {
		next(httptest.NewRecorder(), r) // its answer is lost, as behind a failing gateway
	}
	if rule.retryAfter != "" {
		w.Header().Set("Retry-After", rule.retryAfter)
	}
	if rule.body == "" {
		writeError(w, rule.status, "injected fault")
		return
	}
	if rule.contentType != "" {
		w.Header().Set("Content-Type", rule.contentType)
	}
	w.WriteHeader(rule.status)
	_, _ = w.Write([]byte(rule.body))
}

package testkit

import (
	"net/http"
	"slices"
	"testing"

	"github.com/stretchr/testify/assert"
)

// Defaults holds what every request to a server must show on top of its
// exchange: the headers a platform sends on every call, for one. An
// exchange's own Header wins over a default for the same name, and a
// header an exchange requires is no longer required absent.
type Defaults struct {
	// Header lists headers every request must carry, each with exactly
	// this one value.
	Header map[string]string
	// NoHeader lists headers every request must lack.
	NoHeader []string
	// Check, when set, runs on every request that matched an exchange.
	Check func(t testing.TB, r *Request)
}

// match asserts that r is what s expects, failing t (but not stopping
// it) for each difference.
func (s *step) match(t testing.TB, d *Defaults, r *Request) {
	t.Helper()
	at := s.label
	assert.Equal(t, s.Method, r.Method, "%s: method", at)
	assert.Equal(t, s.Path, r.Path, "%s: path", at)
	s.matchQuery(t, r)

	want, absent := s.headers(d)
	for name, value := range want {
		assert.Equal(t, []string{value}, r.Header.Values(name), "%s: header %s", at, name)
	}
	for _, name := range absent {
		assert.Empty(t, r.Header.Values(name), "%s: header %s must be absent", at, name)
	}

	switch {
	case s.JSON != "":
		assert.JSONEq(t, s.JSON, string(r.Body), "%s: JSON body", at)
	case s.Body != nil:
		s.Body(t, r)
	default:
		assert.Empty(t, string(r.Body), "%s: body must be empty", at)
	}
	if d.Check != nil {
		d.Check(t, r)
	}
	if s.Check != nil {
		s.Check(t, r)
	}
}

func (s *step) matchQuery(t testing.TB, r *Request) {
	t.Helper()
	switch {
	case s.Query != nil:
		assert.Equal(t, s.Query, r.Query(), "%s: query %q", s.label, r.RawQuery)
	case s.QueryHas != nil:
		got := r.Query()
		for name, values := range s.QueryHas {
			assert.Equal(t, values, got[name], "%s: query parameter %s in %q", s.label, name, r.RawQuery)
		}
	default: // RawQuery, empty or not
		assert.Equal(t, s.RawQuery, r.RawQuery, "%s: query", s.label)
	}
}

// headers merges the defaults with the exchange: the headers that must
// be present (canonical names) and those that must be absent.
func (s *step) headers(d *Defaults) (want map[string]string, absent []string) {
	want = map[string]string{}
	for name, v := range d.Header {
		want[http.CanonicalHeaderKey(name)] = v
	}
	if s.JSON != "" {
		want["Content-Type"] = "application/json"
	}
	for name, v := range s.Header {
		want[http.CanonicalHeaderKey(name)] = v
	}
	for _, name := range slices.Concat(d.NoHeader, s.NoHeader) {
		name = http.CanonicalHeaderKey(name)
		if _, required := want[name]; !required && !slices.Contains(absent, name) {
			absent = append(absent, name)
		}
	}
	return want, absent
}

// ExactBody returns an Exchange.Body that requires exactly this body.
func ExactBody(want string) func(t testing.TB, r *Request) {
	return func(t testing.TB, r *Request) {
		t.Helper()
		assert.Equal(t, want, string(r.Body), "body")
	}
}

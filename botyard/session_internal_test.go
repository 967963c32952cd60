package botyard

import (
	"net/http"
	"net/url"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// roundTripFunc is an http.RoundTripper made of a function.
type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

// TestSessionTransportSendsOneToken: a request that already carries a
// "token" cookie (set by whoever built it) goes out with the session's
// token only, its other cookies kept, and the caller's request unchanged.
func TestSessionTransportSendsOneToken(t *testing.T) {
	base, err := url.Parse("http://botyard.test")
	require.NoError(t, err)
	var got *http.Request
	next := roundTripFunc(func(r *http.Request) (*http.Response, error) {
		got = r
		return &http.Response{StatusCode: http.StatusOK, Header: http.Header{}, Body: http.NoBody, Request: r}, nil
	})
	rt := &sessionTransport{next: next, session: newSession(base, "ours")}
	req, err := http.NewRequest(http.MethodGet, "http://botyard.test/v1/client-api/user", nil)
	require.NoError(t, err)
	req.Header.Set("Cookie", "token=stale; theme=dark")
	resp, err := rt.RoundTrip(req)
	require.NoError(t, err)
	resp.Body.Close()

	assert.Equal(t, "theme=dark; token=ours", got.Header.Get("Cookie"))
	assert.Equal(t, "token=stale; theme=dark", req.Header.Get("Cookie"), "the caller's request is not changed")
}

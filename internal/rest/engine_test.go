package rest

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func newEngine(t *testing.T, url string, mutate func(*Config)) *Engine {
	t.Helper()
	cfg := Defaults()
	cfg.BaseURL = url
	cfg.MinBackoff, cfg.MaxBackoff = time.Millisecond, time.Millisecond
	if mutate != nil {
		mutate(cfg)
	}
	e, err := New(cfg)
	require.NoError(t, err)
	return e
}

func TestOpenTimeoutCoversHeadersOnly(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusOK)
		w.(http.Flusher).Flush()
		select {
		case <-time.After(300 * time.Millisecond):
		case <-r.Context().Done():
			return
		}
		_, _ = io.WriteString(w, "late but fine")
	}))
	defer srv.Close()
	e := newEngine(t, srv.URL, func(c *Config) { c.Timeout = 100 * time.Millisecond })
	resp, err := e.Open(context.Background(), &Request{Op: "stream", Method: http.MethodGet, Path: "/s"})
	require.NoError(t, err)
	body, err := io.ReadAll(resp.Body)
	require.NoError(t, err, "the call timeout must not cut a healthy stream")
	assert.Equal(t, "late but fine", string(body))
	require.NoError(t, resp.Body.Close())
}

func TestOpenTimeoutBeforeHeaders(t *testing.T) {
	release := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-release:
		case <-r.Context().Done():
		}
	}))
	defer srv.Close()
	defer close(release)
	e := newEngine(t, srv.URL, func(c *Config) { c.Timeout = 50 * time.Millisecond; c.MaxAttempts = 1 })
	start := time.Now()
	_, err := e.Open(context.Background(), &Request{Op: "stream", Method: http.MethodGet, Path: "/s"})
	require.ErrorIs(t, err, context.DeadlineExceeded)
	assert.Less(t, time.Since(start), time.Second)
}

func TestOpenNon2xxIsFailure(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusForbidden)
		_, _ = io.WriteString(w, `{"message":"wrong key"}`)
	}))
	defer srv.Close()
	var got Failure
	old := ErrorBuilder
	ErrorBuilder = func(f Failure) error { got = f; return old(f) }
	defer func() { ErrorBuilder = old }()
	e := newEngine(t, srv.URL, nil)
	_, err := e.Open(context.Background(), &Request{Op: "stream", Method: http.MethodPost, Path: "/s", JSON: map[string]bool{"stream": true}})
	require.Error(t, err)
	assert.Equal(t, http.StatusForbidden, got.StatusCode)
	assert.Equal(t, "wrong key", got.Message)
	assert.Equal(t, "stream", got.Op)
}

func TestDoTimeoutBoundsRetries(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Retry-After", "5")
		w.WriteHeader(http.StatusServiceUnavailable)
	}))
	defer srv.Close()
	e := newEngine(t, srv.URL, func(c *Config) { c.Timeout = 100 * time.Millisecond })
	start := time.Now()
	err := e.Do(context.Background(), &Request{Op: "get", Method: http.MethodGet, Path: "/x"}, nil)
	require.ErrorIs(t, err, context.DeadlineExceeded)
	assert.Less(t, time.Since(start), time.Second)
}

func TestNewRejectsBadBaseURL(t *testing.T) {
	for _, u := range []string{"", "example.com", "ftp://example.com", "http://"} {
		cfg := Defaults()
		cfg.BaseURL = u
		_, err := New(cfg)
		assert.Error(t, err, u)
	}
}

func TestPathEscapesAndRejects(t *testing.T) {
	p, err := Path(Lit("v1/chat"), ID("chatID", "a/b c?d#e"), Lit("messages"))
	require.NoError(t, err)
	assert.Equal(t, "/v1/chat/a%2Fb%20c%3Fd%23e/messages", p)
	for _, bad := range []string{"", "  ", ".", "..", "a\nb", "a\x00"} {
		_, err := Path(Lit("x"), ID("id", bad))
		assert.Error(t, err, "%q", bad)
	}
}

func TestUserAgentAndHeaders(t *testing.T) {
	var got http.Header
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got = r.Header.Clone()
		_, _ = io.WriteString(w, `{}`)
	}))
	defer srv.Close()
	e := newEngine(t, srv.URL, func(c *Config) {
		c.UserAgentSuffix = "myapp/1.0"
		c.Header.Set("X-Static", "s")
	})
	err := e.Do(context.Background(), &Request{Op: "get", Method: http.MethodGet, Path: "/x",
		Header: http.Header{"X-Call": {"c"}}}, nil)
	require.NoError(t, err)
	assert.Regexp(t, `^chatbot-go/`+Version+` go/go\S+ myapp/1\.0$`, got.Get("User-Agent"))
	assert.Equal(t, "s", got.Get("X-Static"))
	assert.Equal(t, "c", got.Get("X-Call"))
	assert.Equal(t, "application/json", got.Get("Accept"))
	assert.Empty(t, got.Get("Content-Type"))
}

package rest

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
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
		w.WriteHeader(http.StatusServiceUnavailable)
	}))
	defer srv.Close()
	e := newEngine(t, srv.URL, func(c *Config) {
		c.Timeout = 100 * time.Millisecond
		c.MinBackoff, c.MaxBackoff = 5*time.Second, 5*time.Second
	})
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

func TestRedirectsStayOnTheBaseOrigin(t *testing.T) {
	var leaked atomic.Value
	other := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		leaked.Store(r.Header.Get("X-Secret"))
		_, _ = io.WriteString(w, `{}`)
	}))
	defer other.Close()
	var sameOriginHits atomic.Int32
	home := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/away":
			http.Redirect(w, r, other.URL+"/stolen", http.StatusTemporaryRedirect)
		case "/moved":
			http.Redirect(w, r, "/here", http.StatusMovedPermanently)
		case "/here":
			sameOriginHits.Add(1)
			assert.Equal(t, "k", r.Header.Get("X-Secret"))
			_, _ = io.WriteString(w, `{}`)
		}
	}))
	defer home.Close()
	var got Failure
	old := ErrorBuilder
	ErrorBuilder = func(f Failure) error { got = f; return old(f) }
	defer func() { ErrorBuilder = old }()
	e := newEngine(t, home.URL, func(c *Config) { c.Header.Set("X-Secret", "k") })

	require.NoError(t, e.Do(context.Background(), &Request{Op: "moved", Method: http.MethodGet, Path: "/moved"}, nil))
	assert.EqualValues(t, 1, sameOriginHits.Load(), "a redirect on the same origin is followed")

	err := e.Do(context.Background(), &Request{Op: "away", Method: http.MethodPost, Path: "/away", JSON: map[string]int{"a": 1}}, nil)
	require.Error(t, err)
	assert.Equal(t, http.StatusTemporaryRedirect, got.StatusCode)
	assert.Nil(t, leaked.Load(), "the credential header never reaches another host")
}

func TestFailuresKeepTheCallersIdleConnections(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusServiceUnavailable)
	}))
	defer srv.Close()
	ct := &closeCounter{RoundTripper: http.DefaultTransport}
	e := newEngine(t, srv.URL, func(c *Config) { c.HTTPClient = &http.Client{Transport: ct}; c.MaxAttempts = 2 })
	require.Error(t, e.Do(context.Background(), &Request{Op: "x", Method: http.MethodGet, Path: "/"}, nil))
	assert.Zero(t, ct.closes.Load(), "giving up must not empty a shared pool")
}

type closeCounter struct {
	http.RoundTripper
	closes atomic.Int32
}

func (c *closeCounter) CloseIdleConnections() { c.closes.Add(1) }

func TestLargeErrorBodyKeepsItsStatus(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusInternalServerError)
		_, _ = io.WriteString(w, strings.Repeat("x", 4096))
	}))
	defer srv.Close()
	var got Failure
	old := ErrorBuilder
	ErrorBuilder = func(f Failure) error { got = f; return old(f) }
	defer func() { ErrorBuilder = old }()
	e := newEngine(t, srv.URL, func(c *Config) { c.MaxResponseBytes = 1000 })
	require.Error(t, e.Do(context.Background(), &Request{Op: "x", Method: http.MethodGet, Path: "/"}, nil))
	assert.Equal(t, http.StatusInternalServerError, got.StatusCode)
	assert.Len(t, got.Body, 1000, "the body cut at the limit")
}

func TestOpenTimeoutCoversAStalledErrorBody(t *testing.T) {
	release := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusInternalServerError)
		_, _ = io.WriteString(w, `{"message":`)
		w.(http.Flusher).Flush()
		select {
		case <-release:
		case <-r.Context().Done():
		}
	}))
	defer srv.Close()
	defer close(release)
	e := newEngine(t, srv.URL, func(c *Config) { c.Timeout = 100 * time.Millisecond })
	start := time.Now()
	_, err := e.Open(context.Background(), &Request{Op: "stream", Method: http.MethodPost, Path: "/s"})
	require.ErrorIs(t, err, context.DeadlineExceeded)
	assert.Less(t, time.Since(start), 2*time.Second)
}

func TestExcerptsNeverKeepPartOfASecret(t *testing.T) {
	const secret = "0123456789abcdefSECRET"
	e := newEngine(t, "http://example.com", func(c *Config) { c.Secrets = []string{secret} })
	for cut := 0; cut <= len(secret); cut++ {
		// The secret straddles the 120-byte cut at every position.
		body := []byte(strings.Repeat("x", 120-cut) + secret + strings.Repeat("y", 50))
		got := e.Snippet(body)
		for i := 4; i <= len(secret); i++ {
			assert.NotContains(t, got, secret[:i], "cut %d", cut)
		}
	}
	long := []byte(strings.Repeat("m", maxErrorMessage-3) + secret)
	resp := &http.Response{StatusCode: 500, Header: http.Header{}, Request: httptest.NewRequest(http.MethodGet, "http://example.com/x", nil)}
	f := e.newFailure("op", resp, long, 1)
	assert.NotContains(t, f.Message, secret[:4])
	assert.NotContains(t, f.Body, secret[:4])
}

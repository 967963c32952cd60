package rest

import (
	"context"
	"github.com/chatbot-sdk/chatbot-go/internal/apierr"
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

// configure is a test's client option.
type configure func(*Config)

func (f configure) ApplyClient(c *Config) error { f(c); return nil }

// newEngine builds an engine for a plain JSON platform at url; mutate
// changes the settings as options would, platform the platform.
func newEngine(t *testing.T, url string, mutate func(*Config), platform ...func(*Platform)) *Engine {
	t.Helper()
	p := Platform{Name: "test", BaseURL: url}
	for _, f := range platform {
		f(&p)
	}
	opts := []configure{func(c *Config) { c.MinBackoff, c.MaxBackoff = time.Millisecond, time.Millisecond }}
	if mutate != nil {
		opts = append(opts, mutate)
	}
	e, err := NewEngine(p, opts)
	require.NoError(t, err)
	return e
}

// apiError returns err as an *apierr.APIError, failing the test otherwise.
func apiError(t *testing.T, err error) *apierr.APIError {
	t.Helper()
	var api *apierr.APIError
	require.ErrorAs(t, err, &api)
	return api
}

// The body is held back until well past the timeout, which itself leaves
// the headers a wide margin: the test asserts the mechanism, not the
// machine's speed.
func TestOpenTimeoutCoversHeadersOnly(t *testing.T) {
	const timeout = 2 * time.Second
	release := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusOK)
		w.(http.Flusher).Flush()
		select {
		case <-release:
		case <-r.Context().Done():
			return
		}
		_, _ = io.WriteString(w, "late but fine")
	}))
	defer srv.Close()
	e := newEngine(t, srv.URL, func(c *Config) { c.Timeout = timeout })
	resp, err := e.Open(context.Background(), &Request{Op: "stream", Method: http.MethodGet, Path: "/s"})
	require.NoError(t, err)
	<-time.After(timeout + timeout/2) // the call's deadline would have fired by now
	close(release)
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
	e := newEngine(t, srv.URL, nil)
	_, err := e.Open(context.Background(), &Request{Op: "stream", Method: http.MethodPost, Path: "/s", JSON: map[string]bool{"stream": true}})
	got := apiError(t, err)
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
	for _, u := range []string{"", "example.com", "ftp://example.com", "http://", "http://u:p@h", "http://h/?q=1", "http://h/#f", "http://h/%zz"} {
		_, err := NewEngine(Platform{Name: "test", BaseURL: u}, []configure(nil))
		var ve *apierr.ValidationError
		require.ErrorAs(t, err, &ve, u)
		assert.Equal(t, "base URL", ve.Field)
		assert.True(t, strings.HasPrefix(err.Error(), "test: invalid base URL: "), err.Error())
	}
}

func TestNewRedactsTheBaseURLItRefuses(t *testing.T) {
	const token = "tok en:ü+1"
	_, err := NewEngine(Platform{Name: "test", BaseURL: "ftp://h/" + token, Prefix: []Segment{SecretSegment("token", token)}}, []configure(nil))
	require.Error(t, err)
	assert.NotContains(t, err.Error(), token)
	assert.Contains(t, err.Error(), "{token}")
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
	e := newEngine(t, home.URL, nil, func(p *Platform) { p.Header = http.Header{"X-Secret": {"k"}} })

	require.NoError(t, e.Do(context.Background(), &Request{Op: "moved", Method: http.MethodGet, Path: "/moved"}, nil))
	assert.EqualValues(t, 1, sameOriginHits.Load(), "a redirect on the same origin is followed")

	err := e.Do(context.Background(), &Request{Op: "away", Method: http.MethodPost, Path: "/away", JSON: map[string]int{"a": 1}}, nil)
	assert.Equal(t, http.StatusTemporaryRedirect, apiError(t, err).StatusCode)
	assert.Nil(t, leaked.Load(), "the credential header never reaches another host")
}

func TestFailuresKeepTheCallersIdleConnections(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusServiceUnavailable)
	}))
	defer srv.Close()
	ct := &closeCounter{RoundTripper: http.DefaultTransport}
	e := newEngine(t, srv.URL, func(c *Config) { c.SetHTTPClient(&http.Client{Transport: ct}); c.MaxAttempts = 2 })
	require.Error(t, e.Do(context.Background(), &Request{Op: "x", Method: http.MethodGet, Path: "/"}, nil))
	assert.Zero(t, ct.closes.Load(), "giving up must not empty a shared pool")
	e.Close()
	assert.Zero(t, ct.closes.Load(), "Close leaves the caller's transport alone")
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
	e := newEngine(t, srv.URL, func(c *Config) { c.MaxResponseBytes = 1000 })
	got := apiError(t, e.Do(context.Background(), &Request{Op: "x", Method: http.MethodGet, Path: "/"}, nil))
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
	e := newEngine(t, "http://example.com", nil, func(p *Platform) { p.Secrets = []string{secret} })
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
	f := apiError(t, e.failure("op", resp, long, 1, ""))
	assert.NotContains(t, f.Message, secret[:4])
	assert.NotContains(t, f.Body, secret[:4])
}

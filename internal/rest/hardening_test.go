package rest_test

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/chatbot-sdk/chatbot-go/internal/apierr"
	"github.com/chatbot-sdk/chatbot-go/internal/rest"
	"github.com/chatbot-sdk/chatbot-go/internal/testkit"
)

// rawServer answers every connection with reply, whatever was asked, and
// closes it: for the malformed answers net/http's server will not send.
func rawServer(t *testing.T, reply string) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	done := make(chan struct{})
	go func() {
		defer close(done)
		for {
			conn, err := ln.Accept()
			if err != nil {
				return
			}
			_, _ = http.ReadRequest(bufio.NewReader(conn))
			_, _ = io.WriteString(conn, reply)
			_ = conn.Close()
		}
	}()
	t.Cleanup(func() { ln.Close(); <-done })
	return "http://" + ln.Addr().String()
}

func headerEngine(t *testing.T, base, secret string) *rest.Engine {
	t.Helper()
	e, err := rest.NewEngine(rest.Platform{Name: "test", BaseURL: base,
		Header: http.Header{"X-Key": {secret}}, Secrets: []string{secret}},
		[]rest.ClientOption{attempts(1)})
	require.NoError(t, err)
	return e
}

type attempts int

func (a attempts) ApplyClient(c *rest.Config) error { c.MaxAttempts = int(a); return nil }

// Issue: a server that echoes the key as a malformed header line got a
// redacted Error(), but net/http's cause two Unwraps down quoted it.
func TestNoErrorInTheChainQuotesTheSecret(t *testing.T) {
	const secret = "k3y-in-a-header-line"
	base := rawServer(t, "HTTP/1.1 200 OK\r\n"+secret+"\r\n\r\n")
	err := headerEngine(t, base, secret).Do(context.Background(), &rest.Request{Op: "Get", Method: http.MethodGet, Path: "/x"}, nil)
	var te *apierr.TransportError
	require.ErrorAs(t, err, &te)
	testkit.AssertNoSecret(t, secret, err)
	assert.Contains(t, err.Error(), "malformed MIME header", "the cause is still described")
}

// Sealing a cause keeps errors.Is answering for the hidden chain.
func TestSealedCausesStillAnswerErrorsIs(t *testing.T) {
	const secret = "k3y-behind-a-slow-server"
	base := rawServer(t, "HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n"+secret)
	err := headerEngine(t, base, secret).Do(context.Background(), &rest.Request{Op: "Get", Method: http.MethodGet, Path: "/x"}, nil)
	require.Error(t, err)
	assert.ErrorIs(t, err, io.ErrUnexpectedEOF)
	testkit.AssertNoSecret(t, secret, err)
}

// Issue: DecodeError.Err carried body text unredacted (an all-digit secret
// echoed as a JSON number).
func TestDecodeErrorCauseIsRedacted(t *testing.T) {
	const secret = "98765432109876543210"
	base := rawServer(t, "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 30\r\n\r\n"+`{"n":`+secret+`}    `)
	var out struct {
		N bool `json:"n"`
	}
	err := headerEngine(t, base, secret).Do(context.Background(), &rest.Request{Op: "Get", Method: http.MethodGet, Path: "/x"}, &out)
	var de *apierr.DecodeError
	require.ErrorAs(t, err, &de)
	testkit.AssertNoSecret(t, secret, err)
	assert.Contains(t, de.Err.Error(), "cannot unmarshal", "the decoder's reason is kept")
}

// Issue: a Content-Length lie made the reader allocate what was announced
// (512 MiB for a 33-byte body) before failing.
func TestAnnouncedLengthIsNotPreallocated(t *testing.T) {
	body := `{"a":"only thirty-three bytes"}` + "\n\n"
	base := rawServer(t, fmt.Sprintf("HTTP/1.1 200 OK\r\nContent-Length: %d\r\n\r\n%s", 512<<20, body))
	e, err := rest.NewEngine(rest.Platform{Name: "test", BaseURL: base}, []rest.ClientOption{attempts(1), maxBody(1 << 30)})
	require.NoError(t, err)
	runtime.GC()
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	err = e.Do(context.Background(), &rest.Request{Op: "Get", Method: http.MethodGet, Path: "/x"}, nil)
	runtime.ReadMemStats(&after)
	require.ErrorIs(t, err, io.ErrUnexpectedEOF)
	assert.Less(t, after.TotalAlloc-before.TotalAlloc, uint64(16<<20), "allocation follows the bytes that arrived")
}

type maxBody int64

func (m maxBody) ApplyClient(c *rest.Config) error { c.MaxResponseBytes = int64(m); return nil }

func TestCredentialsWithControlCharactersAreRefused(t *testing.T) {
	check := rest.Checker{Pkg: "test"}
	for _, bad := range []string{"", "a\r\nb", "a\nb", "a\tb", "a\x00b", "a\x7fb"} {
		err := check.Credential("key", bad)
		var ve *apierr.ValidationError
		require.ErrorAs(t, err, &ve, "%q", bad)
		assert.False(t, strings.Contains(err.Error(), bad) && bad != "", "the refused value is not echoed")
	}
	assert.NoError(t, check.Credential("key", "ok-key_123.=+/"))
}

// Review: NewClient panicked when a program had wrapped
// http.DefaultTransport (httpmock, otelhttp).
func TestAWrappedDefaultTransportIsUsedNotAsserted(t *testing.T) {
	calls := 0
	orig := http.DefaultTransport
	http.DefaultTransport = roundTrip(func(r *http.Request) (*http.Response, error) {
		calls++
		return &http.Response{StatusCode: 200, Header: http.Header{}, Body: io.NopCloser(strings.NewReader(`{}`)), Request: r}, nil
	})
	defer func() { http.DefaultTransport = orig }()
	e, err := rest.NewEngine(rest.Platform{Name: "test", BaseURL: "http://example.test"}, []rest.ClientOption(nil))
	require.NoError(t, err)
	require.NoError(t, e.Do(context.Background(), &rest.Request{Op: "Get", Method: http.MethodGet, Path: "/"}, nil))
	assert.Equal(t, 1, calls, "the program's wrapper carried the call")
}

type roundTrip func(*http.Request) (*http.Response, error)

func (f roundTrip) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

// Review: the client's own WithTimeout was not weighed against a
// Retry-After, so the call slept into a bare DeadlineExceeded.
func TestRetryAfterPastTheClientTimeoutReturnsTheAnswer(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Retry-After", "30")
		w.WriteHeader(http.StatusTooManyRequests)
	}))
	defer srv.Close()
	e, err := rest.NewEngine(rest.Platform{Name: "test", BaseURL: srv.URL}, []rest.ClientOption{timeout(2 * time.Second)})
	require.NoError(t, err)
	start := time.Now()
	err = e.Do(context.Background(), &rest.Request{Op: "Get", Method: http.MethodGet, Path: "/", Idempotent: true}, nil)
	var api *apierr.APIError
	require.ErrorAs(t, err, &api)
	assert.Equal(t, 30*time.Second, api.RetryAfter)
	assert.Less(t, time.Since(start), time.Second, "returned at once, not after the timeout")
}

type timeout time.Duration

func (d timeout) ApplyClient(c *rest.Config) error { c.Timeout = time.Duration(d); return nil }

// Review: a one-shot body was re-sent empty after a same-origin 307.
func TestAOneShotBodyIsNotReplayedOnARedirect(t *testing.T) {
	var bodies []string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		bodies = append(bodies, string(b))
		if r.URL.Path == "/up" {
			http.Redirect(w, r, "/moved", http.StatusTemporaryRedirect)
		}
	}))
	defer srv.Close()
	e, err := rest.NewEngine(rest.Platform{Name: "test", BaseURL: srv.URL}, []rest.ClientOption(nil))
	require.NoError(t, err)
	err = e.Do(context.Background(), &rest.Request{Op: "Up", Method: http.MethodPost, Path: "/up", Body: strings.NewReader("the file's bytes")}, nil)
	var api *apierr.APIError
	require.ErrorAs(t, err, &api, "the 307 comes back: the body cannot be sent twice")
	assert.Equal(t, http.StatusTemporaryRedirect, api.StatusCode)
	assert.Equal(t, []string{"the file's bytes"}, bodies)
}

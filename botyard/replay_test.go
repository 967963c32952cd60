package botyard_test

import (
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/chatbot-sdk/chatbot-go"
	"github.com/chatbot-sdk/chatbot-go/botyard"
)

// Recorded IDs (shared/api/botyard.md §10).
const (
	testBotID = "01m842a8g83wvv3hz4v0fhwbm8"
	echoBotID = "01m842a8g83wvv3hz4v0mvt5v5"
	aliceID   = "01m842a8g83wvv3hz4vgkgmk8f"
	mainChat  = "01m842a8g83wvv3hz4w1vtcs6e"
	bobChat   = "01m842a8g83wvv3hz4w4thj8en"
)

// exchange is one expected request and the recorded answer to it.
type exchange struct {
	method, path, query string
	// cookie is the exact Cookie header expected ("" = none).
	cookie string
	// json is the exact JSON body expected (compared with JSONEq); "" = no body.
	json string
	// check looks at the request further (multipart bodies).
	check func(t *testing.T, r *http.Request)

	status    int
	fixture   string // file in testdata/botyard, without .json
	body      []byte // the answer, when it is not a recorded fixture
	setCookie string // token value to set, "" = none
}

// replay serves the exchanges in order and fails the test on any request
// that differs from the expected one.
type replay struct {
	t    *testing.T
	srv  *httptest.Server
	mu   sync.Mutex
	next []exchange
}

func newReplay(t *testing.T, steps ...exchange) *replay {
	t.Helper()
	r := &replay{t: t, next: steps}
	r.srv = httptest.NewServer(http.HandlerFunc(r.serve))
	t.Cleanup(func() {
		r.srv.Close()
		r.mu.Lock()
		defer r.mu.Unlock()
		assert.Empty(t, r.next, "expected requests that never came")
	})
	return r
}

func (r *replay) serve(w http.ResponseWriter, req *http.Request) {
	t := r.t
	r.mu.Lock()
	if len(r.next) == 0 {
		r.mu.Unlock()
		t.Errorf("unexpected request %s %s", req.Method, req.URL)
		w.WriteHeader(http.StatusTeapot)
		return
	}
	ex := r.next[0]
	r.next = r.next[1:]
	r.mu.Unlock()

	assert.Equal(t, ex.method, req.Method)
	assert.Equal(t, ex.path, req.URL.EscapedPath())
	assert.Equal(t, ex.query, req.URL.RawQuery)
	assert.Equal(t, ex.cookie, req.Header.Get("Cookie"))
	assert.Equal(t, "application/json", req.Header.Get("Accept"))
	assert.Contains(t, req.Header.Get("User-Agent"), "chatbot-go/")
	switch {
	case ex.check != nil:
		ex.check(t, req)
	case ex.json != "":
		assert.Equal(t, "application/json", req.Header.Get("Content-Type"))
		body, err := io.ReadAll(req.Body)
		assert.NoError(t, err)
		assert.JSONEq(t, ex.json, string(body))
	default:
		body, _ := io.ReadAll(req.Body)
		assert.Empty(t, body)
	}
	if ex.setCookie != "" {
		w.Header().Add("Set-Cookie", "token="+ex.setCookie+"; expires=Mon, 30 Nov 2026 14:12:00 GMT; path=/; SameSite=Lax")
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(ex.status)
	if ex.body == nil {
		ex.body = fixture(t, ex.fixture)
	}
	_, _ = w.Write(ex.body)
}

func fixture(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "testdata", "botyard", name+".json"))
	require.NoError(t, err)
	return b
}

// client returns a Client for the replay server without retries.
func (r *replay) client(opts ...chatbot.Option) *botyard.Client {
	r.t.Helper()
	c, err := botyard.NewClient(r.srv.URL, append([]chatbot.Option{chatbot.WithMaxAttempts(1)}, opts...)...)
	require.NoError(r.t, err)
	return c
}

// apiError asserts err is an *chatbot.APIError with this status and
// server message, and returns it.
func apiError(t *testing.T, err error, status int, message string) *chatbot.APIError {
	t.Helper()
	var api *chatbot.APIError
	require.ErrorAs(t, err, &api)
	assert.Equal(t, status, api.StatusCode)
	assert.Equal(t, message, api.Message)
	return api
}

// sessionJWT is a session token shaped like the server's (an HS256 JWT).
const sessionJWT = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJpZCI6IjAxbTg0MmE4Zzgzd3Z2M2h6NHZna2dtazhmIn0.c2lnbmF0dXJl"

func errorsAs(err error, target any) bool { return errors.As(err, target) }

package chatbot_test

import (
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	chatbot "github.com/chatbot-sdk/chatbot-go"
)

const (
	testChannel = "chan-123"
	testSecret  = "s3cr3t-key-never-shown"
	prefix      = "/api/public/channels/chan-123/1.0"
)

// recorded is one request as the test server saw it.
type recorded struct {
	Method string
	Path   string
	Query  string
	Header http.Header
	Body   string
}

// recorder is an httptest server that records requests and answers each
// one with the next scripted response.
type recorder struct {
	mu       sync.Mutex
	requests []recorded
	replies  []reply
	server   *httptest.Server
}

type reply struct {
	status int
	header map[string]string
	body   string
}

func fixture(t testing.TB, name string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", "chatthing", name))
	require.NoError(t, err)
	return string(b)
}

// newRecorder starts a server that answers with replies in order (the last
// one repeats).
func newRecorder(t testing.TB, replies ...reply) *recorder {
	t.Helper()
	rec := &recorder{replies: replies}
	rec.server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		rec.mu.Lock()
		rec.requests = append(rec.requests, recorded{r.Method, r.URL.EscapedPath(), r.URL.RawQuery, r.Header.Clone(), string(body)})
		rp := rec.replies[len(rec.replies)-1]
		if n := len(rec.requests); n <= len(rec.replies) {
			rp = rec.replies[n-1]
		}
		rec.mu.Unlock()
		for k, v := range rp.header {
			w.Header().Set(k, v)
		}
		if w.Header().Get("Content-Type") == "" {
			w.Header().Set("Content-Type", "application/json")
		}
		w.WriteHeader(rp.status)
		_, _ = io.WriteString(w, rp.body)
	}))
	t.Cleanup(rec.server.Close)
	return rec
}

func ok(body string) reply { return reply{status: http.StatusOK, body: body} }

func (r *recorder) all() []recorded {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]recorded(nil), r.requests...)
}

func (r *recorder) only(t testing.TB) recorded {
	t.Helper()
	reqs := r.all()
	require.Len(t, reqs, 1)
	return reqs[0]
}

// client returns a Chat Thing client for the recorder with fast retries.
func (r *recorder) client(t testing.TB, opts ...chatbot.Option) *chatbot.Client {
	t.Helper()
	opts = append([]chatbot.Option{
		chatbot.WithBaseURL(r.server.URL),
		chatbot.WithBackoff(time.Millisecond, 5*time.Millisecond),
		chatbot.WithHTTPClient(r.server.Client()),
	}, opts...)
	c, err := chatbot.NewClient(testChannel, testSecret, opts...)
	require.NoError(t, err)
	return c
}

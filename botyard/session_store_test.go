package botyard_test

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/chatbot-sdk/chatbot-go"
	"github.com/chatbot-sdk/chatbot-go/botyard"
	"github.com/chatbot-sdk/chatbot-go/chatbottest"
)

// countingServer issues a new token, "tok-<n>" with n counting up, on
// every login and every authenticated call, the way Botyard re-issues its
// token; a cookie that is not one of its tokens gets a 401. It records
// the cookie of every authenticated call. GET /bots is public.
type countingServer struct {
	srv    *httptest.Server
	issued atomic.Int64

	mu   sync.Mutex
	sent []string
}

func newCountingServer(t *testing.T) *countingServer {
	s := &countingServer{}
	s.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		if r.Method == http.MethodPost {
			s.issue(w)
			w.WriteHeader(http.StatusCreated)
			_, _ = w.Write([]byte(`{"id":"u1","nickname":"alice"}`))
			return
		}
		if strings.HasSuffix(r.URL.Path, "/bots") { // public
			_, _ = w.Write([]byte(`[]`))
			return
		}
		c, err := r.Cookie("token")
		if err != nil || !strings.HasPrefix(c.Value, "tok-") {
			w.WriteHeader(http.StatusUnauthorized)
			_, _ = w.Write([]byte(`{"message":"User is unauthorized."}`))
			return
		}
		s.mu.Lock()
		s.sent = append(s.sent, c.Value)
		s.mu.Unlock()
		s.issue(w)
		_, _ = w.Write([]byte(`{"id":"u1","nickname":"alice"}`))
	}))
	t.Cleanup(s.srv.Close)
	return s
}

func (s *countingServer) issue(w http.ResponseWriter) {
	n := s.issued.Add(1)
	w.Header().Add("Set-Cookie", "token=tok-"+strconv.FormatInt(n, 10)+"; path=/; SameSite=Lax")
}

// memStore is a SessionStore in memory that records every Save and
// notices two Saves running at once.
type memStore struct {
	stored  string
	loadErr error
	loads   atomic.Int32

	mu      sync.Mutex
	saves   []string
	running atomic.Int32
	overlap atomic.Bool
}

func (m *memStore) Load(string) (string, error) {
	m.loads.Add(1)
	return m.stored, m.loadErr
}

func (m *memStore) Save(_, token string) error {
	if m.running.Add(1) > 1 {
		m.overlap.Store(true)
	}
	defer m.running.Add(-1)
	runtime.Gosched() // give an overlapping Save its chance to show
	m.mu.Lock()
	defer m.mu.Unlock()
	m.saves = append(m.saves, token)
	m.stored = token
	return nil
}

func (m *memStore) saved() []string {
	m.mu.Lock()
	defer m.mu.Unlock()
	return append([]string(nil), m.saves...)
}

func TestSessionStoreSavesEveryChange(t *testing.T) {
	srv := newCountingServer(t)
	store := &memStore{}
	c, err := botyard.NewClient(srv.srv.URL, botyard.WithSessionStore(store))
	require.NoError(t, err)
	defer c.Close()
	ctx := context.Background()
	assert.EqualValues(t, 1, store.loads.Load(), "NewClient loads the store once")

	_, err = c.Users.Create(ctx, "alice")
	require.NoError(t, err)
	assert.Equal(t, []string{"tok-1"}, store.saved(), "saved before Create returned")
	for range 3 {
		_, err = c.Users.Current(ctx)
		require.NoError(t, err)
	}
	assert.Equal(t, []string{"tok-1", "tok-2", "tok-3", "tok-4"}, store.saved())

	c.SetSession("forged")
	_, err = c.Users.Current(ctx)
	require.ErrorIs(t, err, botyard.ErrSessionExpired)
	assert.Equal(t, []string{"tok-1", "tok-2", "tok-3", "tok-4", "forged", ""}, store.saved(),
		"SetSession is saved, and the rejected token is forgotten")
	assert.Equal(t, "", c.Session())

	_, err = c.Bots.List(ctx) // a public call re-issues nothing
	require.NoError(t, err)
	assert.Len(t, store.saved(), 6)
}

func TestSessionStoreUnderConcurrentCalls(t *testing.T) {
	srv := newCountingServer(t)
	store := &memStore{}
	c, err := botyard.NewClient(srv.srv.URL, botyard.WithSession("tok-0"), botyard.WithSessionStore(store))
	require.NoError(t, err)
	defer c.Close()

	var wg sync.WaitGroup
	for range 16 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range 8 {
				_, err := c.Users.Current(context.Background())
				assert.NoError(t, err)
			}
		}()
	}
	wg.Wait()

	saved := store.saved()
	require.NotEmpty(t, saved)
	assert.False(t, store.overlap.Load(), "two Saves ran at once")
	assert.Equal(t, c.Session(), saved[len(saved)-1], "the last Save is the current token")
	last := 0
	for _, tok := range saved {
		n, err := strconv.Atoi(strings.TrimPrefix(tok, "tok-"))
		require.NoError(t, err, tok)
		assert.Greater(t, n, last, "Saves go forward: %v", saved)
		last = n
	}
	// Every token the client held was saved: each one but the current
	// was sent with a later call (that is how it got replaced), and
	// "tok-0" came from WithSession, not from a change.
	srv.mu.Lock()
	want := map[string]bool{c.Session(): true}
	for _, tok := range srv.sent {
		if tok != "tok-0" {
			want[tok] = true
		}
	}
	srv.mu.Unlock()
	got := map[string]bool{}
	for _, tok := range saved {
		got[tok] = true
	}
	assert.Equal(t, want, got)
	assert.Len(t, saved, len(got), "each change saved once")
}

func TestSessionStoreRestores(t *testing.T) {
	srv := newCountingServer(t)
	ctx := context.Background()

	store := &memStore{stored: "tok-7"}
	c, err := botyard.NewClient(srv.srv.URL, botyard.WithSessionStore(store))
	require.NoError(t, err)
	defer c.Close()
	assert.Equal(t, "tok-7", c.Session())
	assert.Empty(t, store.saved(), "restoring saves nothing")
	_, err = c.Users.Current(ctx)
	require.NoError(t, err)
	assert.Equal(t, []string{"tok-7"}, srv.sent)

	// A token given with WithSession wins, and the store is not read.
	other := &memStore{stored: "tok-7"}
	c2, err := botyard.NewClient(srv.srv.URL, botyard.WithSessionStore(other), botyard.WithSession("tok-9"))
	require.NoError(t, err)
	defer c2.Close()
	assert.Equal(t, "tok-9", c2.Session())
	assert.Zero(t, other.loads.Load())
}

func TestSessionStoreErrors(t *testing.T) {
	srv := newCountingServer(t)

	_, err := botyard.NewClient(srv.srv.URL, botyard.WithSessionStore(&memStore{loadErr: errors.New("disk on fire")}))
	require.ErrorContains(t, err, "botyard: loading the session: disk on fire")

	_, err = botyard.NewClient(srv.srv.URL, botyard.WithSessionStore(&memStore{stored: "tok\n1"}))
	require.EqualError(t, err, "botyard: loading the session: the stored token holds control characters")

	var verr *chatbot.ValidationError
	_, err = botyard.NewClient(srv.srv.URL, botyard.WithSessionStore(nil))
	require.ErrorAs(t, err, &verr)
	_, err = botyard.NewClient(srv.srv.URL, botyard.WithSessionStore(botyard.FileSessionStore("")))
	require.ErrorAs(t, err, &verr)
	assert.Contains(t, err.Error(), "path must not be empty")
}

// failingStore refuses every Save with an error that quotes the token.
type failingStore struct{}

func (failingStore) Load(string) (string, error) { return "", nil }
func (failingStore) Save(_, token string) error  { return errors.New("cannot save " + token) }

func TestSessionStoreFailureIsLoggedNotReturned(t *testing.T) {
	srv := newCountingServer(t)
	var logs bytes.Buffer
	c, err := botyard.NewClient(srv.srv.URL, botyard.WithSessionStore(failingStore{}),
		chatbot.WithLogger(slog.New(slog.NewTextHandler(&logs, nil))))
	require.NoError(t, err)
	defer c.Close()

	_, err = c.Users.Create(context.Background(), "alice")
	require.NoError(t, err, "the user was created: a failed Save must not say otherwise")
	assert.Equal(t, "tok-1", c.Session())
	assert.Contains(t, logs.String(), "saving the session failed")
	assert.NotContains(t, logs.String(), "tok-1", "the token is redacted from the store's error")
}

func TestFileSessionStore(t *testing.T) {
	path := filepath.Join(t.TempDir(), "session")
	store := botyard.FileSessionStore(path)
	const a, b = "http://a.example:7007", "https://b.example"

	tok, err := store.Load(a)
	require.NoError(t, err)
	assert.Equal(t, "", tok, "no file, no session")

	require.NoError(t, store.Save(a, "first"))
	require.NoError(t, store.Save(a, "second"))
	b1, err := os.ReadFile(path)
	require.NoError(t, err)
	assert.Equal(t, a+"\tsecond\n", string(b1))
	if runtime.GOOS != "windows" {
		fi, err := os.Stat(path)
		require.NoError(t, err)
		assert.Equal(t, os.FileMode(0o600), fi.Mode().Perm())
	}
	tok, err = store.Load(a)
	require.NoError(t, err)
	assert.Equal(t, "second", tok)
	entries, err := os.ReadDir(filepath.Dir(path))
	require.NoError(t, err)
	assert.Len(t, entries, 1, "no temporary file left behind")

	// Another server's token lives beside it and is not touched.
	require.NoError(t, store.Save(b, "other"))
	tok, err = store.Load(b)
	require.NoError(t, err)
	assert.Equal(t, "other", tok)
	require.NoError(t, store.Save(b, ""))
	tok, err = store.Load(a)
	require.NoError(t, err)
	assert.Equal(t, "second", tok, "forgetting b's session keeps a's")
	require.NoError(t, store.Save("http://c.example", ""), "forgetting a session never saved is fine")
	tok, _ = store.Load(a)
	assert.Equal(t, "second", tok)

	require.NoError(t, store.Save(a, ""))
	_, err = os.Stat(path)
	assert.True(t, errors.Is(err, os.ErrNotExist), "saving the last session as none removes the file")
	require.NoError(t, store.Save(a, ""), "removing twice is fine")

	// A line that is not origin<TAB>token (a file written by hand) is
	// nobody's session, and Save leaves it alone.
	require.NoError(t, os.WriteFile(path, []byte("bare-token\n"), 0o600))
	tok, err = store.Load(a)
	require.NoError(t, err)
	assert.Equal(t, "", tok)
	require.NoError(t, store.Save(a, "third"))
	b1, err = os.ReadFile(path)
	require.NoError(t, err)
	assert.Equal(t, "bare-token\n"+a+"\tthird\n", string(b1))

	require.NoError(t, os.WriteFile(path, bytes.Repeat([]byte("x"), 70<<10), 0o600))
	_, err = store.Load(a)
	assert.ErrorContains(t, err, "not a session file")
	assert.ErrorContains(t, store.Save(a, "tok"), "not a session file", "an oversized file is not overwritten")

	err = botyard.FileSessionStore(filepath.Join(t.TempDir(), "missing", "session")).Save(a, "tok")
	assert.ErrorContains(t, err, "botyard: saving the session")
}

// A client with a FileSessionStore on the fake server stays the same user
// across "runs" without saving anything by hand.
func TestFileSessionStoreAcrossRuns(t *testing.T) {
	fake := chatbottest.StartBotyard(t)
	path := filepath.Join(t.TempDir(), "session")
	ctx := context.Background()

	first, err := botyard.NewClient(fake.URL, botyard.WithSessionStore(botyard.FileSessionStore(path)))
	require.NoError(t, err)
	alice, err := first.Users.Create(ctx, "alice")
	require.NoError(t, err)
	require.NoError(t, first.Close())

	next, err := botyard.NewClient(fake.URL, botyard.WithSessionStore(botyard.FileSessionStore(path)))
	require.NoError(t, err)
	defer next.Close()
	me, err := next.Users.Current(ctx)
	require.NoError(t, err)
	assert.Equal(t, alice.ID, me.ID)
	saved, err := botyard.FileSessionStore(path).Load(origin(t, fake.URL))
	require.NoError(t, err)
	assert.Equal(t, next.Session(), saved)
}

// origin cuts a base URL to what a SessionStore keys tokens by.
func origin(t *testing.T, base string) string {
	t.Helper()
	u, err := url.Parse(base)
	require.NoError(t, err)
	return strings.ToLower(u.Scheme + "://" + u.Host)
}

// A store is keyed by server: a token saved for server A is neither sent
// to server B (which would leak it) nor deleted by B's 401, and B's own
// session is saved beside it.
func TestSessionStoreKeepsEachServersToken(t *testing.T) {
	a := chatbottest.StartBotyard(t)
	b := chatbottest.StartBotyard(t)
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "session")
	store := botyard.FileSessionStore(path)

	ca, err := botyard.NewClient(a.URL, botyard.WithSessionStore(store))
	require.NoError(t, err)
	_, err = ca.Users.Create(ctx, "alice")
	require.NoError(t, err)
	tokenA := ca.Session()
	require.NoError(t, ca.Close())

	cb, err := botyard.NewClient(b.URL, botyard.WithSessionStore(store))
	require.NoError(t, err)
	defer cb.Close()
	assert.Equal(t, "", cb.Session(), "A's token is not B's session")
	_, err = cb.Users.Current(ctx)
	require.ErrorIs(t, err, botyard.ErrSessionExpired)
	for _, r := range b.Requests() {
		assert.NotContains(t, r.Cookie, tokenA, "server B received server A's session token")
	}
	saved, err := store.Load(origin(t, a.URL))
	require.NoError(t, err)
	assert.Equal(t, tokenA, saved, "A's session was wiped by B's 401")

	_, err = cb.Users.Create(ctx, "bob")
	require.NoError(t, err)
	savedB, err := store.Load(origin(t, b.URL))
	require.NoError(t, err)
	assert.Equal(t, cb.Session(), savedB)
	saved, err = store.Load(origin(t, a.URL))
	require.NoError(t, err)
	assert.Equal(t, tokenA, saved, "B's login keeps A's session")
}

// A token the store did not give (WithSession, SetSession is saved and so
// counts) is dropped on a 401 without deleting the store's own token,
// which the client never loaded and may be good.
func TestSessionStoreKeepsATokenItDidNotGive(t *testing.T) {
	srv := newCountingServer(t)
	store := &memStore{stored: "tok-7"}
	c, err := botyard.NewClient(srv.srv.URL, botyard.WithSessionStore(store), botyard.WithSession("forged"))
	require.NoError(t, err)
	defer c.Close()
	_, err = c.Users.Current(context.Background())
	require.ErrorIs(t, err, botyard.ErrSessionExpired)
	assert.Equal(t, "", c.Session())
	assert.Empty(t, store.saved(), "the store's token is not deleted")
	assert.Equal(t, "tok-7", store.stored)
}

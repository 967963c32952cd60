package botyard_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/chatbot-sdk/chatbot-go/botyard"
)

// slowUserServer answers POST /user with the token "bob-1" at once and
// holds every GET /user until release is closed, then answers it with a
// refreshed token of the user the request was sent as ("<token>-next").
type slowUserServer struct {
	srv     *httptest.Server
	arrived chan struct{} // one value per GET /user that is being held
	release chan struct{}
	reject  bool // answer the held calls with a 401 instead
}

// aliceOnSlowServer starts a slowUserServer and a client of it with the
// session "alice-1".
func aliceOnSlowServer(t *testing.T, reject bool) (*slowUserServer, *botyard.Client) {
	s := newSlowUserServer(t, reject)
	c, err := botyard.NewClient(s.srv.URL, botyard.WithSession("alice-1"))
	require.NoError(t, err)
	return s, c
}

func newSlowUserServer(t *testing.T, reject bool) *slowUserServer {
	s := &slowUserServer{arrived: make(chan struct{}, 4), release: make(chan struct{}), reject: reject}
	s.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		if r.Method == http.MethodPost {
			w.Header().Add("Set-Cookie", "token=bob-1; path=/; SameSite=Lax")
			w.WriteHeader(http.StatusCreated)
			_, _ = w.Write([]byte(`{"id":"bob","nickname":"bobby"}`))
			return
		}
		tok, err := r.Cookie("token")
		if !assert.NoError(t, err) {
			return
		}
		s.arrived <- struct{}{}
		<-s.release
		if s.reject {
			w.WriteHeader(http.StatusUnauthorized)
			_, _ = w.Write([]byte(`{"message":"User is unauthorized."}`))
			return
		}
		w.Header().Add("Set-Cookie", "token="+tok.Value+"-next; path=/; SameSite=Lax")
		_, _ = w.Write([]byte(`{"id":"alice","nickname":"alice"}`))
	}))
	t.Cleanup(s.srv.Close)
	return s
}

// slowCall starts Users.Current, waits until the server holds it, and
// returns a function that lets it answer and waits for it to return.
func (s *slowUserServer) slowCall(t *testing.T, c *botyard.Client) (finish func()) {
	done := make(chan error, 1)
	go func() {
		_, err := c.Users.Current(context.Background())
		done <- err
	}()
	<-s.arrived
	return func() {
		close(s.release)
		err := <-done
		if s.reject {
			require.ErrorIs(t, err, botyard.ErrSessionExpired)
			return
		}
		require.NoError(t, err)
	}
}

// TestLateResponseKeepsNewerSession: a response to a call sent before the
// session changed must not bring the old token back.
func TestLateResponseKeepsNewerSession(t *testing.T) {
	t.Run("after a login", func(t *testing.T) {
		s, c := aliceOnSlowServer(t, false)
		finish := s.slowCall(t, c)
		_, err := c.Users.Create(context.Background(), "bobby")
		require.NoError(t, err)
		assert.Equal(t, "bob-1", c.Session())
		finish()
		assert.Equal(t, "bob-1", c.Session(), "alice's late refresh must not log bobby out")
	})
	t.Run("after a local logout", func(t *testing.T) {
		s, c := aliceOnSlowServer(t, false)
		finish := s.slowCall(t, c)
		c.SetSession("")
		finish()
		assert.Empty(t, c.Session())
	})
	t.Run("after SetSession back to the same token", func(t *testing.T) {
		s, c := aliceOnSlowServer(t, false)
		finish := s.slowCall(t, c)
		c.SetSession("carol-1")
		c.SetSession("alice-1")
		finish()
		assert.Equal(t, "alice-1", c.Session(), "the caller's choice stands, even when it equals the token sent")
	})
	t.Run("an untouched session is refreshed", func(t *testing.T) {
		s, c := aliceOnSlowServer(t, false)
		s.slowCall(t, c)()
		assert.Equal(t, "alice-1-next", c.Session())
	})
}

// TestRejectedSessionIsDropped: a 401 drops the token the request carried,
// but not a newer one chosen while the call was in flight.
func TestRejectedSessionIsDropped(t *testing.T) {
	s, c := aliceOnSlowServer(t, true)
	s.slowCall(t, c)()
	assert.Empty(t, c.Session(), "a dead token is not kept for saving")

	s, c = aliceOnSlowServer(t, true)
	finish := s.slowCall(t, c)
	_, err := c.Users.Create(context.Background(), "bobby")
	require.NoError(t, err)
	finish()
	assert.Equal(t, "bob-1", c.Session(), "the 401 was for alice's token, not bobby's")
}

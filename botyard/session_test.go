package botyard_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/chatbot-sdk/chatbot-go"
	"github.com/chatbot-sdk/chatbot-go/botyard"
	"github.com/chatbot-sdk/chatbot-go/chatbottest"
	"github.com/chatbot-sdk/chatbot-go/internal/testkit"
)

// loggedIn returns a client of fake logged in as a new user.
func loggedIn(t *testing.T, fake *chatbottest.Botyard, opts ...chatbot.Option) *botyard.Client {
	t.Helper()
	c, err := botyard.NewClient(fake.URL, opts...)
	require.NoError(t, err)
	_, err = c.Users.Create(context.Background(), "alice")
	require.NoError(t, err)
	require.NotEmpty(t, c.Session())
	return c
}

func TestSessionReissueAndRestart(t *testing.T) {
	fake := chatbottest.StartBotyard(t)
	ctx := context.Background()
	c := loggedIn(t, fake)
	me, err := c.Users.Current(ctx)
	require.NoError(t, err)

	first := c.Session()
	_, err = c.Bots.Commands(ctx, fake.Bots()[0].ID)
	require.NoError(t, err)
	second := c.Session()
	assert.NotEqual(t, first, second, "every authenticated response re-issues the token")
	reqs := fake.Requests()
	assert.Equal(t, "token="+first, reqs[len(reqs)-1].Cookie, "the call used the token it had")

	// A new process: a new client from the saved token is the same user.
	saved := c.Session()
	restarted, err := botyard.NewClient(fake.URL, botyard.WithSession(saved))
	require.NoError(t, err)
	again, err := restarted.Users.Current(ctx)
	require.NoError(t, err)
	assert.Equal(t, me, again)
	assert.NotEqual(t, saved, restarted.Session(), "the restored client picks up the re-issued token")
	reqs = fake.Requests()
	assert.Equal(t, "token="+saved, reqs[len(reqs)-1].Cookie)

	// Logging in again is not a login: it is another user.
	other, err := restarted.Users.Create(ctx, "alice")
	require.NoError(t, err)
	assert.NotEqual(t, me.ID, other.ID)
}

func TestSessionExpires(t *testing.T) {
	fake := chatbottest.StartBotyard(t, chatbottest.WithBotyardTokenLifetime(100*time.Millisecond))
	ctx := context.Background()
	c := loggedIn(t, fake)
	time.Sleep(150 * time.Millisecond)
	_, err := c.Users.Current(ctx)
	require.ErrorIs(t, err, botyard.ErrSessionExpired)
	assert.ErrorIs(t, err, chatbot.ErrUnauthorized)
	apiError(t, err, http.StatusUnauthorized, "User is unauthorized.")
	assert.Contains(t, err.Error(), "log in again with Users.Create")
	assert.Empty(t, c.Session(), "the expired token is dropped")

	noSession, err := botyard.NewClient(fake.URL)
	require.NoError(t, err)
	_, err = noSession.Chats.List(ctx, fake.Bots()[0].ID)
	assert.ErrorIs(t, err, botyard.ErrSessionExpired)
}

// TestSessionWithCallersHTTPClient uses the caller's *http.Client, jar
// included: the session works, nothing of the caller's is changed, and
// only one token cookie is sent.
func TestSessionWithCallersHTTPClient(t *testing.T) {
	fake := chatbottest.StartBotyard(t)
	jar, err := cookiejar.New(nil)
	require.NoError(t, err)
	transport := http.DefaultTransport.(*http.Transport).Clone()
	t.Cleanup(transport.CloseIdleConnections)
	hc := &http.Client{Jar: jar, Transport: transport}
	c := loggedIn(t, fake, chatbot.WithHTTPClient(hc))
	tok := c.Session()
	_, err = c.Users.Current(context.Background())
	require.NoError(t, err)
	assert.Same(t, transport, hc.Transport, "the caller's client is not changed")
	assert.Same(t, jar, hc.Jar)
	reqs := fake.Requests()
	assert.Equal(t, "token="+tok, reqs[len(reqs)-1].Cookie, "exactly one token cookie: ours")
	u, _ := url.Parse(fake.URL)
	assert.Empty(t, jar.Cookies(u), "the caller's jar is not used for the session")
}

// TestSessionStaysOnItsHost meets a redirect to another host: the engine
// does not follow it (it reports the 3xx), so the token never goes there
// and that host cannot set one.
func TestSessionStaysOnItsHost(t *testing.T) {
	var gotCookie string
	var otherHits atomic.Int32
	other := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		otherHits.Add(1)
		gotCookie = r.Header.Get("Cookie")
		w.Header().Add("Set-Cookie", "token=evil; path=/")
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(`[]`))
	}))
	defer other.Close()
	home := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, other.URL+r.URL.Path, http.StatusFound)
	}))
	defer home.Close()

	c, err := botyard.NewClient(home.URL, botyard.WithSession(sessionJWT))
	require.NoError(t, err)
	_, err = c.Bots.Commands(context.Background(), testBotID)
	var apiErr *chatbot.APIError
	require.ErrorAs(t, err, &apiErr)
	assert.Equal(t, http.StatusFound, apiErr.StatusCode)
	assert.Zero(t, otherHits.Load(), "a redirect off the server is not followed")
	assert.Empty(t, gotCookie, "the token never goes to another host")
	assert.Equal(t, sessionJWT, c.Session(), "another host cannot set the token")
}

// TestSessionNeverLogged checks that the token appears in no log record
// and no error, even when the server echoes it back.
func TestSessionNeverLogged(t *testing.T) {
	srv := newReplay(t, testkit.Exchange{Method: "GET", Path: p + "/user", Header: cookie("token=" + sessionJWT),
		Reply: testkit.Reply{Status: http.StatusBadRequest, Body: `{"message":"bad token ` + sessionJWT + `"}`}})
	logger, logs := testkit.TextLogger()
	c, err := botyard.NewClient(srv.URL(), botyard.WithSession(sessionJWT), chatbot.WithLogger(logger))
	require.NoError(t, err)
	_, err = c.Users.Current(context.Background())
	api := apiError(t, err, http.StatusBadRequest, "bad token [REDACTED]")
	assert.NotEmpty(t, logs.String())
	testkit.AssertNoSecret(t, sessionJWT, err, api.Body, logs.String())
}

func TestNewClientArguments(t *testing.T) {
	_, err := botyard.NewClient("")
	var verr *chatbot.ValidationError
	require.ErrorAs(t, err, &verr)
	assert.Equal(t, "baseURL", verr.Field)

	_, err = botyard.NewClient("localhost:7007")
	assert.Error(t, err)

	_, err = botyard.NewClient("http://localhost:7007", botyard.WithSession(""))
	require.ErrorAs(t, err, &verr)
	assert.Equal(t, "botyard.WithSession", verr.Field)

	_, err = botyard.NewClient("http://localhost:7007", botyard.WithSizeLimits(botyard.SizeLimits{Image: -1}))
	require.ErrorAs(t, err, &verr)
	assert.Equal(t, "botyard.WithSizeLimits", verr.Field)

	c, err := botyard.NewClient("http://localhost:7007/botyard/", botyard.WithSession(sessionJWT))
	require.NoError(t, err)
	assert.Equal(t, sessionJWT, c.Session())
	assert.Equal(t, "http://localhost:7007/botyard/static/files/x.bin", c.FileURL(&botyard.File{Path: "static/files/x.bin"}))
	c.SetSession("")
	assert.Empty(t, c.Session())
}

// TestSessionConcurrentCalls shares one client between goroutines: every
// call authenticates, whichever re-issued token lands last.
func TestSessionConcurrentCalls(t *testing.T) {
	fake := chatbottest.StartBotyard(t)
	c := loggedIn(t, fake)
	me, err := c.Users.Current(context.Background())
	require.NoError(t, err)
	errs := make(chan error, 16)
	for i := 0; i < cap(errs); i++ {
		go func() {
			u, err := c.Users.Current(context.Background())
			if err == nil && u.ID != me.ID {
				err = fmt.Errorf("got user %s", u.ID)
			}
			errs <- err
		}()
	}
	for i := 0; i < cap(errs); i++ {
		assert.NoError(t, <-errs)
	}
	_, err = c.Users.Current(context.Background())
	assert.NoError(t, err, "the token kept is a valid one")
}

// TestSessionDeletedByServer: a cookie that deletes the token (Max-Age=0,
// which Go reads as a negative MaxAge) ends the session, whatever value
// it carries.
func TestSessionDeletedByServer(t *testing.T) {
	srv := newReplay(t, testkit.Exchange{Method: "GET", Path: p + "/user", Header: cookie("token=" + sessionJWT),
		Reply: testkit.Reply{Header: http.Header{"Set-Cookie": {"token=deleted; path=/; Max-Age=0"}}, Body: `{"id":"u","nickname":"alice"}`}})
	c, err := botyard.NewClient(srv.URL(), botyard.WithSession(sessionJWT))
	require.NoError(t, err)
	_, err = c.Users.Current(context.Background())
	require.NoError(t, err)
	assert.Empty(t, c.Session())
}

// TestSessionEchoedAfterReissueIsRedacted: the server re-issues the token
// on an error and echoes the one the request carried; that one is no
// longer current but must still be redacted.
func TestSessionEchoedAfterReissueIsRedacted(t *testing.T) {
	srv := newReplay(t, testkit.Exchange{Method: "GET", Path: p + "/user", Header: cookie("token=" + sessionJWT),
		Reply: testkit.Reply{Status: http.StatusBadRequest, Header: http.Header{"Set-Cookie": {"token=fresh-token-2; path=/"}},
			Body: `{"message":"bad token ` + sessionJWT + `"}`}})
	c, err := botyard.NewClient(srv.URL(), botyard.WithSession(sessionJWT))
	require.NoError(t, err)
	_, err = c.Users.Current(context.Background())
	apiError(t, err, http.StatusBadRequest, "bad token [REDACTED]")
	testkit.AssertNoSecret(t, sessionJWT, err)
	assert.Equal(t, "fresh-token-2", c.Session())
}

package botyard_test

import (
	"context"
	"errors"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"

	"github.com/chatbot-sdk/chatbot-go"
	"github.com/chatbot-sdk/chatbot-go/botyard"
	"github.com/chatbot-sdk/chatbot-go/chatbottest"
	"github.com/chatbot-sdk/chatbot-go/internal/testkit"
)

func newKeepAliveServer(t *testing.T) *testkit.KeepAliveServer {
	return testkit.KeepAlive(t, `[{"id":"b1","name":"Test bot"}]`)
}

func TestCloseReleasesTheClientsOwnConnections(t *testing.T) {
	srv := newKeepAliveServer(t)
	before := goleak.IgnoreCurrent() // the server's own goroutines stay

	c, err := botyard.NewClient(srv.URL)
	require.NoError(t, err)
	_, err = c.Bots.List(context.Background())
	require.NoError(t, err)
	require.Equal(t, 1, srv.OpenConns(), "the connection stays open for reuse")

	require.NoError(t, c.Close())
	srv.WaitClosed(t)
	assert.Equal(t, 0, srv.OpenConns())
	goleak.VerifyNone(t, before)
}

func TestCloseLeavesTheCallersTransportAlone(t *testing.T) {
	srv := newKeepAliveServer(t)
	for name, opt := range map[string]func(*http.Transport) chatbot.Option{
		"WithTransport":  func(tr *http.Transport) chatbot.Option { return chatbot.WithTransport(tr) },
		"WithHTTPClient": func(tr *http.Transport) chatbot.Option { return chatbot.WithHTTPClient(&http.Client{Transport: tr}) },
	} {
		t.Run(name, func(t *testing.T) {
			tr := &http.Transport{}
			defer tr.CloseIdleConnections()
			c, err := botyard.NewClient(srv.URL, opt(tr))
			require.NoError(t, err)
			_, err = c.Bots.List(context.Background())
			require.NoError(t, err)
			require.NoError(t, c.Close())

			assert.True(t, testkit.Reuses(t, tr, http.MethodGet, srv.URL+"/v1/client-api/bots"), "Close closed a connection of the caller's transport")
		})
	}
}

func TestCloseTwiceAndWithTheFake(t *testing.T) {
	fake := chatbottest.StartBotyard(t)
	c, err := botyard.NewClient(fake.URL)
	require.NoError(t, err)
	_, err = c.Bots.List(context.Background())
	require.NoError(t, err)
	assert.NoError(t, c.Close())
	assert.NoError(t, c.Close(), "closing again is harmless")
}

// clearBotyardEnv unsets both variables for the test.
func clearBotyardEnv(t *testing.T) {
	t.Setenv(botyard.EnvBaseURL, "")
	t.Setenv(botyard.EnvSession, "")
}

func TestNewClientFromEnvUnset(t *testing.T) {
	clearBotyardEnv(t)
	_, err := botyard.NewClientFromEnv()
	require.ErrorIs(t, err, chatbot.ErrNoCredentials)
	assert.EqualError(t, err, "chatbot: no credentials in the environment: set BOTYARD_BASE_URL")

	// A session alone is not enough: the server is still unknown.
	t.Setenv(botyard.EnvSession, "some-token")
	_, err = botyard.NewClientFromEnv()
	require.ErrorIs(t, err, chatbot.ErrNoCredentials)
	assert.EqualError(t, err, "chatbot: no credentials in the environment: set BOTYARD_BASE_URL")
	assert.NotContains(t, err.Error(), "some-token")
}

func TestNewClientFromEnvSet(t *testing.T) {
	fake := chatbottest.StartBotyard(t)
	clearBotyardEnv(t)
	t.Setenv(botyard.EnvBaseURL, fake.URL)
	ctx := context.Background()

	c, err := botyard.NewClientFromEnv()
	require.NoError(t, err)
	defer c.Close()
	assert.Equal(t, "", c.Session(), "no session without BOTYARD_SESSION")
	alice, err := c.Users.Create(ctx, "alice")
	require.NoError(t, err)

	// BOTYARD_SESSION restores the user.
	t.Setenv(botyard.EnvSession, c.Session())
	again, err := botyard.NewClientFromEnv()
	require.NoError(t, err)
	defer again.Close()
	me, err := again.Users.Current(ctx)
	require.NoError(t, err)
	assert.Equal(t, alice.ID, me.ID)

	// Options win over the environment.
	other, err := botyard.NewClient(fake.URL)
	require.NoError(t, err)
	defer other.Close()
	bob, err := other.Users.Create(ctx, "bob")
	require.NoError(t, err)
	explicit, err := botyard.NewClientFromEnv(botyard.WithSession(other.Session()))
	require.NoError(t, err)
	defer explicit.Close()
	me, err = explicit.Users.Current(ctx)
	require.NoError(t, err)
	assert.Equal(t, bob.ID, me.ID)
}

func TestNewClientFromEnvBadValues(t *testing.T) {
	clearBotyardEnv(t)
	t.Setenv(botyard.EnvBaseURL, "localhost:7007") // no scheme
	_, err := botyard.NewClientFromEnv()
	var verr *chatbot.ValidationError
	require.ErrorAs(t, err, &verr)
	assert.False(t, errors.Is(err, chatbot.ErrNoCredentials))

	t.Setenv(botyard.EnvBaseURL, "http://localhost:7007")
	t.Setenv(botyard.EnvSession, "bad\ntoken")
	_, err = botyard.NewClientFromEnv()
	require.ErrorAs(t, err, &verr)
	assert.NotContains(t, err.Error(), "bad\ntoken")
}

// With a session store, BOTYARD_SESSION (a token exported once) gives way
// to the store's token for the server, which is the newest; and when the
// environment's token is the one used and gets rejected, the store keeps
// its own. A token the server refuses stands for one that expired.
func TestNewClientFromEnvPrefersTheStore(t *testing.T) {
	fake := chatbottest.StartBotyard(t)
	clearBotyardEnv(t)
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "session")
	store := botyard.FileSessionStore(path)

	first, err := botyard.NewClient(fake.URL, botyard.WithSessionStore(store))
	require.NoError(t, err)
	alice, err := first.Users.Create(ctx, "alice")
	require.NoError(t, err)
	require.NoError(t, first.Close())
	stored, err := store.Load(strings.ToLower(fake.URL))
	require.NoError(t, err)
	require.NotEmpty(t, stored)

	t.Setenv(botyard.EnvBaseURL, fake.URL)
	t.Setenv(botyard.EnvSession, "expired-token")
	c, err := botyard.NewClientFromEnv(botyard.WithSessionStore(store))
	require.NoError(t, err)
	defer c.Close()
	me, err := c.Users.Current(ctx)
	assert.NoError(t, err, "the store held a valid session")
	if assert.NotNil(t, me) {
		assert.Equal(t, alice.ID, me.ID)
	}
	_, statErr := os.Stat(path)
	assert.NoError(t, statErr, "the store's valid token was wiped")

	// A store with nothing for this server: the environment's token is
	// used, and its rejection deletes nothing.
	other := chatbottest.StartBotyard(t)
	t.Setenv(botyard.EnvBaseURL, other.URL)
	c2, err := botyard.NewClientFromEnv(botyard.WithSessionStore(store))
	require.NoError(t, err)
	defer c2.Close()
	assert.Equal(t, "expired-token", c2.Session())
	_, err = c2.Users.Current(ctx)
	require.ErrorIs(t, err, botyard.ErrSessionExpired)
	saved, err := store.Load(strings.ToLower(fake.URL))
	require.NoError(t, err)
	assert.NotEmpty(t, saved, "the first server's session survives the second's 401")
}

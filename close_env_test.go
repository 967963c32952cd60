package chatbot_test

import (
	"context"
	"errors"
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"

	chatbot "github.com/chatbot-sdk/chatbot-go"
	"github.com/chatbot-sdk/chatbot-go/chatbottest"
	"github.com/chatbot-sdk/chatbot-go/internal/testkit"
)

func newKeepAliveServer(t *testing.T) *testkit.KeepAliveServer {
	return testkit.KeepAlive(t, `{"success":true,"conversationId":"c1","response":"hi"}`)
}

func TestCloseReleasesTheClientsOwnConnections(t *testing.T) {
	srv := newKeepAliveServer(t)
	before := goleak.IgnoreCurrent() // the server's own goroutines stay

	client, err := chatbot.NewClient("chan", "key", chatbot.WithBaseURL(srv.URL))
	require.NoError(t, err)
	_, err = client.Chats.Start(context.Background())
	require.NoError(t, err)
	require.Equal(t, 1, srv.OpenConns(), "the connection stays open for reuse")

	require.NoError(t, client.Close())
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
			client, err := chatbot.NewClient("chan", "key", chatbot.WithBaseURL(srv.URL), opt(tr))
			require.NoError(t, err)
			_, err = client.Chats.Start(context.Background())
			require.NoError(t, err)
			require.NoError(t, client.Close())

			assert.True(t, testkit.Reuses(t, tr, http.MethodPost, srv.URL), "Close closed a connection of the caller's transport")
		})
	}
}

// clearChatThingEnv unsets the three variables for the test.
func clearChatThingEnv(t *testing.T) {
	for _, name := range []string{chatbot.EnvChannelID, chatbot.EnvSecretKey, chatbot.EnvBaseURL} {
		t.Setenv(name, "")
	}
}

func TestNewClientFromEnvUnsetOrPartlySet(t *testing.T) {
	clearChatThingEnv(t)
	_, err := chatbot.NewClientFromEnv()
	require.ErrorIs(t, err, chatbot.ErrNoCredentials)
	assert.EqualError(t, err, "chatbot: no credentials in the environment: set CHATTHING_CHANNEL_ID and CHATTHING_SECRET_KEY")

	t.Setenv(chatbot.EnvChannelID, "chan")
	_, err = chatbot.NewClientFromEnv()
	require.ErrorIs(t, err, chatbot.ErrNoCredentials)
	assert.EqualError(t, err, "chatbot: no credentials in the environment: set CHATTHING_SECRET_KEY")

	t.Setenv(chatbot.EnvChannelID, "")
	t.Setenv(chatbot.EnvSecretKey, "very-secret")
	t.Setenv(chatbot.EnvBaseURL, "http://127.0.0.1:1")
	_, err = chatbot.NewClientFromEnv()
	require.ErrorIs(t, err, chatbot.ErrNoCredentials)
	assert.EqualError(t, err, "chatbot: no credentials in the environment: set CHATTHING_CHANNEL_ID")
	assert.NotContains(t, err.Error(), "very-secret")
}

func TestNewClientFromEnvSet(t *testing.T) {
	fake := chatbottest.StartChatThing(t, chatbottest.WithChatThingCredentials("env-channel", "env-key"))
	clearChatThingEnv(t)
	t.Setenv(chatbot.EnvChannelID, "env-channel")
	t.Setenv(chatbot.EnvSecretKey, "env-key")
	t.Setenv(chatbot.EnvBaseURL, fake.URL)

	client, err := chatbot.NewClientFromEnv()
	require.NoError(t, err)
	defer client.Close()
	assert.Equal(t, "env-channel", client.ChannelID())
	reply, err := client.Chats.Start(context.Background())
	require.NoError(t, err)
	assert.Equal(t, "Hello, how can I help you?", reply.Response)

	// An option wins over CHATTHING_BASE_URL.
	t.Setenv(chatbot.EnvBaseURL, "http://127.0.0.1:1")
	client2, err := chatbot.NewClientFromEnv(chatbot.WithBaseURL(fake.URL))
	require.NoError(t, err)
	defer client2.Close()
	_, err = client2.Chats.Start(context.Background())
	require.NoError(t, err)
	assert.Equal(t, 2, fake.CountRequests(http.MethodPost, "/conversation"))
}

func TestNewClientFromEnvBadValues(t *testing.T) {
	clearChatThingEnv(t)
	t.Setenv(chatbot.EnvChannelID, "chan")
	t.Setenv(chatbot.EnvSecretKey, "key")
	t.Setenv(chatbot.EnvBaseURL, "chatthing.ai") // no scheme
	_, err := chatbot.NewClientFromEnv()
	var verr *chatbot.ValidationError
	require.ErrorAs(t, err, &verr)
	assert.False(t, errors.Is(err, chatbot.ErrNoCredentials))

	t.Setenv(chatbot.EnvBaseURL, "")
	t.Setenv(chatbot.EnvChannelID, "../other")
	_, err = chatbot.NewClientFromEnv()
	require.ErrorAs(t, err, &verr)
	assert.Equal(t, "channelID", verr.Field)
}

package chatbot_test

import (
	"context"
	"errors"
	"net"
	"net/http"
	"net/http/httptest"
	"net/http/httptrace"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"

	chatbot "github.com/chatbot-sdk/chatbot-go"
	"github.com/chatbot-sdk/chatbot-go/chatbottest"
)

// keepAliveServer answers every request with a started conversation and
// never closes an idle connection by itself. closed receives a value each
// time a connection ends.
type keepAliveServer struct {
	*httptest.Server
	closed chan struct{}

	mu   sync.Mutex
	open int
}

func newKeepAliveServer(t *testing.T) *keepAliveServer {
	s := &keepAliveServer{closed: make(chan struct{}, 16)}
	s.Server = httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(`{"success":true,"conversationId":"c1","response":"hi"}`))
	}))
	s.Config.IdleTimeout = time.Hour
	s.Config.ConnState = func(_ net.Conn, state http.ConnState) {
		s.mu.Lock()
		defer s.mu.Unlock()
		switch state {
		case http.StateNew:
			s.open++
		case http.StateClosed, http.StateHijacked:
			s.open--
			s.closed <- struct{}{}
		}
	}
	s.Start()
	t.Cleanup(s.Close)
	return s
}

func (s *keepAliveServer) openConns() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.open
}

func TestCloseReleasesTheClientsOwnConnections(t *testing.T) {
	srv := newKeepAliveServer(t)
	before := goleak.IgnoreCurrent() // the server's own goroutines stay

	client, err := chatbot.NewClient("chan", "key", chatbot.WithBaseURL(srv.URL))
	require.NoError(t, err)
	_, err = client.Chats.Start(context.Background())
	require.NoError(t, err)
	require.Equal(t, 1, srv.openConns(), "the connection stays open for reuse")

	require.NoError(t, client.Close())
	select {
	case <-srv.closed:
	case <-time.After(10 * time.Second):
		t.Fatal("Close left the connection open")
	}
	assert.Equal(t, 0, srv.openConns())
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

			// The idle connection is still in the caller's transport.
			var reused bool
			ctx := httptrace.WithClientTrace(context.Background(), &httptrace.ClientTrace{
				GotConn: func(info httptrace.GotConnInfo) { reused = info.Reused },
			})
			req, err := http.NewRequestWithContext(ctx, http.MethodPost, srv.URL, nil)
			require.NoError(t, err)
			resp, err := (&http.Client{Transport: tr}).Do(req)
			require.NoError(t, err)
			resp.Body.Close()
			assert.True(t, reused, "Close closed a connection of the caller's transport")
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

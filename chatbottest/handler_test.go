package chatbottest_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	chatbot "github.com/chatbot-sdk/chatbot-go"
	"github.com/chatbot-sdk/chatbot-go/aimylogic"
	"github.com/chatbot-sdk/chatbot-go/botuj"
	"github.com/chatbot-sdk/chatbot-go/botyard"
	"github.com/chatbot-sdk/chatbot-go/chatbottest"
)

// TestEveryFakesHandlerServesItsState serves each fake's Handler on a
// server of the test's own: calls through it change and read the same
// state as the fake's own server, and land in the same request log.
func TestEveryFakesHandlerServesItsState(t *testing.T) {
	ctx := context.Background()
	serve := func(h http.Handler) string {
		srv := httptest.NewServer(h)
		t.Cleanup(srv.Close)
		return srv.URL
	}

	t.Run("ChatThing", func(t *testing.T) {
		fake := chatbottest.StartChatThing(t)
		client, err := chatbot.NewClient(fake.ChannelID, fake.SecretKey, chatbot.WithBaseURL(serve(fake.Handler())))
		require.NoError(t, err)
		defer client.Close()
		r, err := client.Chats.Start(ctx)
		require.NoError(t, err)
		assert.Len(t, fake.Messages(r.ConversationID), 1, "the greeting, stored in the fake")
		assert.Equal(t, 1, fake.CountRequests("POST", "/conversation"))
	})
	t.Run("Botyard", func(t *testing.T) {
		fake := chatbottest.StartBotyard(t)
		client, err := botyard.NewClient(serve(fake.Handler()))
		require.NoError(t, err)
		defer client.Close()
		_, err = client.Users.Create(ctx, "alice")
		require.NoError(t, err)
		assert.Equal(t, 1, fake.CountRequests("POST", "/v1/client-api/user"))
	})
	t.Run("Aimylogic", func(t *testing.T) {
		fake := chatbottest.StartAimylogic(t)
		client, err := aimylogic.NewClient(fake.Token, chatbot.WithBaseURL(serve(fake.Handler())))
		require.NoError(t, err)
		defer client.Close()
		_, err = client.Messages.Send(ctx, &aimylogic.SendParams{ClientID: "u1", Query: "hi"})
		require.NoError(t, err)
		assert.Len(t, fake.History("u1"), 2, "the query and the answer")
		assert.Equal(t, 1, fake.CountRequests("POST", "/chatapi/{token}"))
	})
	t.Run("Botuj", func(t *testing.T) {
		fake := chatbottest.StartBotuj(t)
		fake.Seed(3)
		client, err := botuj.NewClient(fake.APIKey, chatbot.WithBaseURL(serve(fake.Handler())))
		require.NoError(t, err)
		defer client.Close()
		pg, err := client.Conversations.List(ctx, nil)
		require.NoError(t, err)
		assert.Len(t, pg.Items, 3)
		assert.Equal(t, 1, fake.CountRequests("GET", "/v1/api/conversations"))
	})
}

// TestCloseEndsALongPollServedByTheHandler holds an events poll open
// through the handler; closing the fake answers it.
func TestCloseEndsALongPollServedByTheHandler(t *testing.T) {
	fake := chatbottest.NewAimylogic(chatbottest.WithAimylogicEventsHold(time.Hour))
	defer fake.Close()
	arrived := make(chan struct{})
	var once sync.Once
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		once.Do(func() { close(arrived) })
		fake.Handler().ServeHTTP(w, r)
	}))
	defer srv.Close()
	client, err := aimylogic.NewClient(fake.Token, chatbot.WithBaseURL(srv.URL), aimylogic.WithPollTimeout(2*time.Hour))
	require.NoError(t, err)
	defer client.Close()

	polled := make(chan error, 1)
	go func() {
		_, err := client.Events.Poll(context.Background(), &aimylogic.EventsParams{ClientID: "u1"})
		polled <- err
	}()
	<-arrived
	fake.Close()
	select {
	case err := <-polled:
		assert.NoError(t, err, "an empty answer")
	case <-time.After(10 * time.Second):
		t.Fatal("the poll outlived the fake")
	}
}

// Closing a fake ends a request waiting out an injected latency even when
// it came through Handler on a server of the test's own, which the fake
// does not close: its connection is dropped.
func TestCloseEndsLatencyServedThroughHandler(t *testing.T) {
	fake := chatbottest.NewBotyard()
	fake.Faults.SetLatency(time.Minute)
	own := httptest.NewServer(fake.Handler())
	defer own.Close()
	done := make(chan error, 1)
	go func() {
		resp, err := http.Get(own.URL + "/v1/client-api/bots")
		if err == nil {
			resp.Body.Close()
		}
		done <- err
	}()
	// Whether the request arrives before or after Close, it must not sit
	// out the minute.
	fake.Close()
	select {
	case err := <-done:
		assert.Error(t, err, "the connection is dropped, not answered")
	case <-time.After(10 * time.Second):
		t.Fatal("the request still waits out the latency after fake.Close")
	}
}

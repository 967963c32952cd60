package chatbot_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	chatbot "github.com/chatbot-sdk/chatbot-go"
	"github.com/chatbot-sdk/chatbot-go/chatbottest"
	"github.com/chatbot-sdk/chatbot-go/internal/testkit"
)

func TestCallOptionsChangeOneCall(t *testing.T) {
	unavailable := testkit.Reply{Status: http.StatusServiceUnavailable, Body: `{"success":false}`}
	withHeader := sendHelloExchange(testkit.Reply{
		Header: http.Header{"X-Ratelimit-Remaining": {"7"}}, File: "testdata/chatthing/send_oneoff.json"})
	withHeader.Header = map[string]string{"X-Trace": "t-1"}
	srv := serveChatThing(t,
		sendHelloExchange(unavailable), // WithCallMaxAttempts(1): one try only
		withHeader,
	)
	c := srv.client(t)

	_, err := c.Messages.Send(context.Background(), sendHello, chatbot.WithCallMaxAttempts(1))
	var api *chatbot.APIError
	require.ErrorAs(t, err, &api)
	assert.Equal(t, 1, api.Attempts)

	var resp *http.Response
	reply, err := c.Messages.Send(context.Background(), sendHello, chatbot.WithCallHeader("X-Trace", "t-1"), chatbot.WithResponseInto(&resp))
	require.NoError(t, err)
	assert.NotEmpty(t, reply.ConversationID)
	require.NotNil(t, resp)
	assert.Equal(t, http.StatusOK, resp.StatusCode)
	assert.Equal(t, "7", resp.Header.Get("X-Ratelimit-Remaining"))
}

func TestCallTimeoutReplacesTheClients(t *testing.T) {
	release := make(chan struct{})
	stalled := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-release:
		case <-r.Context().Done():
		}
	}))
	defer stalled.Close()
	defer close(release)
	c, err := chatbot.NewClient(testChannel, testSecret, chatbot.WithBaseURL(stalled.URL), chatbot.WithTimeout(time.Hour))
	require.NoError(t, err)
	start := time.Now()
	_, err = c.Messages.Send(context.Background(), sendHello, chatbot.WithCallTimeout(50*time.Millisecond))
	require.ErrorIs(t, err, context.DeadlineExceeded)
	assert.Less(t, time.Since(start), 30*time.Second, "the call's own timeout, not the client's hour")
}

func TestBadCallOptionsAreRefusedBeforeSending(t *testing.T) {
	srv := serveChatThing(t) // any request fails the test
	c := srv.client(t)
	for field, opt := range map[string]chatbot.CallOption{
		"WithCallTimeout":     chatbot.WithCallTimeout(-1),
		"WithCallMaxAttempts": chatbot.WithCallMaxAttempts(0),
		"WithCallHeader":      chatbot.WithCallHeader("Bad Name", "v"),
		"WithResponseInto":    chatbot.WithResponseInto(nil),
	} {
		_, err := c.Messages.Send(context.Background(), sendHello, opt)
		var ve *chatbot.ValidationError
		require.ErrorAs(t, err, &ve)
		assert.Equal(t, field, ve.Field)
		assert.Regexp(t, `^chatbot: invalid `+field+`: `, err.Error())
	}
	_, err := c.Messages.Send(context.Background(), sendHello, chatbot.WithCallHeader("X-A", "v\r\nX-Evil: 1"))
	assert.ErrorContains(t, err, "CR or LF")
}

// Review: Update's read-before-write dropped the call's options.
func TestUpdatePassesItsOptionsToItsRead(t *testing.T) {
	fake := chatbottest.StartChatThing(t)
	c := fake.Client(t)
	ds, err := c.DataSources.Create(context.Background())
	require.NoError(t, err)
	_, err = c.DataSources.Update(context.Background(), ds.ID, &chatbot.UpdateDataSourceParams{}, chatbot.WithCallHeader("X-Tenant", "acme"))
	require.NoError(t, err)
	var seen []string
	for _, r := range fake.Requests() {
		if r.Method == http.MethodGet || r.Method == http.MethodPut {
			seen = append(seen, r.Method+" "+r.Header.Get("X-Tenant"))
		}
	}
	assert.Equal(t, []string{"GET acme", "PUT acme"}, seen)
}

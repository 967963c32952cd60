package chatbot_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	chatbot "github.com/chatbot-sdk/chatbot-go"
	"github.com/chatbot-sdk/chatbot-go/chatbottest"
)

func fakeClient(t *testing.T, fake *chatbottest.ChatThing) *chatbot.Client {
	t.Helper()
	client, err := chatbot.NewClient(fake.ChannelID, fake.SecretKey, chatbot.WithBaseURL(fake.URL))
	require.NoError(t, err)
	t.Cleanup(func() { client.Close() })
	return client
}

// calls lists the fake's requests as "METHOD path".
func calls(fake *chatbottest.ChatThing) []string {
	var out []string
	for _, r := range fake.Requests() {
		out = append(out, r.Method+" "+r.Path)
	}
	return out
}

// roles lists a conversation's messages as "role: text".
func roles(fake *chatbottest.ChatThing, id string) []string {
	var out []string
	for _, m := range fake.Messages(id) {
		out = append(out, m.Role+": "+m.Text)
	}
	return out
}

// TestConversationSendAndStreamStartAlike: on a handle without an ID, the
// first Send and the first Stream make the same requests and leave the
// same history; later calls reuse the conversation.
func TestConversationSendAndStreamStartAlike(t *testing.T) {
	ctx := context.Background()

	sendFake := chatbottest.StartChatThing(t)
	sendConv := fakeClient(t, sendFake).Conversation("")
	assert.Equal(t, "", sendConv.ID())
	reply, err := sendConv.Send(ctx, "hello")
	require.NoError(t, err)
	assert.Equal(t, `You said: "hello"`, reply.Response)
	require.NotEmpty(t, sendConv.ID())
	assert.Equal(t, sendConv.ID(), reply.ConversationID)

	streamFake := chatbottest.StartChatThing(t)
	streamConv := fakeClient(t, streamFake).Conversation("")
	stream, err := streamConv.Stream(ctx, "hello")
	require.NoError(t, err)
	for stream.Next() {
	}
	require.NoError(t, stream.Err())
	require.NoError(t, stream.Close())
	assert.Equal(t, `You said: "hello"`, stream.Text())
	assert.Equal(t, streamConv.ID(), stream.ConversationID())

	want := []string{"POST /conversation", "POST /message"}
	assert.Equal(t, want, calls(sendFake))
	assert.Equal(t, want, calls(streamFake))
	wantHistory := []string{"assistant: Hello, how can I help you?", "user: hello", `assistant: You said: "hello"`}
	assert.Equal(t, wantHistory, roles(sendFake, sendConv.ID()))
	assert.Equal(t, wantHistory, roles(streamFake, streamConv.ID()))

	// The next calls go to the same conversation, without starting another.
	_, err = sendConv.Send(ctx, "again")
	require.NoError(t, err)
	stream, err = sendConv.Stream(ctx, "and again")
	require.NoError(t, err)
	for stream.Next() {
	}
	require.NoError(t, stream.Close())
	assert.Equal(t, []string{"POST /conversation", "POST /message", "POST /message", "POST /message"}, calls(sendFake))
	assert.Len(t, sendFake.ConversationIDs(), 1)
	assert.Len(t, sendFake.Messages(sendConv.ID()), 7)
}

func TestConversationWithAnID(t *testing.T) {
	fake := chatbottest.StartChatThing(t)
	id := fake.SeedConversation("first")
	client := fakeClient(t, fake)
	ctx := context.Background()

	conv := client.Conversation(id)
	assert.Equal(t, id, conv.ID())
	_, err := conv.Send(ctx, "second")
	require.NoError(t, err)
	assert.Equal(t, []string{"POST /message"}, calls(fake), "no conversation started")

	var got []string
	for m, err := range conv.ListAll(ctx, &chatbot.ListParams{Limit: 2}) {
		require.NoError(t, err)
		got = append(got, string(m.Role)+": "+m.Message)
	}
	assert.Equal(t, roles(fake, id), got, "ListAll is the whole history, oldest first")
	assert.Len(t, got, 5)

	_, err = client.Conversation("no-such-conversation").Send(ctx, "hi")
	assert.ErrorIs(t, err, chatbot.ErrNotFound)
	var verr *chatbot.ValidationError
	_, err = client.Conversation("../escape").Send(ctx, "hi")
	require.ErrorAs(t, err, &verr)
}

func TestConversationBadInputStartsNothing(t *testing.T) {
	fake := chatbottest.StartChatThing(t)
	conv := fakeClient(t, fake).Conversation("")
	ctx := context.Background()

	var verr *chatbot.ValidationError
	_, err := conv.Send(ctx, "  ")
	require.ErrorAs(t, err, &verr)
	assert.Equal(t, "text", verr.Field)
	_, err = conv.Stream(ctx, "")
	require.ErrorAs(t, err, &verr)

	for range conv.ListAll(ctx, nil) {
		t.Fatal("a conversation that has not started has no messages")
	}
	assert.Empty(t, fake.Requests())
	assert.Equal(t, "", conv.ID())
}

func TestConversationFailedStartIsRetriedByTheNextCall(t *testing.T) {
	fake := chatbottest.StartChatThing(t)
	conv := fakeClient(t, fake).Conversation("")
	ctx := context.Background()

	fake.Faults.FailNext(1, http.StatusInternalServerError, chatbottest.OnPath("/conversation"))
	_, err := conv.Send(ctx, "hello")
	require.ErrorIs(t, err, chatbot.ErrServer)
	assert.Equal(t, "", conv.ID())
	assert.Equal(t, 0, fake.CountRequests(http.MethodPost, "/message"), "no message without a conversation")

	_, err = conv.Send(ctx, "hello")
	require.NoError(t, err)
	assert.NotEmpty(t, conv.ID())
	assert.Len(t, fake.ConversationIDs(), 1)
}

func TestConversationConcurrentFirstCallsStartOne(t *testing.T) {
	fake := chatbottest.StartChatThing(t)
	conv := fakeClient(t, fake).Conversation("")

	var wg sync.WaitGroup
	for i := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, err := conv.Send(context.Background(), "message "+string(rune('a'+i)))
			assert.NoError(t, err)
		}()
	}
	wg.Wait()
	assert.Equal(t, 1, fake.CountRequests(http.MethodPost, "/conversation"))
	require.Equal(t, []string{conv.ID()}, fake.ConversationIDs())
	assert.Len(t, fake.Messages(conv.ID()), 1+2*8)
}

// A call waiting for another to start the conversation gives up when its
// own context ends.
func TestConversationWaitForTheStartEndsWithTheContext(t *testing.T) {
	arrived, release := make(chan struct{}), make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		if strings.HasSuffix(r.URL.Path, "/conversation") {
			arrived <- struct{}{}
			<-release
			_, _ = w.Write([]byte(`{"success":true,"conversationId":"c1","response":"Hello"}`))
			return
		}
		_, _ = w.Write([]byte(`{"success":true,"conversationId":"c1","response":"reply"}`))
	}))
	defer srv.Close()
	client, err := chatbot.NewClient("chan", "key", chatbot.WithBaseURL(srv.URL))
	require.NoError(t, err)
	defer client.Close()
	conv := client.Conversation("")

	first := make(chan error, 1)
	go func() {
		_, err := conv.Send(context.Background(), "one")
		first <- err
	}()
	<-arrived // the first call holds the start

	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err = conv.Send(ctx, "two")
	require.True(t, errors.Is(err, context.Canceled), "%v", err)
	assert.EqualError(t, err, "chatbot: Conversation.Send: waiting for the conversation to start: context canceled")

	close(release)
	require.NoError(t, <-first)
	assert.Equal(t, "c1", conv.ID())
}

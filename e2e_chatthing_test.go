package chatbot_test

// End-to-end tests: the root package's public API against chatbottest's
// fake Chat Thing server, over loopback HTTP.

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"

	chatbot "github.com/chatbot-sdk/chatbot-go"
	"github.com/chatbot-sdk/chatbot-go/chatbottest"
)

const e2eMoonAnswer = "The average distance from the Earth to the Moon is about 238,855 miles (384,400 kilometers)."

// e2eClient is a client for fake with quick retries.
func e2eClient(t *testing.T, fake *chatbottest.ChatThing, opts ...chatbot.Option) *chatbot.Client {
	t.Helper()
	opts = append([]chatbot.Option{chatbot.WithBaseURL(fake.URL), chatbot.WithBackoff(time.Millisecond, 5*time.Millisecond)}, opts...)
	client, err := chatbot.NewClient(fake.ChannelID, fake.SecretKey, opts...)
	require.NoError(t, err)
	return client
}

// e2eStatuses lists the statuses the fake answered on one path.
func e2eStatuses(fake *chatbottest.ChatThing, method, path string) []int {
	var out []int
	for _, r := range fake.Requests() {
		if r.Method == method && r.Path == path {
			out = append(out, r.Status)
		}
	}
	return out
}

func TestE2EConversation(t *testing.T) {
	fake := chatbottest.StartChatThing(t)
	client := e2eClient(t, fake)
	ctx := context.Background()

	conv, err := client.Chats.Start(ctx)
	require.NoError(t, err)
	assert.Equal(t, "Hello, how can I help you?", conv.Response)
	require.NotEmpty(t, conv.ConversationID)

	reply, err := client.Messages.Continue(ctx, conv.ConversationID, "How many planets are there in the solar system?")
	require.NoError(t, err)
	assert.Equal(t, &chatbot.Reply{ConversationID: conv.ConversationID, Response: "There are eight planets in the solar system."}, reply)

	oneOff, err := client.Messages.Send(ctx, &chatbot.SendParams{Message: "hello"})
	require.NoError(t, err)
	assert.Equal(t, `You said: "hello"`, oneOff.Response)
	assert.NotEqual(t, conv.ConversationID, oneOff.ConversationID, "a one-off send starts a conversation")

	stream, err := client.Messages.Stream(ctx, &chatbot.SendParams{ConversationID: conv.ConversationID, Message: "And the moon?"})
	require.NoError(t, err)
	var deltas []string
	for chunk, err := range stream.All() {
		require.NoError(t, err)
		assert.Equal(t, "chat.completion.chunk", chunk.Object)
		deltas = append(deltas, chunk.Content())
	}
	require.NoError(t, stream.Close())
	assert.Len(t, deltas, 24, "role chunk, 22 tokens, stop chunk")
	assert.Equal(t, e2eMoonAnswer, stream.Text())
	assert.Equal(t, chatbot.RoleAssistant, stream.Role())
	assert.Equal(t, "stop", stream.FinishReason())
	assert.Equal(t, conv.ConversationID, stream.ConversationID())

	// Streaming without a conversation starts one first.
	stream, err = client.Messages.Stream(ctx, &chatbot.SendParams{Message: "ping"})
	require.NoError(t, err)
	for stream.Next() {
	}
	require.NoError(t, stream.Err())
	require.NoError(t, stream.Close())
	assert.Equal(t, `You said: "ping"`, stream.Text())
	assert.Len(t, fake.Messages(stream.ConversationID()), 3, "greeting, question, reply")

	var got []string
	for msg, err := range client.Messages.ListAll(ctx, conv.ConversationID, nil) {
		require.NoError(t, err)
		got = append(got, string(msg.Role)+": "+msg.Message)
		assert.True(t, msg.CreatedAt.Valid(), "timestamps parse")
	}
	assert.Equal(t, []string{
		"assistant: Hello, how can I help you?",
		"user: How many planets are there in the solar system?",
		"assistant: There are eight planets in the solar system.",
		"user: And the moon?",
		"assistant: " + e2eMoonAnswer,
	}, got)

	page, err := client.Chats.List(ctx, nil)
	require.NoError(t, err)
	assert.Equal(t, 3, page.Pagination.Total)
	require.Len(t, page.Conversations, 3)
	assert.Equal(t, conv.ConversationID, page.Conversations[0].ID)
	assert.Equal(t, "How many planets are there in the solar system?", page.Conversations[0].InitialMessage)
	assert.Equal(t, "hello", page.Conversations[1].InitialMessage)
}

func TestE2EAutoPagersOverHundredsOfItems(t *testing.T) {
	fake := chatbottest.StartChatThing(t)
	client := e2eClient(t, fake)
	ctx := context.Background()

	questions := make([]string, 160)
	for i := range questions {
		questions[i] = "question"
	}
	long := fake.SeedConversation(questions...)
	for range 319 {
		fake.SeedConversation("hi")
	}
	wantConvs := fake.ConversationIDs()
	require.Len(t, wantConvs, 320)

	var convs []string
	for c, err := range client.Chats.ListAll(ctx, &chatbot.ListParams{Limit: 25}) {
		require.NoError(t, err)
		convs = append(convs, c.ID)
	}
	assert.Equal(t, wantConvs, convs)
	assert.Equal(t, 13, fake.CountRequests("POST", "/conversations"), "ceil(320/25) pages, no extra request after the total")

	var msgs []string
	for m, err := range client.Messages.ListAll(ctx, long, nil) {
		require.NoError(t, err)
		msgs = append(msgs, m.ID)
	}
	stored := fake.Messages(long)
	require.Len(t, stored, 321)
	want := make([]string, len(stored))
	for i, m := range stored {
		want[i] = m.ID
	}
	assert.Equal(t, want, msgs)
	assert.Equal(t, 33, fake.CountRequests("POST", "/messages"), "default limit of 10")

	// Breaking out stops the fetching.
	n := 0
	for _, err := range client.Messages.ListAll(ctx, long, &chatbot.ListParams{Limit: 100}) {
		require.NoError(t, err)
		if n++; n == 150 {
			break
		}
	}
	assert.Equal(t, 35, fake.CountRequests("POST", "/messages"), "two pages for 150 items")
}

func TestE2EDataSourcesAndRows(t *testing.T) {
	fake := chatbottest.StartChatThing(t, chatbottest.WithChatThingSyncDuration(300*time.Millisecond))
	client := e2eClient(t, fake)
	ctx := context.Background()
	ds := client.DataSources

	src, err := ds.Create(ctx)
	require.NoError(t, err)
	assert.Equal(t, "MANUAL", src.Type)
	assert.Equal(t, chatbot.StateNotSynced, src.State)
	assert.False(t, src.LastSync.Valid())
	assert.Nil(t, src.SyncInterval)
	assert.True(t, src.CreatedAt.Valid())
	other, err := ds.Create(ctx)
	require.NoError(t, err)

	page, err := ds.List(ctx, &chatbot.ListParams{Limit: 1})
	require.NoError(t, err)
	assert.Equal(t, chatbot.Pagination{Total: 2, Last: src.ID}, page.Pagination)
	var ids []string
	for s, err := range ds.ListAll(ctx, &chatbot.ListParams{Limit: 1}) {
		require.NoError(t, err)
		ids = append(ids, s.ID)
	}
	assert.Equal(t, []string{src.ID, other.ID}, ids)

	got, err := ds.Get(ctx, src.ID)
	require.NoError(t, err)
	assert.Equal(t, src, got)

	daily := chatbot.SyncDaily
	updated, err := ds.Update(ctx, src.ID, &chatbot.UpdateDataSourceParams{SyncInterval: &daily})
	require.NoError(t, err)
	require.NotNil(t, updated.SyncInterval)
	assert.Equal(t, chatbot.SyncDaily, *updated.SyncInterval)
	updated, err = ds.Update(ctx, src.ID, &chatbot.UpdateDataSourceParams{})
	require.NoError(t, err)
	require.NotNil(t, updated.SyncInterval, "nil leaves the schedule")
	assert.Equal(t, chatbot.SyncDaily, *updated.SyncInterval)
	never := chatbot.SyncNever
	updated, err = ds.Update(ctx, src.ID, &chatbot.UpdateDataSourceParams{SyncInterval: &never})
	require.NoError(t, err)
	assert.Nil(t, updated.SyncInterval)

	rows := make([]chatbot.NewRow, 120)
	for i := range rows {
		rows[i] = chatbot.NewRow{Name: "doc.md", Content: "# Doc"}
	}
	rows[0] = chatbot.NewRow{Name: "one.md", Content: "# Testing 1.1\n## Blah"}
	require.NoError(t, ds.CreateRows(ctx, src.ID, rows))
	assert.Equal(t, []int{200, 200, 200}, e2eStatuses(fake, "POST", "/data-sources/row"), "120 rows in requests of 50, 50 and 20")
	rowPage, err := ds.ListRows(ctx, src.ID, &chatbot.ListParams{Limit: 2})
	require.NoError(t, err)
	assert.Equal(t, 120, rowPage.Pagination.Total)
	require.Len(t, rowPage.Rows, 2)
	first := rowPage.Rows[0]
	assert.Equal(t, "one.md", first.Name)
	var all []chatbot.Row
	for r, err := range ds.ListAllRows(ctx, src.ID, &chatbot.ListParams{Limit: 50}) {
		require.NoError(t, err)
		all = append(all, r)
	}
	require.Len(t, all, 120)
	assert.Equal(t, first, all[0])

	detail, err := ds.GetRow(ctx, src.ID, first.ID)
	require.NoError(t, err)
	assert.Equal(t, first.ID, detail.ID)
	assert.Equal(t, "# Testing 1.1\n## Blah", detail.Content)
	assert.Equal(t, chatbot.StateNotSynced, detail.State)

	require.NoError(t, ds.UpdateRows(ctx, src.ID, []chatbot.RowUpdate{{ID: first.ID, Name: "uno.md", Content: "# Uno"}}))
	detail, err = ds.GetRow(ctx, src.ID, first.ID)
	require.NoError(t, err)
	assert.Equal(t, "# Uno", detail.Content)

	deleteIDs := make([]string, 0, 119)
	for _, r := range all[1:] {
		deleteIDs = append(deleteIDs, r.ID)
	}
	require.NoError(t, ds.DeleteRows(ctx, src.ID, deleteIDs))
	assert.Equal(t, []int{200, 200, 200}, e2eStatuses(fake, "DELETE", "/data-sources/rows"),
		"119 rows in requests of MaxRowsPerCall, all on the documented path, no fallback")
	_, err = ds.GetRow(ctx, src.ID, deleteIDs[0])
	assert.ErrorIs(t, err, chatbot.ErrNotFound)

	require.NoError(t, ds.Sync(ctx, src.ID))
	// A second sync while the first runs is refused with 429, retried, and
	// still refused: the sync lasts longer than the retries.
	err = ds.Sync(ctx, src.ID)
	assert.ErrorIs(t, err, chatbot.ErrRateLimited)
	var states []chatbot.DataSourceState
	synced, err := ds.WaitForSync(ctx, src.ID, &chatbot.WaitForSyncParams{Interval: 20 * time.Millisecond, Progress: func(d *chatbot.DataSource) { states = append(states, d.State) }})
	require.NoError(t, err)
	assert.Equal(t, chatbot.StateSyncing, states[0])
	assert.Equal(t, chatbot.StateSynced, states[len(states)-1])
	assert.True(t, synced.LastSync.Valid())
	detail, err = ds.GetRow(ctx, src.ID, first.ID)
	require.NoError(t, err)
	assert.Equal(t, chatbot.StateSynced, detail.State)

	fake.FailNextSync()
	require.NoError(t, ds.Sync(ctx, other.ID))
	_, err = ds.WaitForSync(ctx, other.ID, &chatbot.WaitForSyncParams{Interval: 20 * time.Millisecond})
	assert.ErrorIs(t, err, chatbot.ErrSyncFailed)

	require.NoError(t, ds.Delete(ctx, src.ID))
	_, err = ds.Get(ctx, src.ID)
	assert.ErrorIs(t, err, chatbot.ErrNotFound)
	assert.ErrorIs(t, ds.Delete(ctx, src.ID), chatbot.ErrNotFound)
}

func TestE2ERetriesNeverDuplicateAMessage(t *testing.T) {
	fake := chatbottest.StartChatThing(t)
	client := e2eClient(t, fake)
	ctx := context.Background()
	conv, err := client.Chats.Start(ctx)
	require.NoError(t, err)

	// 503 and 429: the server refused the work, so a send is retried.
	fake.Faults.FailNext(1, http.StatusServiceUnavailable, chatbottest.OnPath("/message"))
	fake.Faults.FailNext(1, http.StatusTooManyRequests, chatbottest.OnPath("/message"), chatbottest.WithRetryAfter("0"))
	reply, err := client.Messages.Continue(ctx, conv.ConversationID, "hello")
	require.NoError(t, err)
	assert.Equal(t, `You said: "hello"`, reply.Response)
	assert.Equal(t, []int{503, 429, 200}, e2eStatuses(fake, "POST", "/message"))

	// 500, and 502 on a send, may follow work done: not retried.
	fake.Faults.FailNext(1, http.StatusInternalServerError, chatbottest.OnPath("/message"), chatbottest.WithBody("<html>boom</html>", "text/html"))
	_, err = client.Messages.Continue(ctx, conv.ConversationID, "again")
	require.ErrorIs(t, err, chatbot.ErrServer)
	var apiErr *chatbot.APIError
	require.ErrorAs(t, err, &apiErr)
	assert.Contains(t, apiErr.Body, "<html>boom</html>", "a non-JSON error body is kept")
	fake.Faults.FailNext(1, http.StatusBadGateway, chatbottest.OnPath("/message"))
	_, err = client.Messages.Continue(ctx, conv.ConversationID, "again")
	require.ErrorIs(t, err, chatbot.ErrServer)
	assert.Equal(t, []int{503, 429, 200, 500, 502}, e2eStatuses(fake, "POST", "/message"))

	// A stream is retried on 503 before it starts.
	fake.Faults.FailNext(1, http.StatusServiceUnavailable, chatbottest.OnPath("/message"))
	stream, err := client.Messages.Stream(ctx, &chatbot.SendParams{ConversationID: conv.ConversationID, Message: "moon"})
	require.NoError(t, err)
	for stream.Next() {
	}
	require.NoError(t, stream.Err())
	require.NoError(t, stream.Close())
	assert.Equal(t, e2eMoonAnswer, stream.Text())

	var users []string
	for _, m := range fake.Messages(conv.ConversationID) {
		if m.Role == "user" {
			users = append(users, m.Text)
		}
	}
	assert.Equal(t, []string{"hello", "moon"}, users, "each message stored once")

	// Idempotent reads ride out a 502 as well.
	fake.Faults.FailNext(2, http.StatusBadGateway, chatbottest.OnPath("/conversations"))
	page, err := client.Chats.List(ctx, nil)
	require.NoError(t, err)
	assert.Len(t, page.Conversations, 1)
}

func TestE2ERetryAfterIsHonoured(t *testing.T) {
	fake := chatbottest.StartChatThing(t)
	client := e2eClient(t, fake)
	fake.Faults.FailNext(1, http.StatusTooManyRequests, chatbottest.OnPath("/conversation"), chatbottest.WithRetryAfter("1"))
	start := time.Now()
	_, err := client.Chats.Start(context.Background())
	require.NoError(t, err)
	assert.GreaterOrEqual(t, time.Since(start), time.Second)
	assert.Equal(t, []int{429, 200}, e2eStatuses(fake, "POST", "/conversation"))
}

func TestE2EAuthenticationFailures(t *testing.T) {
	fake := chatbottest.StartChatThing(t)
	ctx := context.Background()
	wrongKey, err := chatbot.NewClient(fake.ChannelID, "wrong-key", chatbot.WithBaseURL(fake.URL))
	require.NoError(t, err)
	_, err = wrongKey.Chats.Start(ctx)
	assert.ErrorIs(t, err, chatbot.ErrForbidden)
	assert.NotContains(t, err.Error(), "wrong-key")

	wrongChannel, err := chatbot.NewClient("other", fake.SecretKey, chatbot.WithBaseURL(fake.URL))
	require.NoError(t, err)
	_, err = wrongChannel.Chats.Start(ctx)
	assert.ErrorIs(t, err, chatbot.ErrNotFound)
	assert.Empty(t, fake.ConversationIDs())
}

func TestE2ELatencyAndTimeout(t *testing.T) {
	fake := chatbottest.StartChatThing(t)
	fake.Faults.SetLatency(time.Second)
	client := e2eClient(t, fake, chatbot.WithTimeout(50*time.Millisecond))
	start := time.Now()
	_, err := client.Chats.Start(context.Background())
	assert.ErrorIs(t, err, context.DeadlineExceeded)
	assert.Less(t, time.Since(start), time.Second)
}

func TestE2ECancellingAStalledStreamLeavesNoGoroutine(t *testing.T) {
	before := goleak.IgnoreCurrent()
	fake := chatbottest.NewChatThing()
	client := e2eClient(t, fake)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()

	conv, err := client.Chats.Start(ctx)
	require.NoError(t, err)
	fake.StallNextStream(3)
	stream, err := client.Messages.Stream(ctx, &chatbot.SendParams{ConversationID: conv.ConversationID, Message: "moon"})
	require.NoError(t, err)
	for range 3 {
		require.True(t, stream.Next())
	}
	assert.Equal(t, "The average", stream.Text())

	time.AfterFunc(50*time.Millisecond, cancel)
	start := time.Now()
	assert.False(t, stream.Next(), "the stalled stream ends with its context")
	assert.Less(t, time.Since(start), 5*time.Second)
	assert.ErrorIs(t, stream.Err(), context.Canceled)
	assert.Equal(t, "The average", stream.Text(), "the text so far stays")
	require.NoError(t, stream.Close())

	// The server saw the client leave: its handler has returned.
	require.Eventually(t, func() bool { return fake.CountRequests("POST", "/message") == 1 }, 5*time.Second, 5*time.Millisecond)
	fake.Close()
	goleak.VerifyNone(t, before)
}

func TestE2EClosingAStalledStreamFromAnotherGoroutine(t *testing.T) {
	fake := chatbottest.StartChatThing(t)
	client := e2eClient(t, fake)
	fake.StallNextStream(1)
	stream, err := client.Messages.Stream(context.Background(), &chatbot.SendParams{Message: "moon"})
	require.NoError(t, err)
	require.True(t, stream.Next())
	time.AfterFunc(50*time.Millisecond, func() { stream.Close() })
	assert.False(t, stream.Next())
	assert.ErrorIs(t, stream.Err(), context.Canceled)
}

func TestE2EStreamIdleTimeout(t *testing.T) {
	fake := chatbottest.StartChatThing(t)
	client := e2eClient(t, fake, chatbot.WithStreamIdleTimeout(100*time.Millisecond))
	fake.StallNextStream(2)
	stream, err := client.Messages.Stream(context.Background(), &chatbot.SendParams{Message: "moon"})
	require.NoError(t, err)
	defer stream.Close()
	for stream.Next() {
	}
	assert.ErrorIs(t, stream.Err(), chatbot.ErrStreamIdle)
	assert.Equal(t, "The", stream.Text())
}

func TestE2ETruncatedStream(t *testing.T) {
	fake := chatbottest.StartChatThing(t)
	client := e2eClient(t, fake)
	fake.CutNextStream(5)
	stream, err := client.Messages.Stream(context.Background(), &chatbot.SendParams{Message: "moon"})
	require.NoError(t, err)
	defer stream.Close()
	for stream.Next() {
	}
	assert.ErrorIs(t, stream.Err(), io.ErrUnexpectedEOF)
	assert.Equal(t, "The average distance from", stream.Text())

	// Cut after the stop chunk: the reply is complete, only [DONE] is
	// missing, and the stream ends cleanly.
	fake.CutNextStream(-1)
	stream, err = client.Messages.Stream(context.Background(), &chatbot.SendParams{Message: "moon"})
	require.NoError(t, err)
	defer stream.Close()
	for stream.Next() {
	}
	assert.NoError(t, stream.Err())
	assert.Equal(t, e2eMoonAnswer, stream.Text())
}

// TestE2EGatewayFailureAfterTheServerActed is the case the retry policy
// exists for: the server stored the message and generated a reply, then a
// gateway in front of it answered 502/504 (or it failed with 500). A send
// must not be repeated, or the bot would see the message twice.
func TestE2EGatewayFailureAfterTheServerActed(t *testing.T) {
	fake := chatbottest.StartChatThing(t)
	client := e2eClient(t, fake)
	ctx := context.Background()
	conv, err := client.Chats.Start(ctx)
	require.NoError(t, err)

	for _, status := range []int{http.StatusBadGateway, http.StatusGatewayTimeout, http.StatusInternalServerError} {
		fake.Faults.FailNext(1, status, chatbottest.OnPath("/message"), chatbottest.AfterHandling())
		_, err := client.Messages.Continue(ctx, conv.ConversationID, fmt.Sprintf("sent during a %d", status))
		var apiErr *chatbot.APIError
		require.ErrorAs(t, err, &apiErr)
		assert.Equal(t, status, apiErr.StatusCode)
		assert.Equal(t, 1, apiErr.Attempts)
	}
	var users []string
	for _, m := range fake.Messages(conv.ConversationID) {
		if m.Role == "user" {
			users = append(users, m.Text)
		}
	}
	assert.Equal(t, []string{"sent during a 502", "sent during a 504", "sent during a 500"}, users, "each stored exactly once")
	assert.Equal(t, 3, fake.CountRequests(http.MethodPost, "/message"))

	// A read behind the same gateway is retried: repeating it is harmless.
	fake.Faults.FailNext(1, http.StatusBadGateway, chatbottest.OnPath("/messages"), chatbottest.AfterHandling())
	page, err := client.Messages.List(ctx, conv.ConversationID, nil)
	require.NoError(t, err)
	assert.Len(t, page.Messages, 7)
	assert.Equal(t, 2, fake.CountRequests(http.MethodPost, "/messages"))
}

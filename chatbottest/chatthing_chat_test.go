package chatbottest_test

import (
	"fmt"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/chatbot-sdk/chatbot-go/chatbottest"
)

func TestChatThingStartConversation(t *testing.T) {
	c := newCTRaw(t)
	out := c.ok("POST", "/conversation", nil)
	assert.Equal(t, map[string]any{
		"success":        true,
		"conversationId": "c4a77e1c-0000-4000-8000-000000000001",
		"response":       "Hello, how can I help you?",
	}, out)
	msgs := c.ct.Messages("c4a77e1c-0000-4000-8000-000000000001")
	require.Len(t, msgs, 1)
	assert.Equal(t, "assistant", msgs[0].Role)
	assert.Equal(t, "Hello, how can I help you?", msgs[0].Text)
	assert.WithinDuration(t, time.Now(), msgs[0].CreatedAt, time.Minute)
}

func TestChatThingGreetingOption(t *testing.T) {
	c := newCTRaw(t, chatbottest.WithChatThingGreeting("Hi!"), chatbottest.WithChatThingCredentials("chan-1", "key-1"))
	assert.Equal(t, "chan-1", c.ct.ChannelID)
	assert.Equal(t, "key-1", c.ct.SecretKey)
	assert.Equal(t, "Hi!", c.ok("POST", "/conversation", nil)["response"])
}

func TestChatThingSendOneOffStartsAConversation(t *testing.T) {
	c := newCTRaw(t)
	out := c.ok("POST", "/message", map[string]any{"message": "What is the distance to the moon?"})
	assert.Equal(t, "The average distance from the Earth to the Moon is about 238,855 miles (384,400 kilometers).", out["response"])
	id, _ := out["conversationId"].(string)
	require.Equal(t, []string{id}, c.ct.ConversationIDs())
	msgs := c.ct.Messages(id)
	require.Len(t, msgs, 2, "a one-off conversation has no greeting")
	assert.Equal(t, "user", msgs[0].Role)
	assert.Equal(t, "What is the distance to the moon?", msgs[0].Text)
	assert.Equal(t, "assistant", msgs[1].Role)
}

func TestChatThingContinue(t *testing.T) {
	c := newCTRaw(t)
	id := c.ok("POST", "/conversation", nil)["conversationId"]
	out := c.ok("POST", "/message", map[string]any{"conversationId": id, "message": "How many planets are there in the solar system?"})
	assert.Equal(t, map[string]any{"success": true, "conversationId": id, "response": "There are eight planets in the solar system."}, out)
	out = c.ok("POST", "/message", map[string]any{"conversationId": id, "message": "ping"})
	assert.Equal(t, `You said: "ping"`, out["response"])
	assert.Len(t, c.ct.Messages(id.(string)), 5)
}

func TestChatThingSendValidation(t *testing.T) {
	c := newCTRaw(t)
	assert.Equal(t, `"message" is required`, c.fails(http.StatusBadRequest, "POST", "/message", map[string]any{})["message"])
	c.fails(http.StatusBadRequest, "POST", "/message", map[string]any{"message": "  "})
	// The one-off section's "response" field is not taken for "message".
	c.fails(http.StatusBadRequest, "POST", "/message", map[string]any{"response": "hi"})
	assert.Equal(t, "conversation not found",
		c.fails(http.StatusNotFound, "POST", "/message", map[string]any{"conversationId": "nope", "message": "hi"})["message"])
	assert.Empty(t, c.ct.ConversationIDs())
}

func TestChatThingScriptedReplies(t *testing.T) {
	c := newCTRaw(t)
	c.ct.QueueReplies("first", "second")
	var (
		mu   sync.Mutex
		seen []string
	)
	c.ct.SetBot(func(conversationID, message string) string {
		mu.Lock()
		defer mu.Unlock()
		seen = append(seen, conversationID+"|"+message)
		return "bot: " + message
	})
	assert.Equal(t, "first", c.ok("POST", "/message", map[string]any{"message": "a"})["response"])
	assert.Equal(t, "second", c.ok("POST", "/message", map[string]any{"message": "b"})["response"])
	out := c.ok("POST", "/message", map[string]any{"message": "c"})
	assert.Equal(t, "bot: c", out["response"])
	mu.Lock()
	assert.Equal(t, []string{out["conversationId"].(string) + "|c"}, seen, "the bot gets the conversation, even a new one")
	mu.Unlock()

	c.ct.SetBot(nil)
	assert.Equal(t, `You said: "d"`, c.ok("POST", "/message", map[string]any{"message": "d"})["response"])
}

func TestChatThingBotOption(t *testing.T) {
	c := newCTRaw(t, chatbottest.WithChatThingBot(func(_, m string) string { return m + m }))
	assert.Equal(t, "abab", c.ok("POST", "/message", map[string]any{"message": "ab"})["response"])
}

func TestChatThingListConversationsPaginates(t *testing.T) {
	c := newCTRaw(t)
	var ids []string
	for i := range 25 {
		ids = append(ids, c.ct.SeedConversation(fmt.Sprintf("question %d", i)))
	}
	c.ct.SeedConversation() // no user message yet: initialMessage is ""

	first := c.ok("POST", "/conversations", nil)
	items := first["conversations"].([]any)
	require.Len(t, items, 10, "default limit")
	item := items[0].(map[string]any)
	assert.Equal(t, ids[0], item["id"])
	assert.Equal(t, "question 0", item["initialMessage"])
	created, err := time.Parse(time.RFC3339Nano, item["createdAt"].(string))
	require.NoError(t, err)
	assert.WithinDuration(t, time.Now(), created, time.Minute)
	assert.Regexp(t, `^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$`, item["createdAt"])
	assert.Equal(t, map[string]any{"total": float64(26), "last": ids[9]}, first["pagination"])

	var got []string
	cursor := ""
	for {
		out := c.ok("POST", "/conversations", map[string]any{"limit": 7, "cursor": cursor})
		page := out["conversations"].([]any)
		pg := out["pagination"].(map[string]any)
		assert.Equal(t, float64(26), pg["total"])
		if len(page) == 0 {
			assert.Equal(t, "", pg["last"])
			break
		}
		for _, it := range page {
			got = append(got, it.(map[string]any)["id"].(string))
		}
		assert.Equal(t, got[len(got)-1], pg["last"])
		cursor = pg["last"].(string)
	}
	require.Len(t, got, 26)
	assert.Equal(t, ids, got[:25], "oldest first, nothing repeated or skipped")
}

func TestChatThingListLimits(t *testing.T) {
	c := newCTRaw(t)
	for i := range 101 {
		c.ct.SeedConversation(fmt.Sprint(i))
	}
	for _, bad := range []any{0, -1, 101, "10", 1.5} {
		out := c.fails(http.StatusBadRequest, "POST", "/conversations", map[string]any{"limit": bad})
		assert.NotEmpty(t, out["message"], "limit %v", bad)
	}
	assert.Len(t, c.ok("POST", "/conversations", map[string]any{"limit": 1})["conversations"], 1)
	assert.Len(t, c.ok("POST", "/conversations", map[string]any{"limit": 100})["conversations"], 100)
	assert.Equal(t, "unknown cursor", c.fails(http.StatusBadRequest, "POST", "/conversations", map[string]any{"cursor": "never-issued"})["message"])
}

func TestChatThingListMessages(t *testing.T) {
	c := newCTRaw(t)
	questions := make([]string, 60)
	for i := range questions {
		questions[i] = fmt.Sprintf("q%d", i)
	}
	id := c.ct.SeedConversation(questions...)
	c.ct.SeedConversation("another conversation")
	stored := c.ct.Messages(id)
	require.Len(t, stored, 121)

	out := c.ok("POST", "/messages", map[string]any{"conversationId": id, "limit": 3})
	assert.Equal(t, []any{
		map[string]any{"id": stored[0].ID, "message": "Hello, how can I help you?", "role": "assistant", "createdAt": stored[0].CreatedAt.UTC().Format("2006-01-02T15:04:05.000Z")},
		map[string]any{"id": stored[1].ID, "message": "q0", "role": "user", "createdAt": stored[1].CreatedAt.UTC().Format("2006-01-02T15:04:05.000Z")},
		map[string]any{"id": stored[2].ID, "message": `You said: "q0"`, "role": "assistant", "createdAt": stored[2].CreatedAt.UTC().Format("2006-01-02T15:04:05.000Z")},
	}, out["messages"])
	assert.Equal(t, map[string]any{"total": float64(121), "last": stored[2].ID}, out["pagination"])

	out = c.ok("POST", "/messages", map[string]any{"conversationId": id, "limit": 100, "cursor": stored[2].ID})
	assert.Len(t, out["messages"], 100)
	assert.Equal(t, stored[3].ID, out["messages"].([]any)[0].(map[string]any)["id"])
	out = c.ok("POST", "/messages", map[string]any{"conversationId": id, "limit": 100, "cursor": stored[102].ID})
	assert.Len(t, out["messages"], 18)

	c.fails(http.StatusBadRequest, "POST", "/messages", map[string]any{})
	c.fails(http.StatusNotFound, "POST", "/messages", map[string]any{"conversationId": "nope"})
	c.fails(http.StatusBadRequest, "POST", "/messages", map[string]any{"conversationId": id, "limit": 101})
}

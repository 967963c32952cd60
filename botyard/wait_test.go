package botyard_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/chatbot-sdk/chatbot-go/botyard"
	"github.com/chatbot-sdk/chatbot-go/chatbottest"
)

// TestWaitForRepliesBacksOff records when each poll arrives: the pause
// doubles from MinInterval up to MaxInterval (each pause is jittered
// within [d/2, d]). Only lower bounds are checked, which a slow machine
// cannot break.
func TestWaitForRepliesBacksOff(t *testing.T) {
	const polls = 6
	var mu sync.Mutex
	var at []time.Time
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		at = append(at, time.Now())
		n := len(at)
		mu.Unlock()
		w.Header().Set("Content-Type", "application/json")
		if n < polls {
			_, _ = w.Write([]byte(`{"chatId":"c","total":0,"page":1,"limit":100,"messages":[]}`))
			return
		}
		_, _ = w.Write([]byte(`{"chatId":"c","total":1,"page":1,"limit":100,"messages":[{"id":"r","senderId":"b","body":"hi","timestamp":1795433002600}]}`))
	}))
	defer srv.Close()
	c, err := botyard.NewClient(srv.URL, botyard.WithSession(sessionJWT))
	require.NoError(t, err)
	sent := &botyard.Message{ChatID: "c", MessageItem: botyard.MessageItem{ID: "s", Timestamp: 1795433002500}}
	replies, err := c.Messages.WaitForReplies(context.Background(), sent.ChatID, &botyard.WaitForRepliesParams{After: sent.Timestamp, BotID: "b", MinInterval: 10 * time.Millisecond, MaxInterval: 160 * time.Millisecond})
	require.NoError(t, err)
	require.Len(t, replies, 1)
	require.Len(t, at, polls)
	// Pauses: d = 10, 20, 40, 80, 160ms; each at least d/2.
	for i, d := range []time.Duration{10, 20, 40, 80, 160} {
		gap := at[i+1].Sub(at[i])
		assert.GreaterOrEqual(t, gap, d*time.Millisecond/2, "pause %d", i+1)
	}
}

// TestWaitForRepliesKeepsTheOldest: a bot that answers with more replies
// than one poll's page holds must not lose the first ones, which page 1
// (the newest messages) would leave out.
func TestWaitForRepliesKeepsTheOldest(t *testing.T) {
	for _, n := range []int{130, 250} {
		t.Run(fmt.Sprint(n), func(t *testing.T) {
			fake := chatbottest.StartBotyard(t, chatbottest.WithBotyardReplyDelay(0),
				chatbottest.WithBotyardReplier(func(_ chatbottest.BotyardBot, body string) []string {
					out := make([]string, n)
					for i := range out {
						out[i] = fmt.Sprintf("reply %d", i+1)
					}
					return out
				}))
			ctx := context.Background()
			c := loggedIn(t, fake)
			chat, err := c.Chats.Create(ctx, fake.Bots()[0].ID)
			require.NoError(t, err)
			sent, err := c.Messages.Send(ctx, &botyard.SendParams{ChatID: chat.ID, Body: "talk"})
			require.NoError(t, err)
			replies, err := c.Messages.WaitForReplies(ctx, sent.ChatID, &botyard.WaitForRepliesParams{After: sent.Timestamp, BotID: chat.BotID})
			require.NoError(t, err)
			want := n // all of them up to 200, else the oldest 100
			if n > 200 {
				want = 100
			}
			require.Len(t, replies, want)
			for i, m := range replies {
				assert.Equal(t, fmt.Sprintf("reply %d", i+1), m.Body)
				assert.Equal(t, chat.BotID, m.SenderID)
			}
		})
	}
}

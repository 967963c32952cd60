package botyard_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/chatbot-sdk/chatbot-go/botyard"
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
	replies, err := c.Messages.WaitForReplies(context.Background(), sent, &botyard.WaitParams{BotID: "b", MinInterval: 10 * time.Millisecond, MaxInterval: 160 * time.Millisecond})
	require.NoError(t, err)
	require.Len(t, replies, 1)
	require.Len(t, at, polls)
	// Pauses: d = 10, 20, 40, 80, 160ms; each at least d/2.
	for i, d := range []time.Duration{10, 20, 40, 80, 160} {
		gap := at[i+1].Sub(at[i])
		assert.GreaterOrEqual(t, gap, d*time.Millisecond/2, "pause %d", i+1)
	}
}

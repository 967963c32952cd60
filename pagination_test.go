package chatbot_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	chatbot "github.com/chatbot-sdk/chatbot-go"
	"github.com/chatbot-sdk/chatbot-go/internal/testkit"
)

// pagingServer serves n messages with cursor = last ID; ignoreCursor makes
// it always serve the first page.
func pagingServer(t *testing.T, n int, ignoreCursor bool) (*httptest.Server, *atomic.Int32) {
	t.Helper()
	var calls atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		calls.Add(1)
		var req struct {
			ConversationID string `json:"conversationId"`
			Limit          int    `json:"limit"`
			Cursor         string `json:"cursor"`
		}
		b, _ := io.ReadAll(r.Body)
		if err := json.Unmarshal(b, &req); err != nil || req.ConversationID != "conv" || req.Limit != 10 {
			w.WriteHeader(http.StatusBadRequest)
			return
		}
		start := 0
		if req.Cursor != "" && !ignoreCursor {
			_, _ = fmt.Sscanf(req.Cursor, "m-%d", &start)
			start++
		}
		type msg struct {
			ID      string `json:"id"`
			Message string `json:"message"`
			Role    string `json:"role"`
		}
		var page []msg
		for i := start; i < n && len(page) < req.Limit; i++ {
			page = append(page, msg{fmt.Sprintf("m-%d", i), fmt.Sprintf("text %d", i), "user"})
		}
		last := ""
		if len(page) > 0 {
			last = page[len(page)-1].ID
		}
		_ = json.NewEncoder(w).Encode(map[string]any{"success": true, "messages": page,
			"pagination": map[string]any{"total": n, "last": last}})
	}))
	t.Cleanup(srv.Close)
	return srv, &calls
}

func TestMessagesListAllOver257Items(t *testing.T) {
	srv, calls := pagingServer(t, 257, false)
	c, err := chatbot.NewClient(testChannel, testSecret, chatbot.WithBaseURL(srv.URL))
	require.NoError(t, err)
	i := 0
	for m, err := range c.Messages.ListAll(context.Background(), "conv", &chatbot.ListParams{Limit: 10}) {
		require.NoError(t, err)
		require.Equal(t, fmt.Sprintf("m-%d", i), m.ID)
		require.Equal(t, fmt.Sprintf("text %d", i), m.Message)
		require.Equal(t, chatbot.RoleUser, m.Role)
		i++
	}
	assert.Equal(t, 257, i)
	assert.EqualValues(t, 26, calls.Load())
}

func TestMessagesListAllAgainstServerIgnoringCursor(t *testing.T) {
	srv, calls := pagingServer(t, 257, true)
	c, err := chatbot.NewClient(testChannel, testSecret, chatbot.WithBaseURL(srv.URL))
	require.NoError(t, err)
	n := 0
	for _, err := range c.Messages.ListAll(context.Background(), "conv", &chatbot.ListParams{Limit: 10}) {
		require.NoError(t, err)
		n++
	}
	assert.Equal(t, 10, n, "the first page once, no endless loop")
	assert.EqualValues(t, 2, calls.Load())
}

func TestListAllSurfacesErrorAsLastPair(t *testing.T) {
	rec := serveChatThing(t, listChatsExchange(recorded("list_conversations.json")),
		testkit.Exchange{Method: http.MethodPost, Path: prefix + "/conversations", JSON: `{"cursor":"fbd1e412-8071-476e-bb25-d76109b77f0a"}`,
			Reply: testkit.Reply{Status: http.StatusForbidden, Body: `{"success":false}`}})
	var got []string
	var last error
	for conv, err := range rec.client(t).Chats.ListAll(context.Background(), nil) {
		if err != nil {
			last = err
			break
		}
		got = append(got, conv.ID)
	}
	assert.Equal(t, []string{"3eda9841-9813-49a4-a75c-3758ea31b43c", "9b03aeb0-d9fe-466d-9fc9-49607643ade7"}, got)
	assert.ErrorIs(t, last, chatbot.ErrForbidden)
	reqs := rec.Requests()
	require.Len(t, reqs, 2)
	assert.JSONEq(t, `{"cursor":"fbd1e412-8071-476e-bb25-d76109b77f0a"}`, string(reqs[1].Body))
}

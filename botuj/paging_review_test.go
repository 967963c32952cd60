package botuj_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strconv"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	chatbot "github.com/chatbot-sdk/chatbot-go"
	"github.com/chatbot-sdk/chatbot-go/botuj"
)

// A server that caps per_page at 50 and says in its metadata that more
// pages follow: ListAll follows the server's word, not the page's length
// against the Limit asked for.
func TestListAllFollowsAServerThatPagesSmaller(t *testing.T) {
	const total, serverCap = 120, 50
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		page, _ := strconv.Atoi(r.URL.Query().Get("page"))
		per := min(func() int { n, _ := strconv.Atoi(r.URL.Query().Get("per_page")); return n }(), serverCap)
		var items []map[string]any
		for i := (page-1)*per + 1; i <= min(page*per, total); i++ {
			items = append(items, map[string]any{"id": i})
		}
		last := (total + per - 1) / per
		_ = json.NewEncoder(w).Encode(map[string]any{"data": items, "page": page, "per_page": per, "total": total, "last_page": last})
	}))
	defer srv.Close()
	c, err := botuj.NewClient("k", chatbot.WithBaseURL(srv.URL))
	require.NoError(t, err)
	n := 0
	for _, err := range c.Conversations.ListAll(context.Background(), &botuj.ListParams{Limit: 100}) {
		require.NoError(t, err)
		n++
	}
	assert.Equal(t, total, n)
}

// A server that ignores page and lists newest first on a busy account
// (one new conversation before every request): each page is the previous
// one shifted by one. The walk must end, with ErrPageRepeated.
func TestListAllEndsOnAShiftingServerThatIgnoresPage(t *testing.T) {
	var newest atomic.Int64
	newest.Store(500)
	var calls atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		calls.Add(1)
		per, _ := strconv.Atoi(r.URL.Query().Get("per_page"))
		top := newest.Add(1)
		var items []map[string]any
		for i := range per {
			items = append(items, map[string]any{"id": top - int64(i)})
		}
		_ = json.NewEncoder(w).Encode(items)
	}))
	defer srv.Close()
	c, err := botuj.NewClient("k", chatbot.WithBaseURL(srv.URL))
	require.NoError(t, err)
	n := 0
	var last error
	for _, err := range c.Conversations.ListAll(context.Background(), &botuj.ListParams{Limit: 100}) {
		if err != nil {
			last = err
			break
		}
		n++
		require.Less(t, n, 20000, "the walk must end")
	}
	require.ErrorIs(t, last, botuj.ErrPageRepeated)
	assert.Equal(t, 100, n, "the first page once")
	assert.EqualValues(t, 2, calls.Load())
}

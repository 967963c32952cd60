package chatbot_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	chatbot "github.com/chatbot-sdk/chatbot-go"
	"github.com/chatbot-sdk/chatbot-go/botyard"
)

func TestBadInputIsRejectedBeforeSending(t *testing.T) {
	rec := serveChatThing(t) // no request may come
	c := rec.client(t)
	ctx := context.Background()
	monthly := chatbot.SyncInterval("fortnight")
	calls := map[string]func() error{
		"Message":    func() error { _, err := c.Messages.Send(ctx, &chatbot.SendParams{Message: "  "}); return err },
		"nil params": func() error { _, err := c.Messages.Send(ctx, nil); return err },
		"ConversationID": func() error {
			_, err := c.Messages.Send(ctx, &chatbot.SendParams{ConversationID: "..", Message: "x"})
			return err
		},
		"conversationID":    func() error { _, err := c.Messages.Continue(ctx, "", "x"); return err },
		"list conversation": func() error { _, err := c.Messages.List(ctx, "", nil); return err },
		"Limit high":        func() error { _, err := c.Chats.List(ctx, &chatbot.ListParams{Limit: 101}); return err },
		"Limit negative":    func() error { _, err := c.DataSources.List(ctx, &chatbot.ListParams{Limit: -1}); return err },
		"rows limit": func() error {
			_, err := c.DataSources.ListRows(ctx, "ds", &chatbot.ListParams{Limit: 1000})
			return err
		},
		"dataSourceID": func() error { _, err := c.DataSources.Get(ctx, ""); return err },
		"dot id":       func() error { return c.DataSources.Delete(ctx, ".") },
		"sync id":      func() error { return c.DataSources.Sync(ctx, " ") },
		"SyncInterval": func() error {
			_, err := c.DataSources.Update(ctx, "ds", &chatbot.UpdateDataSourceParams{SyncInterval: &monthly})
			return err
		},
		"no rows":            func() error { return c.DataSources.CreateRows(ctx, "ds", nil) },
		"row name":           func() error { return c.DataSources.CreateRows(ctx, "ds", []chatbot.NewRow{{Content: "x"}}) },
		"update rows":        func() error { return c.DataSources.UpdateRows(ctx, "ds", []chatbot.RowUpdate{}) },
		"update row id":      func() error { return c.DataSources.UpdateRows(ctx, "ds", []chatbot.RowUpdate{{Name: "n"}}) },
		"update row name":    func() error { return c.DataSources.UpdateRows(ctx, "ds", []chatbot.RowUpdate{{ID: "r"}}) },
		"delete rows":        func() error { return c.DataSources.DeleteRows(ctx, "ds", nil) },
		"delete row id":      func() error { return c.DataSources.DeleteRows(ctx, "ds", []string{"a", ""}) },
		"row id":             func() error { _, err := c.DataSources.GetRow(ctx, "ds", ""); return err },
		"row id control":     func() error { _, err := c.DataSources.GetRow(ctx, "ds", "a\nb"); return err },
		"list all bad limit": func() error { return firstErr(c.Chats.ListAll(ctx, &chatbot.ListParams{Limit: 500})) },
	}
	for name, call := range calls {
		err := call()
		var ve *chatbot.ValidationError
		require.ErrorAs(t, err, &ve, name)
		assert.NotEmpty(t, ve.Field, name)
		assert.NotEmpty(t, ve.Reason, name)
	}
	assert.Empty(t, rec.Requests(), "no request may reach the server")
}

func firstErr[T any](seq func(func(T, error) bool)) error {
	for _, err := range seq {
		if err != nil {
			return err
		}
	}
	return nil
}

func TestNewClientValidates(t *testing.T) {
	for name, build := range map[string]func() error{
		"channel":     func() error { _, err := chatbot.NewClient("", "k"); return err },
		"dot channel": func() error { _, err := chatbot.NewClient("..", "k"); return err },
		"secret":      func() error { _, err := chatbot.NewClient("c", ""); return err },
		"attempts":    func() error { _, err := chatbot.NewClient("c", "k", chatbot.WithMaxAttempts(0)); return err },
		"backoff":     func() error { _, err := chatbot.NewClient("c", "k", chatbot.WithBackoff(2, 1)); return err },
		"http client": func() error { _, err := chatbot.NewClient("c", "k", chatbot.WithHTTPClient(nil)); return err },
		"secret CRLF": func() error { _, err := chatbot.NewClient("c", "k\r\nX-Evil: 1"); return err },
		"secret tab":  func() error { _, err := chatbot.NewClient("c", "k\tk"); return err },
		"header":      func() error { _, err := chatbot.NewClient("c", "k", chatbot.WithHeader("X-A", "v\n")); return err },
		"botyard opt": func() error { _, err := chatbot.NewClient("c", "k", botyard.WithSession("t")); return err },
		"event size":  func() error { _, err := chatbot.NewClient("c", "k", chatbot.WithMaxEventBytes(0)); return err },
		"body size":   func() error { _, err := chatbot.NewClient("c", "k", chatbot.WithMaxResponseBytes(0)); return err },
		"timeout":     func() error { _, err := chatbot.NewClient("c", "k", chatbot.WithTimeout(-1)); return err },
	} {
		var ve *chatbot.ValidationError
		assert.ErrorAs(t, build(), &ve, name)
	}
	_, err := chatbot.NewClient("c", "k", chatbot.WithBaseURL("ftp://example.com"))
	var ve *chatbot.ValidationError
	require.ErrorAs(t, err, &ve)
	assert.Equal(t, "base URL", ve.Field)

	_, err = chatbot.NewClient("c", "k", botyard.WithSession("t"))
	assert.EqualError(t, err, "chatbot: invalid botyard.WithSession: is an option of package botyard; this is a chatbot client")
}

// Odd but legal IDs are escaped and sent; IDs that cannot be real (they
// would route elsewhere behind a proxy that decodes %2F, or reach logs
// with control bytes) are refused before any request, wherever they go.
func TestIDsAreEscapedOrRefused(t *testing.T) {
	var paths []string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		paths = append(paths, r.URL.EscapedPath())
		_, _ = w.Write([]byte(fixture(t, "start_conversation.json")))
	}))
	defer srv.Close()
	odd := `a b+&;='"é`
	c, err := chatbot.NewClient(odd, testSecret, chatbot.WithBaseURL(srv.URL))
	require.NoError(t, err)
	_, err = c.Chats.Start(context.Background())
	require.NoError(t, err)
	assert.Equal(t, []string{"/api/public/channels/a%20b+&%3B=%27%22%C3%A9/1.0/conversation"}, paths)

	bad := []string{"../../admin", "abc/def", "abc%2Fdef", "abc?x=1", "abc#frag", "a\x1bb", "a\x7fb", strings.Repeat("x", 1025)}
	for _, id := range bad {
		_, err := chatbot.NewClient(id, testSecret)
		var ve *chatbot.ValidationError
		require.ErrorAs(t, err, &ve, "%q", id)
		assert.Equal(t, "channelID", ve.Field)
		_, err = c.Messages.List(context.Background(), id, nil)
		require.ErrorAs(t, err, &ve, "%q", id)
		assert.Equal(t, "conversationID", ve.Field)
		err = c.DataSources.DeleteRows(context.Background(), "ds", []string{"ok", id})
		require.ErrorAs(t, err, &ve, "%q", id)
		assert.Equal(t, "rowIDs[1]", ve.Field)
	}
	assert.Len(t, paths, 1, "nothing but the first call was sent")
}

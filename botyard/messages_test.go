package botyard_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/chatbot-sdk/chatbot-go"
	"github.com/chatbot-sdk/chatbot-go/botyard"
	"github.com/chatbot-sdk/chatbot-go/internal/testkit"
)

func TestListFixtures(t *testing.T) {
	ctx := context.Background()
	ck := "token=" + sessionJWT
	msgs := p + "/chat/" + mainChat + "/messages"
	r := newReplay(t,
		testkit.Exchange{Method: "GET", Path: msgs, Header: cookie(ck), Reply: recorded(200, "client_get_messages", sessionJWT)},
		testkit.Exchange{Method: "GET", Path: msgs, RawQuery: "limit=20&page=3", Header: cookie(ck), Reply: recorded(200, "client_get_messages_page3", sessionJWT)},
		testkit.Exchange{Method: "GET", Path: msgs, RawQuery: "limit=5&page=2", Header: cookie(ck), Reply: recorded(200, "client_get_messages_limit_5_page_2", sessionJWT)},
		testkit.Exchange{Method: "GET", Path: msgs, RawQuery: "limit=5&page=2&sender_id=" + testBotID + "&since=1795433002500", Header: cookie(ck), Reply: recorded(200, "client_get_messages_since_sender", sessionJWT)},
		testkit.Exchange{Method: "GET", Path: msgs, RawQuery: "limit=20&page=4", Header: cookie(ck), Reply: recorded(200, "client_get_messages_beyond_end", sessionJWT)},
		testkit.Exchange{Method: "GET", Path: p + "/chat/" + bobChat + "/messages", Header: cookie(ck), Reply: recorded(403, "client_error_messages_foreign_chat", sessionJWT)},
	)
	c := r.client(botyard.WithSession(sessionJWT))

	page, err := c.Messages.List(ctx, mainChat, nil)
	require.NoError(t, err)
	assert.Equal(t, mainChat, page.ChatID)
	assert.Equal(t, 48, page.Total)
	assert.Equal(t, 1, page.Page)
	assert.Equal(t, 20, page.Limit)
	assert.Equal(t, 3, page.Pages())
	require.Len(t, page.Messages, 20)
	// Page 1 is the newest slice, oldest first inside: messages 29–48.
	assert.Equal(t, botyard.MessageItem{ID: "01m842a8g83wvv3hz51dfgabzd", SenderID: aliceID, Body: "user message 11", Timestamp: 1795433003175}, page.Messages[0])
	assert.Equal(t, "bot reply 20", page.Messages[19].Body)
	assertAscending(t, page.Messages)

	page, err = c.Messages.List(ctx, mainChat, &botyard.ListParams{Page: 3, Limit: 20})
	require.NoError(t, err)
	assert.Equal(t, 3, page.Page)
	require.Len(t, page.Messages, 8, "the last page is partial and holds the oldest messages")
	assert.Equal(t, "Hello World!", page.Messages[0].Body)
	assertAscending(t, page.Messages)

	page, err = c.Messages.List(ctx, mainChat, &botyard.ListParams{Page: 2, Limit: 5})
	require.NoError(t, err)
	assert.Equal(t, []botyard.MessageItem{
		{ID: "01m842a8g83wvv3hz523s4jwje", SenderID: aliceID, Body: "user message 16", Timestamp: 1795433003509},
		{ID: "01m842a8g83wvv3hz526naxnvs", SenderID: testBotID, Body: "bot reply 16", Timestamp: 1795433003540},
		{ID: "01m842a8g83wvv3hz528z2hckz", SenderID: aliceID, Body: "user message 17", Timestamp: 1795433003576},
		{ID: "01m842a8g83wvv3hz52c7rzrca", SenderID: testBotID, Body: "bot reply 17", Timestamp: 1795433003613},
		{ID: "01m842a8g83wvv3hz52d46xv1t", SenderID: aliceID, Body: "user message 18", Timestamp: 1795433003649},
	}, page.Messages)

	page, err = c.Messages.List(ctx, mainChat, &botyard.ListParams{Page: 2, Limit: 5, SenderID: testBotID, Since: 1795433002500})
	require.NoError(t, err)
	assert.Equal(t, 10, page.Total, "total counts the filtered set")
	require.Len(t, page.Messages, 5)
	for _, m := range page.Messages {
		assert.Equal(t, testBotID, m.SenderID)
	}
	assert.Equal(t, "bot reply 11", page.Messages[0].Body)
	assert.Equal(t, "bot reply 15", page.Messages[4].Body)

	page, err = c.Messages.List(ctx, mainChat, &botyard.ListParams{Page: 4, Limit: 20})
	require.NoError(t, err)
	assert.Equal(t, 48, page.Total)
	assert.Empty(t, page.Messages)

	_, err = c.Messages.List(ctx, bobChat, nil)
	assert.ErrorIs(t, err, chatbot.ErrForbidden)
	apiError(t, err, 403, "Chat is not related to current user.")
}

func assertAscending(t *testing.T, items []botyard.MessageItem) {
	t.Helper()
	for i := 1; i < len(items); i++ {
		assert.LessOrEqual(t, items[i-1].Timestamp, items[i].Timestamp, "item %d", i)
	}
}

// TestWaitForRepliesRequest checks the poll: since one millisecond before
// the sent message (since is exclusive), only the bot's messages. The
// answers are built from the recorded bot replies to match that query.
func TestWaitForRepliesRequest(t *testing.T) {
	ck := "token=" + sessionJWT
	msgs := p + "/chat/" + mainChat + "/messages"
	q := "limit=100&page=1&sender_id=" + testBotID + "&since=1795433002499"
	replies := testkit.DecodeFixture[botyard.MessagePage](t, fixturePath("client_get_messages_sender_bot"))
	require.Len(t, replies.Messages, 20)
	r := newReplay(t,
		testkit.Exchange{Method: "GET", Path: msgs, RawQuery: q, Header: cookie(ck), Reply: testkit.Reply{Status: 200, Header: setToken(sessionJWT),
			Body: testkit.ToJSON(t, botyard.MessagePage{ChatID: mainChat, Page: 1, Limit: 100, Messages: []botyard.MessageItem{}})}},
		testkit.Exchange{Method: "GET", Path: msgs, RawQuery: q, Header: cookie(ck), Reply: testkit.Reply{Status: 200, Header: setToken(sessionJWT),
			Body: testkit.ToJSON(t, botyard.MessagePage{ChatID: mainChat, Total: 20, Page: 1, Limit: 100, Messages: replies.Messages})}},
	)
	c := r.client(botyard.WithSession(sessionJWT))
	sent := &botyard.Message{ChatID: mainChat, MessageItem: botyard.MessageItem{ID: "x", SenderID: aliceID, Timestamp: 1795433002500}}
	got, err := c.Messages.WaitForReplies(context.Background(), sent.ChatID, &botyard.WaitForRepliesParams{After: sent.Timestamp, BotID: testBotID, Count: 3, MinInterval: time.Millisecond, MaxInterval: 2 * time.Millisecond})
	require.NoError(t, err)
	require.Len(t, got, 20)
	assert.Equal(t, botyard.MessageItem{ID: "01m842a8g83wvv3hz504412zpn", SenderID: testBotID, Body: "bot reply 1", Timestamp: 1795433002570}, got[0])
	assert.Equal(t, botyard.MessageItem{ID: "01m842a8g83wvv3hz52mabpa10", SenderID: testBotID, Body: "bot reply 20", Timestamp: 1795433003790}, got[19])
	for _, m := range got {
		assert.Greater(t, m.Timestamp, sent.Timestamp)
	}
	assertAscending(t, got)
}

func TestMessageValidation(t *testing.T) {
	c, err := botyard.NewClient("http://127.0.0.1:1", botyard.WithSession(sessionJWT), chatbot.WithMaxAttempts(1))
	require.NoError(t, err)
	ctx := context.Background()
	long := make([]byte, 2049*2)
	for i := 0; i < len(long); i += 2 {
		long[i], long[i+1] = 0xc3, 0xa9 // é: 2049 characters, 4098 bytes
	}
	eleven := make([]string, 11)
	for i := range eleven {
		eleven[i] = "f"
	}
	stamped := &botyard.Message{ChatID: "c", MessageItem: botyard.MessageItem{Timestamp: 1795433002500}}
	cases := map[string]struct {
		call  func() error
		field string
	}{
		"send nil":     {func() error { _, err := c.Messages.Send(ctx, nil); return err }, "params"},
		"send no chat": {func() error { _, err := c.Messages.Send(ctx, &botyard.SendParams{Body: "x"}); return err }, "ChatID"},
		"send body in bytes": {func() error {
			_, err := c.Messages.Send(ctx, &botyard.SendParams{ChatID: "c", Body: string(long)})
			return err
		}, "Body"},
		"send 11 files": {func() error {
			_, err := c.Messages.Send(ctx, &botyard.SendParams{ChatID: "c", AttachmentIDs: eleven})
			return err
		}, "AttachmentIDs"},
		"send empty file id": {func() error {
			_, err := c.Messages.Send(ctx, &botyard.SendParams{ChatID: "c", AttachmentIDs: []string{""}})
			return err
		}, "AttachmentIDs[0]"},
		"list no chat":       {func() error { _, err := c.Messages.List(ctx, "", nil); return err }, "chatID"},
		"list dot chat":      {func() error { _, err := c.Messages.List(ctx, "..", nil); return err }, "chatID"},
		"list negative page": {func() error { _, err := c.Messages.List(ctx, "c", &botyard.ListParams{Page: -1}); return err }, "Page"},
		"list negative limit": {func() error {
			_, err := c.Messages.List(ctx, "c", &botyard.ListParams{Limit: -1})
			return err
		}, "Limit"},
		"list huge limit": {func() error { _, err := c.Messages.List(ctx, "c", &botyard.ListParams{Limit: 1001}); return err }, "Limit"},
		"list negative since": {func() error {
			_, err := c.Messages.List(ctx, "c", &botyard.ListParams{Since: -5})
			return err
		}, "Since"},
		"list since in seconds": {func() error {
			_, err := c.Messages.List(ctx, "c", &botyard.ListParams{Since: time.Now().Unix()})
			return err
		}, "Since"},
		"list since just under milliseconds": {func() error {
			_, err := c.Messages.List(ctx, "c", &botyard.ListParams{Since: 999_999_999_999})
			return err
		}, "Since"},
		"all since in seconds": {func() error {
			for _, err := range c.Messages.ListAll(ctx, "c", &botyard.HistoryParams{Since: time.Now().Unix()}) {
				return err
			}
			return nil
		}, "Since"},
		"wait sent without timestamp": {func() error {
			_, err := c.Messages.WaitForReplies(ctx, "c", &botyard.WaitForRepliesParams{BotID: "b"})
			return err
		}, "After"},
		"wait nil sent": {func() error {
			_, err := c.Messages.WaitForReplies(ctx, "", &botyard.WaitForRepliesParams{BotID: "b", After: 1})
			return err
		}, "chatID"},
		"wait no bot": {func() error {
			_, err := c.Messages.WaitForReplies(ctx, stamped.ChatID, &botyard.WaitForRepliesParams{After: stamped.Timestamp})
			return err
		}, "BotID"},
		"wait too many": {func() error {
			_, err := c.Messages.WaitForReplies(ctx, stamped.ChatID, &botyard.WaitForRepliesParams{After: stamped.Timestamp, BotID: "b", Count: 101})
			return err
		}, "Count"},
		"wait max under min": {func() error {
			_, err := c.Messages.WaitForReplies(ctx, stamped.ChatID, &botyard.WaitForRepliesParams{After: stamped.Timestamp, BotID: "b", MinInterval: time.Second, MaxInterval: time.Millisecond})
			return err
		}, "MaxInterval"},
		"wait negative interval": {func() error {
			_, err := c.Messages.WaitForReplies(ctx, stamped.ChatID, &botyard.WaitForRepliesParams{After: stamped.Timestamp, BotID: "b", MinInterval: -time.Second})
			return err
		}, "MinInterval"},
		"wait nil params":   {func() error { _, err := c.Messages.WaitForReplies(ctx, stamped.ChatID, nil); return err }, "params"},
		"nickname short":    {func() error { _, err := c.Users.Create(ctx, "ab"); return err }, "nickname"},
		"nickname long":     {func() error { _, err := c.Users.Create(ctx, "abcdefghijabcdefghijabcdefghijabc"); return err }, "nickname"},
		"nickname unicode":  {func() error { _, err := c.Users.Create(ctx, "añes"); return err }, "nickname"},
		"nickname symbol":   {func() error { _, err := c.Users.Create(ctx, "bob!"); return err }, "nickname"},
		"bot empty":         {func() error { _, err := c.Bots.Get(ctx, ""); return err }, "botID"},
		"commands empty":    {func() error { _, err := c.Bots.Commands(ctx, " "); return err }, "botID"},
		"chat create empty": {func() error { _, err := c.Chats.Create(ctx, ""); return err }, "botID"},
		"chat list empty":   {func() error { _, err := c.Chats.List(ctx, ""); return err }, "botID"},
		"chat delete empty": {func() error { return c.Chats.Delete(ctx, "") }, "chatID"},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			err := tc.call()
			var verr *chatbot.ValidationError
			require.ErrorAs(t, err, &verr)
			assert.Equal(t, tc.field, verr.Field)
		})
	}
	// The limits themselves pass validation (the port is closed, so the
	// request fails on the network, not on validation).
	_, err = c.Messages.List(ctx, "c", &botyard.ListParams{Since: 1_000_000_000_000})
	var sinceErr *chatbot.ValidationError
	assert.False(t, errorsAs(err, &sinceErr), "the first millisecond taken as milliseconds: %v", err)
	for _, nick := range []string{"   ", "abc", "abcdefghijabcdefghijabcdefghijab", "Bob-Smith 2"} {
		_, err := c.Users.Create(ctx, nick)
		var verr *chatbot.ValidationError
		assert.False(t, errorsAs(err, &verr), "nickname %q", nick)
	}
}

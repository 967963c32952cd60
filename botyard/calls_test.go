package botyard_test

import (
	"context"
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/chatbot-sdk/chatbot-go"
	"github.com/chatbot-sdk/chatbot-go/botyard"
	"github.com/chatbot-sdk/chatbot-go/internal/testkit"
)

const p = "/v1/client-api"

func TestServiceInfoFixture(t *testing.T) {
	r := newReplay(t, testkit.Exchange{Method: "GET", Path: p + "/service-info", Reply: recorded(200, "client_get_service_info", "")})
	info, err := r.client().ServiceInfo(context.Background())
	require.NoError(t, err)
	assert.Equal(t, &botyard.ServiceInfo{
		Name:        "Service name",
		Description: "Some info about your service.",
		Socials: []botyard.Social{
			{Title: "Website", URL: "https://example.com"},
			{Title: "GitHub", URL: "https://github.com"},
			{Title: "Discord", URL: "https://discord.com"},
			{Title: "Twitter", URL: "https://twitter.com"},
		},
	}, info)
}

func TestBotsFixtures(t *testing.T) {
	ctx := context.Background()
	r := newReplay(t,
		testkit.Exchange{Method: "GET", Path: p + "/bots", Reply: recorded(200, "client_get_bots", "")},
		testkit.Exchange{Method: "GET", Path: p + "/bot/" + testBotID, Reply: recorded(200, "client_get_bot", "")},
		testkit.Exchange{Method: "GET", Path: p + "/bot/" + echoBotID, Reply: recorded(200, "client_get_bot_no_description", "")},
		testkit.Exchange{Method: "GET", Path: p + "/bot/01hc76p6ma76qfrs0bfr5x2pry", Reply: recorded(404, "client_error_bot_not_found", "")},
	)
	c := r.client()
	bots, err := c.Bots.List(ctx)
	require.NoError(t, err)
	assert.Equal(t, []botyard.Bot{
		{ID: testBotID, Name: "Test bot", Description: "Just testing bot (edited).", Avatar: "https://example.com/avatar.png"},
		{ID: echoBotID, Name: "Echo bot"},
		{ID: "01m842a8g83wvv3hz4v511w0am", Name: "Avatar bot"},
	}, bots)

	bot, err := c.Bots.Get(ctx, testBotID)
	require.NoError(t, err)
	assert.Equal(t, &botyard.Bot{ID: testBotID, Name: "Test bot", Description: "Just testing bot (edited).", Avatar: "https://example.com/avatar.png"}, bot)

	bot, err = c.Bots.Get(ctx, echoBotID)
	require.NoError(t, err)
	assert.Equal(t, &botyard.Bot{ID: echoBotID, Name: "Echo bot"}, bot)

	_, err = c.Bots.Get(ctx, "01hc76p6ma76qfrs0bfr5x2pry")
	assert.ErrorIs(t, err, chatbot.ErrNotFound)
	api := apiError(t, err, 404, "Bot not found.")
	assert.Equal(t, "Bots.Get", api.Op)
}

// TestSessionFixtures follows the session through login, re-issue on every
// authenticated call (even a failing one) and the 401 of a dead session.
func TestSessionFixtures(t *testing.T) {
	ctx := context.Background()
	r := newReplay(t,
		testkit.Exchange{Method: "POST", Path: p + "/user", JSON: `{"nickname":"alice"}`, Reply: recorded(201, "client_create_user", "jwt-1")},
		testkit.Exchange{Method: "GET", Path: p + "/user", Header: cookie("token=jwt-1"), Reply: recorded(200, "client_get_user", "jwt-2")},
		testkit.Exchange{Method: "GET", Path: p + "/bot/" + testBotID + "/commands", Header: cookie("token=jwt-2"), Reply: recorded(200, "client_get_bot_commands", "jwt-3")},
		testkit.Exchange{Method: "GET", Path: p + "/bot/" + echoBotID + "/commands", Header: cookie("token=jwt-3"), Reply: recorded(200, "client_get_bot_commands_empty", "jwt-4")},
		testkit.Exchange{Method: "GET", Path: p + "/user", Header: cookie("token=jwt-4"), Reply: recorded(404, "client_error_user_not_found", "jwt-5")},
		testkit.Exchange{Method: "GET", Path: p + "/user", Header: cookie("token=jwt-5"), Reply: recorded(401, "client_error_expired_cookie", "")},
	)
	c := r.client()
	assert.Empty(t, c.Session())

	u, err := c.Users.Create(ctx, "alice")
	require.NoError(t, err)
	assert.Equal(t, &botyard.User{ID: aliceID, Nickname: "alice"}, u)
	assert.Equal(t, "jwt-1", c.Session())

	u, err = c.Users.Current(ctx)
	require.NoError(t, err)
	assert.Equal(t, &botyard.User{ID: aliceID, Nickname: "alice"}, u)
	assert.Equal(t, "jwt-2", c.Session(), "the re-issued token replaces the old one")

	cmds, err := c.Bots.Commands(ctx, testBotID)
	require.NoError(t, err)
	assert.Equal(t, []botyard.Command{
		{ID: "01m842a8g83wvv3hz4v86xmtde", Alias: "start", Description: "Start a new conversation."},
		{ID: "01m842a8g83wvv3hz4va0qmc9x", Alias: "help", Description: "Show usage guide."},
	}, cmds)

	cmds, err = c.Bots.Commands(ctx, echoBotID)
	require.NoError(t, err)
	assert.Empty(t, cmds)
	assert.NotNil(t, cmds, "[] decodes as an empty list")

	_, err = c.Users.Current(ctx)
	assert.ErrorIs(t, err, chatbot.ErrNotFound)
	apiError(t, err, 404, "User not found.")
	assert.Equal(t, "jwt-5", c.Session(), "a failing authenticated call still re-issues the token")

	_, err = c.Users.Current(ctx)
	assert.ErrorIs(t, err, chatbot.ErrUnauthorized)
	assert.ErrorIs(t, err, botyard.ErrSessionExpired)
	apiError(t, err, 401, "User is unauthorized.")
	assert.Contains(t, err.Error(), "log in again")
	assert.NotContains(t, err.Error(), "jwt-5")
	assert.Empty(t, c.Session(), "a rejected token is dropped, not kept for saving")
}

func TestUnauthorizedWithoutSessionFixture(t *testing.T) {
	r := newReplay(t, testkit.Exchange{Method: "GET", Path: p + "/bot/" + testBotID + "/commands", Reply: recorded(401, "client_error_bot_commands_no_cookie", "")})
	_, err := r.client().Bots.Commands(context.Background(), testBotID)
	assert.ErrorIs(t, err, botyard.ErrSessionExpired)
	apiError(t, err, 401, "User is unauthorized.")
}

func TestUsersCreateServerRejectionFixture(t *testing.T) {
	// The client's own check agrees with the server; a server with other
	// limits still answers with its message.
	r := newReplay(t, testkit.Exchange{Method: "POST", Path: p + "/user", JSON: `{"nickname":"bob 2"}`, Reply: recorded(400, "client_error_short_nickname", "")})
	_, err := r.client().Users.Create(context.Background(), "bob 2")
	assert.ErrorIs(t, err, chatbot.ErrBadRequest)
	apiError(t, err, 400, "Nickname must be at least 3 characters long.")
}

func TestChatsFixtures(t *testing.T) {
	ctx := context.Background()
	ck := "token=" + sessionJWT
	r := newReplay(t,
		testkit.Exchange{Method: "POST", Path: p + "/chat", Header: cookie(ck), JSON: `{"botId":"` + testBotID + `"}`, Reply: recorded(201, "client_create_chat", sessionJWT)},
		testkit.Exchange{Method: "POST", Path: p + "/chat", Header: cookie(ck), JSON: `{"botId":"` + testBotID + `"}`, Reply: recorded(400, "client_error_too_many_chats", sessionJWT)},
		testkit.Exchange{Method: "GET", Path: p + "/chats", RawQuery: "bot_id=" + testBotID, Header: cookie(ck), Reply: recorded(200, "client_get_chats", sessionJWT)},
		testkit.Exchange{Method: "GET", Path: p + "/chats", RawQuery: "bot_id=" + echoBotID, Header: cookie(ck), Reply: recorded(200, "client_get_chats_empty", sessionJWT)},
		testkit.Exchange{Method: "GET", Path: p + "/chats", RawQuery: "bot_id=01hc76p6ma76qfrs0bfr5x2pry", Header: cookie(ck), Reply: recorded(404, "client_error_chats_unknown_bot", sessionJWT)},
		testkit.Exchange{Method: "DELETE", Path: p + "/chat/" + mainChat, Header: cookie(ck), Reply: recorded(200, "client_delete_chat", sessionJWT)},
		testkit.Exchange{Method: "DELETE", Path: p + "/chat/" + bobChat, Header: cookie(ck), Reply: recorded(403, "client_error_delete_foreign_chat", sessionJWT)},
	)
	c := r.client(botyard.WithSession(sessionJWT))

	chat, err := c.Chats.Create(ctx, testBotID)
	require.NoError(t, err)
	assert.Equal(t, &botyard.Chat{ID: mainChat, UserID: aliceID, BotID: testBotID}, chat)

	_, err = c.Chats.Create(ctx, testBotID)
	assert.ErrorIs(t, err, chatbot.ErrBadRequest)
	apiError(t, err, 400, "Cannot create more than 10 chat rooms with the same bot.")

	chats, err := c.Chats.List(ctx, testBotID)
	require.NoError(t, err)
	assert.Equal(t, []botyard.Chat{
		{ID: mainChat, UserID: aliceID, BotID: testBotID},
		{ID: "01m842a8g83wvv3hz4w3642nyg", UserID: aliceID, BotID: testBotID},
	}, chats)

	chats, err = c.Chats.List(ctx, echoBotID)
	require.NoError(t, err)
	assert.Empty(t, chats)

	_, err = c.Chats.List(ctx, "01hc76p6ma76qfrs0bfr5x2pry")
	apiError(t, err, 404, "Bot not found.")

	require.NoError(t, c.Chats.Delete(ctx, mainChat))
	err = c.Chats.Delete(ctx, bobChat)
	assert.ErrorIs(t, err, chatbot.ErrForbidden)
	apiError(t, err, 403, "Chat is not related to current user.")
}

func TestSendFixtures(t *testing.T) {
	ctx := context.Background()
	ck := "token=" + sessionJWT
	r := newReplay(t,
		testkit.Exchange{Method: "POST", Path: p + "/chat/message", Header: cookie(ck), JSON: `{"chatId":"` + mainChat + `","body":"Hello World!"}`, Reply: recorded(201, "client_send_message", sessionJWT)},
		testkit.Exchange{Method: "POST", Path: p + "/chat/message", Header: cookie(ck), JSON: `{"chatId":"` + mainChat + `","body":"Look at these","attachmentIds":["01m842a8g83wvv3hz4x955yn5d","01m842a8g83wvv3hz4xa0716rs","01m842a8g83wvv3hz4xdqyaxx0"]}`, Reply: recorded(201, "client_send_message_with_attachments", sessionJWT)},
		testkit.Exchange{Method: "POST", Path: p + "/chat/message", Header: cookie(ck), JSON: `{"chatId":"` + mainChat + `","body":""}`, Reply: recorded(201, "client_send_message_empty_body", sessionJWT)},
		testkit.Exchange{Method: "POST", Path: p + "/chat/message", Header: cookie(ck), JSON: `{"chatId":"` + mainChat + `","body":"<b>bold</b> & café ✓"}`, Reply: recorded(201, "client_send_message_html_chars", sessionJWT)},
		testkit.Exchange{Method: "POST", Path: p + "/chat/message", Header: cookie(ck), JSON: `{"chatId":"01hc7aa947s4fdwywwjqr14wh7","body":"hi"}`, Reply: recorded(404, "client_error_message_unknown_chat", sessionJWT)},
	)
	c := r.client(botyard.WithSession(sessionJWT))

	m, err := c.Messages.Send(ctx, &botyard.SendParams{ChatID: mainChat, Body: "Hello World!"})
	require.NoError(t, err)
	assert.Equal(t, &botyard.Message{ChatID: mainChat, MessageItem: botyard.MessageItem{ID: "01m842a8g83wvv3hz4zbjk8sq1", SenderID: aliceID, Body: "Hello World!", Timestamp: 1795432997691}}, m)
	assert.Equal(t, int64(1795432997691), m.Time().UnixMilli())

	m, err = c.Messages.Send(ctx, &botyard.SendParams{ChatID: mainChat, Body: "Look at these",
		AttachmentIDs: []string{"01m842a8g83wvv3hz4x955yn5d", "01m842a8g83wvv3hz4xa0716rs", "01m842a8g83wvv3hz4xdqyaxx0"}})
	require.NoError(t, err)
	assert.Equal(t, &botyard.Message{ChatID: mainChat, MessageItem: botyard.MessageItem{
		ID: "01m842a8g83wvv3hz4zc4qehp9", SenderID: aliceID, Body: "Look at these", Timestamp: 1795432997840,
		Attachments: []botyard.File{
			{ID: "01m842a8g83wvv3hz4x955yn5d", Path: "static/images/01m842a8g83wvv3hz4x5y1csn3.png", Name: "red.png", Size: 75, MimeType: "image/png"},
			{ID: "01m842a8g83wvv3hz4xa0716rs", Path: "static/images/01m842a8g83wvv3hz4x9fkyx4g.png", Name: "blue.png", Size: 78, MimeType: "image/png"},
			{ID: "01m842a8g83wvv3hz4xdqyaxx0", Path: "static/files/01m842a8g83wvv3hz4xaqcsbvb.asc", Name: "notes.txt", Size: 14, MimeType: "text/plain"},
		},
	}}, m)
	assert.Equal(t, r.URL()+"/static/images/01m842a8g83wvv3hz4x5y1csn3.png", c.FileURL(&m.Attachments[0]))

	m, err = c.Messages.Send(ctx, &botyard.SendParams{ChatID: mainChat})
	require.NoError(t, err)
	assert.Equal(t, &botyard.Message{ChatID: mainChat, MessageItem: botyard.MessageItem{ID: "01m842a8g83wvv3hz4zfsmegg7", SenderID: aliceID, Timestamp: 1795432998297}}, m)

	m, err = c.Messages.Send(ctx, &botyard.SendParams{ChatID: mainChat, Body: "<b>bold</b> & café ✓"})
	require.NoError(t, err)
	assert.Equal(t, "<b>bold</b> & café ✓", m.Body)

	_, err = c.Messages.Send(ctx, &botyard.SendParams{ChatID: "01hc7aa947s4fdwywwjqr14wh7", Body: "hi"})
	assert.ErrorIs(t, err, chatbot.ErrNotFound)
	apiError(t, err, 404, "Chat not found.")
}

func TestErrorShapesFixtures(t *testing.T) {
	// A framework error is a 500 with Fiber's text; it is not retried
	// (500 never is), even with retries on.
	r := newReplay(t, testkit.Exchange{Method: "GET", Path: p + "/bots", Reply: recorded(500, "client_error_unknown_route", "")})
	c, err := botyard.NewClient(r.URL())
	require.NoError(t, err)
	_, err = c.Bots.List(context.Background())
	assert.ErrorIs(t, err, chatbot.ErrServer)
	api := apiError(t, err, http.StatusInternalServerError, "Cannot GET /v1/client-api/nope")
	assert.Equal(t, 1, api.Attempts)
}

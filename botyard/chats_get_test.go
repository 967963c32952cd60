package botyard_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/chatbot-sdk/chatbot-go"
	"github.com/chatbot-sdk/chatbot-go/botyard"
	"github.com/chatbot-sdk/chatbot-go/chatbottest"
)

func TestChatsGetFindsTheChatAndItsBot(t *testing.T) {
	fake := chatbottest.StartBotyard(t)
	ctx := context.Background()
	c, err := botyard.NewClient(fake.URL)
	require.NoError(t, err)
	defer c.Close()
	_, err = c.Users.Create(ctx, "alice")
	require.NoError(t, err)
	bots := fake.Bots()
	require.Len(t, bots, 2)
	_, err = c.Chats.Create(ctx, bots[0].ID)
	require.NoError(t, err)
	echo, err := c.Chats.Create(ctx, bots[1].ID)
	require.NoError(t, err)

	before := len(fake.Requests())
	got, err := c.Chats.Get(ctx, echo.ID)
	require.NoError(t, err)
	assert.Equal(t, echo, got)
	assert.Equal(t, bots[1].ID, got.BotID)
	var paths []string
	for _, r := range fake.Requests()[before:] {
		paths = append(paths, r.Method+" "+r.Path+" "+r.Query)
	}
	assert.Equal(t, []string{
		"GET /v1/client-api/bots ",
		"GET /v1/client-api/chats bot_id=" + bots[0].ID,
		"GET /v1/client-api/chats bot_id=" + bots[1].ID,
	}, paths, "one call for the bots, then one per bot until the chat turns up")

	// The bot can answer through WaitForReplies with what Get returned.
	sent, err := c.Messages.Send(ctx, &botyard.SendParams{ChatID: got.ID, Body: "hi"})
	require.NoError(t, err)
	replies, err := c.Messages.WaitForReplies(ctx, got.ID, &botyard.WaitForRepliesParams{BotID: got.BotID, After: sent.Timestamp})
	require.NoError(t, err)
	assert.Equal(t, "Echo bot got: hi", replies[0].Body)
}

func TestChatsGetNotFound(t *testing.T) {
	fake := chatbottest.StartBotyard(t)
	ctx := context.Background()
	alice, err := botyard.NewClient(fake.URL)
	require.NoError(t, err)
	defer alice.Close()
	bob, err := botyard.NewClient(fake.URL)
	require.NoError(t, err)
	defer bob.Close()
	for _, c := range []*botyard.Client{alice, bob} {
		_, err = c.Users.Create(ctx, "someone")
		require.NoError(t, err)
	}
	bot := fake.Bots()[0]
	bobs, err := bob.Chats.Create(ctx, bot.ID)
	require.NoError(t, err)

	_, err = alice.Chats.Get(ctx, bobs.ID)
	require.ErrorIs(t, err, chatbot.ErrNotFound, "another user's chat")
	assert.EqualError(t, err, `botyard: Chats.Get: chat "`+bobs.ID+`" is not among the current user's chats with the server's 2 bots: not found`)

	// A chat with a deleted bot can no longer be listed.
	fake.DeleteBot(bot.ID)
	_, err = bob.Chats.Get(ctx, bobs.ID)
	require.ErrorIs(t, err, chatbot.ErrNotFound)

	before := len(fake.Requests())
	var verr *chatbot.ValidationError
	_, err = bob.Chats.Get(ctx, "")
	require.ErrorAs(t, err, &verr)
	assert.Equal(t, "chatID", verr.Field)
	assert.Len(t, fake.Requests(), before, "nothing sent")
}

func TestChatsGetNeedsASession(t *testing.T) {
	fake := chatbottest.StartBotyard(t)
	c, err := botyard.NewClient(fake.URL)
	require.NoError(t, err)
	defer c.Close()
	_, err = c.Chats.Get(context.Background(), "01m842a8g83wvv3hz4w1vtcs6e")
	require.ErrorIs(t, err, botyard.ErrSessionExpired)
}

// A bot deleted between the bot list and its chat list is skipped.
func TestChatsGetSkipsABotDeletedMeanwhile(t *testing.T) {
	fake := chatbottest.StartBotyard(t)
	ctx := context.Background()
	c, err := botyard.NewClient(fake.URL)
	require.NoError(t, err)
	defer c.Close()
	_, err = c.Users.Create(ctx, "alice")
	require.NoError(t, err)
	bots := fake.Bots()
	chat, err := c.Chats.Create(ctx, bots[1].ID)
	require.NoError(t, err)

	fake.Faults.FailNext(1, 404, chatbottest.OnPath("/v1/client-api/chats"))
	got, err := c.Chats.Get(ctx, chat.ID)
	require.NoError(t, err)
	assert.Equal(t, bots[1].ID, got.BotID)
}

package botyard_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/chatbot-sdk/chatbot-go"
	"github.com/chatbot-sdk/chatbot-go/botyard"
	"github.com/chatbot-sdk/chatbot-go/chatbottest"
)

// TestConversationAgainstFake runs every call end to end.
func TestConversationAgainstFake(t *testing.T) {
	fake := chatbottest.StartBotyard(t)
	ctx := context.Background()
	c, err := botyard.NewClient(fake.URL)
	require.NoError(t, err)

	info, err := c.ServiceInfo(ctx)
	require.NoError(t, err)
	assert.Equal(t, "Fake Botyard", info.Name)
	require.Len(t, info.Socials, 1)

	bots, err := c.Bots.List(ctx)
	require.NoError(t, err)
	require.Len(t, bots, 2)
	assert.Equal(t, "Test bot", bots[0].Name)
	assert.Equal(t, botyard.Bot{ID: bots[1].ID, Name: "Echo bot"}, bots[1])
	bot, err := c.Bots.Get(ctx, bots[0].ID)
	require.NoError(t, err)
	assert.Equal(t, bots[0], *bot)

	_, err = c.Bots.Commands(ctx, bot.ID)
	require.ErrorIs(t, err, botyard.ErrSessionExpired, "commands need a session")

	me, err := c.Users.Create(ctx, "alice")
	require.NoError(t, err)
	assert.Equal(t, "alice", me.Nickname)
	cmds, err := c.Bots.Commands(ctx, bot.ID)
	require.NoError(t, err)
	require.Len(t, cmds, 2)
	assert.Equal(t, "start", cmds[0].Alias)

	chat, err := c.Chats.Create(ctx, bot.ID)
	require.NoError(t, err)
	assert.Equal(t, botyard.Chat{ID: chat.ID, UserID: me.ID, BotID: bot.ID}, *chat)

	files, err := c.Files.Upload(ctx, []botyard.Upload{
		botyard.FileFromBytes("red.png", "image/png", []byte("png")),
		botyard.Upload{Name: "notes.txt", ContentType: "text/plain", Reader: strings.NewReader("notes")}})
	require.NoError(t, err)
	require.Len(t, files, 2)
	assert.Equal(t, botyard.File{ID: files[0].ID, Path: files[0].Path, Name: "red.png", Size: 3, MimeType: "image/png"}, files[0])
	assert.True(t, strings.HasPrefix(files[0].Path, "static/images/") && strings.HasSuffix(files[0].Path, ".png"), files[0].Path)
	assert.True(t, strings.HasPrefix(files[1].Path, "static/files/"), files[1].Path)

	sent, err := c.Messages.Send(ctx, &botyard.SendParams{ChatID: chat.ID, Body: "hello", AttachmentIDs: []string{files[0].ID, files[1].ID, "unknown"}})
	require.NoError(t, err)
	assert.Equal(t, chat.ID, sent.ChatID)
	assert.Equal(t, me.ID, sent.SenderID)
	assert.Equal(t, "hello", sent.Body)
	assert.Equal(t, files, sent.Attachments, "unknown IDs are dropped")
	assert.WithinDuration(t, time.Now(), sent.Time(), time.Minute)

	wctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	replies, err := c.Messages.WaitForReplies(wctx, sent.ChatID, &botyard.WaitForRepliesParams{After: sent.Timestamp, BotID: bot.ID, MinInterval: 5 * time.Millisecond})
	require.NoError(t, err)
	require.Len(t, replies, 1)
	assert.Equal(t, "Test bot got: hello", replies[0].Body)
	assert.Equal(t, bot.ID, replies[0].SenderID)
	assert.Greater(t, replies[0].Timestamp, sent.Timestamp)

	chats, err := c.Chats.List(ctx, bot.ID)
	require.NoError(t, err)
	assert.Equal(t, []botyard.Chat{*chat}, chats)

	// Another user cannot touch this chat.
	bob := loggedIn(t, fake)
	_, err = bob.Messages.Send(ctx, &botyard.SendParams{ChatID: chat.ID, Body: "hi"})
	assert.ErrorIs(t, err, chatbot.ErrForbidden)
	apiError(t, err, 403, "Chat is not related to current user.")

	require.NoError(t, c.Chats.Delete(ctx, chat.ID))
	err = c.Chats.Delete(ctx, chat.ID)
	apiError(t, err, 404, "Chat not found.")
	chats, err = c.Chats.List(ctx, bot.ID)
	require.NoError(t, err)
	assert.Empty(t, chats)
}

func TestWaitForRepliesAgainstFake(t *testing.T) {
	fake := chatbottest.StartBotyard(t,
		chatbottest.WithBotyardReplyDelay(30*time.Millisecond),
		chatbottest.WithBotyardReplier(func(bot chatbottest.BotyardBot, body string) []string {
			if bot.Name == "Echo bot" {
				return nil // never answers
			}
			return []string{"one: " + body, "two: " + body}
		}))
	ctx := context.Background()
	c := loggedIn(t, fake)
	bots := fake.Bots()

	chat, err := c.Chats.Create(ctx, bots[0].ID)
	require.NoError(t, err)
	sent, err := c.Messages.Send(ctx, &botyard.SendParams{ChatID: chat.ID, Body: "ping"})
	require.NoError(t, err)
	replies, err := c.Messages.WaitForReplies(ctx, sent.ChatID, &botyard.WaitForRepliesParams{After: sent.Timestamp, BotID: chat.BotID, Count: 2, MinInterval: 5 * time.Millisecond, MaxInterval: 20 * time.Millisecond})
	require.NoError(t, err)
	require.Len(t, replies, 2)
	assert.Equal(t, []string{"one: ping", "two: ping"}, []string{replies[0].Body, replies[1].Body})

	// The next message's wait does not count the earlier replies.
	sent, err = c.Messages.Send(ctx, &botyard.SendParams{ChatID: chat.ID, Body: "pong"})
	require.NoError(t, err)
	replies, err = c.Messages.WaitForReplies(ctx, sent.ChatID, &botyard.WaitForRepliesParams{After: sent.Timestamp, BotID: chat.BotID, Count: 2, MinInterval: 5 * time.Millisecond})
	require.NoError(t, err)
	assert.Equal(t, "one: pong", replies[0].Body)

	// A silent bot: the wait ends with the context.
	silent, err := c.Chats.Create(ctx, bots[1].ID)
	require.NoError(t, err)
	sent, err = c.Messages.Send(ctx, &botyard.SendParams{ChatID: silent.ID, Body: "anyone?"})
	require.NoError(t, err)
	wctx, cancel := context.WithTimeout(ctx, 80*time.Millisecond)
	defer cancel()
	start := time.Now()
	replies, err = c.Messages.WaitForReplies(wctx, sent.ChatID, &botyard.WaitForRepliesParams{After: sent.Timestamp, BotID: silent.BotID, MinInterval: 10 * time.Millisecond})
	assert.ErrorIs(t, err, context.DeadlineExceeded)
	assert.Empty(t, replies)
	assert.Less(t, time.Since(start), time.Second)
}

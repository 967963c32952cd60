package chat_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	chatbot "github.com/chatbot-sdk/chatbot-go"
	"github.com/chatbot-sdk/chatbot-go/botyard"
	"github.com/chatbot-sdk/chatbot-go/chat"
	"github.com/chatbot-sdk/chatbot-go/chatbottest"
)

func TestChatThingKeepsThePlatformValues(t *testing.T) {
	f := newChatThingFixture(t)
	ctx := context.Background()
	id, _ := f.seed(t, 1)

	var listed []chat.Conversation
	for c, err := range f.platform.(chat.Lister).Conversations(ctx) {
		require.NoError(t, err)
		listed = append(listed, c)
	}
	require.Len(t, listed, 1)
	assert.Equal(t, id, listed[0].ID)
	assert.Equal(t, "question a", listed[0].Preview, "the initial message")
	assert.WithinDuration(t, time.Now(), listed[0].Started, time.Minute)
	assert.IsType(t, chatbot.Conversation{}, listed[0].Raw)

	msgs := history(t, f, id)
	require.Len(t, msgs, 3)
	raw, ok := msgs[1].Raw.(chatbot.Message)
	require.True(t, ok)
	assert.Equal(t, chatbot.RoleUser, raw.Role)
	assert.Equal(t, msgs[1].ID, raw.ID)

	conv, err := f.platform.(chat.Opener).Resume(ctx, id)
	require.NoError(t, err)
	assert.Equal(t, msgs[0].Time, conv.Started, "Resume reads when it started")

	conv, err = f.platform.(chat.Opener).Start(ctx)
	require.NoError(t, err)
	require.NotNil(t, conv.Greeting)
	assert.Equal(t, "Hello, how can I help you?", conv.Greeting.Text)
	assert.IsType(t, &chatbot.Reply{}, conv.Raw)
}

func TestChatThingStreamEndsWithTheStreamError(t *testing.T) {
	fake := chatbottest.StartChatThing(t)
	client, err := chatbot.NewClient(fake.ChannelID, fake.SecretKey, chatbot.WithBaseURL(fake.URL))
	require.NoError(t, err)
	p := chat.ChatThing(client)
	defer p.Close()
	conv, err := p.(chat.Opener).Start(context.Background())
	require.NoError(t, err)

	fake.CutNextStream(2)
	var deltas []string
	var last error
	for d, err := range p.(chat.Streamer).Stream(context.Background(), conv.ID, "hi there") {
		if err != nil {
			last = err
			continue
		}
		deltas = append(deltas, d)
	}
	assert.Len(t, deltas, 1, "the one delta before the cut")
	assert.ErrorContains(t, last, "unexpected EOF")
}

func TestBotyardStartLogsInWithTheChosenBot(t *testing.T) {
	fake := chatbottest.StartBotyard(t)
	echo := fake.Bots()[1]
	client, err := botyard.NewClient(fake.URL)
	require.NoError(t, err)
	p := chat.Botyard(client, &chat.BotyardOptions{BotID: echo.ID, Nickname: "alice", MinPoll: time.Millisecond, MaxPoll: 10 * time.Millisecond})
	defer p.Close()
	ctx := context.Background()

	require.Empty(t, client.Session())
	conv, err := p.(chat.Opener).Start(ctx)
	require.NoError(t, err)
	assert.NotEmpty(t, client.Session(), "Start logged in")
	me, err := client.Users.Current(ctx)
	require.NoError(t, err)
	assert.Equal(t, "alice", me.Nickname)
	raw := conv.Raw.(botyard.Chat)
	assert.Equal(t, echo.ID, raw.BotID)
	assert.Equal(t, me.ID, raw.UserID)

	// A second Start keeps the session: same user, second chat.
	_, err = p.(chat.Opener).Start(ctx)
	require.NoError(t, err)
	assert.Equal(t, 1, fake.CountRequests("POST", "/v1/client-api/user"))

	reply, err := p.(chat.Sender).Send(ctx, conv.ID, "ping")
	require.NoError(t, err)
	assert.Equal(t, "Echo bot got: ping", reply.Text())
	item := reply.Messages[0].Raw.(botyard.MessageItem)
	assert.Equal(t, echo.ID, item.SenderID)
	assert.Equal(t, item.ID, reply.Messages[0].ID)
	assert.Equal(t, item.Time(), reply.Messages[0].Time)
}

func TestBotyardResumesAChatItHasNotSeen(t *testing.T) {
	fake := chatbottest.StartBotyard(t)
	ctx := context.Background()
	first, err := botyard.NewClient(fake.URL)
	require.NoError(t, err)
	defer first.Close()
	_, err = first.Users.Create(ctx, "bob")
	require.NoError(t, err)
	bot := fake.Bots()[1]
	c, err := first.Chats.Create(ctx, bot.ID)
	require.NoError(t, err)

	// Another process, the same session.
	client, err := botyard.NewClient(fake.URL, botyard.WithSession(first.Session()))
	require.NoError(t, err)
	p := chat.Botyard(client, &chat.BotyardOptions{MinPoll: time.Millisecond, MaxPoll: 10 * time.Millisecond})
	defer p.Close()
	conv, err := p.(chat.Opener).Resume(ctx, c.ID)
	require.NoError(t, err)
	assert.Equal(t, bot.ID, conv.Raw.(botyard.Chat).BotID)

	reply, err := p.(chat.Sender).Send(ctx, c.ID, "hi")
	require.NoError(t, err)
	assert.Equal(t, "Echo bot got: hi", reply.Text(), "the reply is told by the chat's bot")
}

func TestBotyardWithoutBots(t *testing.T) {
	fake := chatbottest.StartBotyard(t, chatbottest.WithoutBotyardDefaultBots())
	client, err := botyard.NewClient(fake.URL)
	require.NoError(t, err)
	p := chat.Botyard(client, nil)
	defer p.Close()
	_, err = p.(chat.Opener).Start(context.Background())
	assert.ErrorIs(t, err, chatbot.ErrNotFound)
	assert.ErrorContains(t, err, "no bots")
}

func TestBotyardListingWithoutSessionSaysSo(t *testing.T) {
	fake := chatbottest.StartBotyard(t)
	client, err := botyard.NewClient(fake.URL)
	require.NoError(t, err)
	p := chat.Botyard(client, nil)
	defer p.Close()
	_, err = collectErr(p.(chat.Lister).Conversations(context.Background()))
	assert.ErrorIs(t, err, botyard.ErrSessionExpired)
}

// sendless is a platform that can do nothing but be named.
type sendless struct{}

func (sendless) Name() string { return "sendless" }
func (sendless) Close() error { return nil }

func TestSendNeedsASenderOrStreamer(t *testing.T) {
	_, err := chat.Send(context.Background(), sendless{}, "c", "hi", nil)
	assert.True(t, errors.Is(err, errors.ErrUnsupported))
	assert.EqualError(t, err, "chat: sendless cannot send messages: unsupported operation")
}

func TestReplyText(t *testing.T) {
	r := &chat.Reply{Messages: []chat.Message{{Text: "one"}, {Text: "two"}}}
	assert.Equal(t, "one\ntwo", r.Text())
	assert.Equal(t, "", (&chat.Reply{}).Text())
}

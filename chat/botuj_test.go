package chat_test

import (
	"context"
	"strconv"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	chatbot "github.com/chatbot-sdk/chatbot-go"
	"github.com/chatbot-sdk/chatbot-go/botuj"
	"github.com/chatbot-sdk/chatbot-go/chat"
	"github.com/chatbot-sdk/chatbot-go/chatbottest"
)

// botujBot is what the seeded bot answers, so the suite knows the reply.
func botujBot(text string) string { return "echo: " + text }

// newBotujFixture is read-only: the suite seeds conversations straight
// into the fake, and skips what needs an Opener or a Sender.
func newBotujFixture(t *testing.T) *fixture {
	fake := chatbottest.StartBotuj(t)
	client, err := botuj.NewClient(fake.APIKey, chatbot.WithBaseURL(fake.URL))
	require.NoError(t, err)
	p := chat.Botuj(client)
	t.Cleanup(func() { _ = p.Close() })
	return &fixture{
		platform: p,
		name:     "botuj",
		caps:     caps{history: true, lister: true},
		reply:    botujBot,
		seed: func(t *testing.T, n int) (string, []chat.Message) {
			var msgs []chatbottest.BotujMessage
			var want []chat.Message
			for i := range n {
				text := "question " + string(rune('a'+i%26))
				msgs = append(msgs, chatbottest.BotujMessage{IsUser: true, Message: text}, chatbottest.BotujMessage{Message: botujBot(text)})
				want = append(want, chat.Message{Role: chat.RoleUser, Text: text}, chat.Message{Role: chat.RoleBot, Text: botujBot(text)})
			}
			return strconv.FormatInt(fake.AddConversation(msgs...).ID, 10), want
		},
		unknownID: "999999",
		requests:  func() int { return len(fake.Requests()) },
	}
}

func TestBotujSuite(t *testing.T) { runSuite(t, newBotujFixture) }

func TestBotujKeepsThePlatformValues(t *testing.T) {
	f := newBotujFixture(t)
	id, _ := f.seed(t, 2)

	var listed []chat.Conversation
	for c, err := range f.platform.(chat.Lister).Conversations(context.Background()) {
		require.NoError(t, err)
		listed = append(listed, c)
	}
	require.Len(t, listed, 1)
	assert.Equal(t, id, listed[0].ID)
	assert.Equal(t, "question a", listed[0].Preview, "the user's first message")
	raw, ok := listed[0].Raw.(botuj.Conversation)
	require.True(t, ok)
	assert.Equal(t, raw.CreatedOn.Time, listed[0].Started)
	assert.Equal(t, 4, raw.Count)

	msgs := history(t, f, id)
	require.Len(t, msgs, 4)
	for i, m := range msgs {
		raw, ok := m.Raw.(botuj.Message)
		require.True(t, ok)
		assert.Equal(t, raw.ID.String(), m.ID)
		assert.Equal(t, raw.CreatedOn.Time, m.Time)
		assert.Equal(t, i%2 == 0, raw.IsUser, "user, bot, user, bot")
	}
	assert.True(t, msgs[0].Time.Before(msgs[3].Time))
}

func TestBotujConversationIDsAreNumbers(t *testing.T) {
	f := newBotujFixture(t)
	for _, id := range []string{"abc", "0", "-4", "7.5", "99999999999999999999"} {
		_, err := collectErr(f.platform.(chat.HistoryReader).History(context.Background(), id))
		var verr *chatbot.ValidationError
		require.ErrorAs(t, err, &verr, id)
		assert.EqualError(t, err, "chat: invalid conversationID: must be a botuj conversation number, such as 7202", id)
	}
	assert.Zero(t, f.requests(), "refused before any request")
}

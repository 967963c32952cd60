package chat_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	chatbot "github.com/chatbot-sdk/chatbot-go"
	"github.com/chatbot-sdk/chatbot-go/chat"
	"github.com/chatbot-sdk/chatbot-go/chatbottest"
)

// chatThingBot answers every message alike, so the suite knows the reply.
func chatThingBot(text string) string { return "echo: " + text }

func newChatThingFixture(t *testing.T) *fixture {
	fake := chatbottest.StartChatThing(t, chatbottest.WithChatThingBot(func(_, text string) string { return chatThingBot(text) }))
	client, err := chatbot.NewClient(fake.ChannelID, fake.SecretKey, chatbot.WithBaseURL(fake.URL))
	require.NoError(t, err)
	p := chat.ChatThing(client)
	t.Cleanup(func() { _ = p.Close() })
	return &fixture{
		platform: p,
		name:     "chatthing",
		caps:     caps{opener: true, sender: true, streamer: true, history: true, lister: true},
		reply:    chatThingBot,
		seed: func(t *testing.T, n int) (string, []chat.Message) {
			texts := make([]string, n)
			want := []chat.Message{{Role: chat.RoleBot, Text: "Hello, how can I help you?"}}
			for i := range texts {
				texts[i] = "question " + string(rune('a'+i%26))
				want = append(want, chat.Message{Role: chat.RoleUser, Text: texts[i]}, chat.Message{Role: chat.RoleBot, Text: chatThingBot(texts[i])})
			}
			return fake.SeedConversation(texts...), want
		},
		// The role chunk and the first word, then nothing.
		hang:      func(func()) { fake.StallNextStream(2) },
		unknownID: "00000000-0000-4000-8000-000000000000",
		requests:  func() int { return len(fake.Requests()) },
	}
}

func TestChatThingSuite(t *testing.T) { runSuite(t, newChatThingFixture) }

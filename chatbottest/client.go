package chatbottest

import (
	"testing"

	chatbot "github.com/chatbot-sdk/chatbot-go"
	"github.com/chatbot-sdk/chatbot-go/botyard"
)

// Client returns a Chat Thing client wired to the fake (its channel ID,
// secret key and URL), for a test: opts come after those and may add to
// them, a client that cannot be made fails tb at once, and the client is
// closed when the test ends.
//
//	fake := chatbottest.StartChatThing(t)
//	client := fake.Client(t)
//
// Outside a test, call chatbot.NewClient(fake.ChannelID, fake.SecretKey,
// chatbot.WithBaseURL(fake.URL)).
func (c *ChatThing) Client(tb testing.TB, opts ...chatbot.Option) *chatbot.Client {
	tb.Helper()
	client, err := chatbot.NewClient(c.ChannelID, c.SecretKey, append([]chatbot.Option{chatbot.WithBaseURL(c.URL)}, opts...)...)
	if err != nil {
		tb.Fatalf("chatbottest: a client of the fake Chat Thing: %v", err)
	}
	tb.Cleanup(func() { client.Close() })
	return client
}

// Client returns a Botyard client wired to the fake, with no session yet
// (log in with Users.Create, or pass botyard.WithSession), for a test:
// opts come after the fake's URL and may add to it, a client that cannot
// be made fails tb at once, and the client is closed when the test ends.
//
//	fake := chatbottest.StartBotyard(t)
//	client := fake.Client(t)
//
// Outside a test, call botyard.NewClient(fake.URL).
func (b *Botyard) Client(tb testing.TB, opts ...chatbot.Option) *botyard.Client {
	tb.Helper()
	client, err := botyard.NewClient(b.URL, opts...)
	if err != nil {
		tb.Fatalf("chatbottest: a client of the fake Botyard: %v", err)
	}
	tb.Cleanup(func() { client.Close() })
	return client
}

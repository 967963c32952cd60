package demo

import (
	"context"
	"fmt"

	chatbot "github.com/chatbot-sdk/chatbot-go"
	"github.com/chatbot-sdk/chatbot-go/botyard"
	"github.com/chatbot-sdk/chatbot-go/chat"
	"github.com/chatbot-sdk/chatbot-go/chatbottest"
)

// demoNickname is the Botyard user who owns the demo chats.
const demoNickname = "demo user"

// botyardDemo are the demo chats: which of the fake's default bots, and
// what the user says in it (each bot answers every message).
var botyardDemo = []struct {
	bot   int // index in the fake's Bots
	texts []string
}{
	{0, []string{"/start", "What can you do?"}},
	{1, []string{"Is anyone there?"}},
	{0, []string{"Where is my order?"}},
}

// startBotyard starts a Botyard fake whose bots answer at once, and fills
// it as a demo user would: the printed session is that user's, so a client
// that restores it sees the demo chats.
func startBotyard(ctx context.Context) (*Fake, error) {
	fake := chatbottest.NewBotyard(chatbottest.WithBotyardReplyDelay(0))
	session, ids, err := seedBotyard(ctx, fake)
	if err != nil {
		fake.Close()
		return nil, fmt.Errorf("seeding the Botyard fake: %w", err)
	}
	return &Fake{
		Platform:        chat.NameBotyard,
		Title:           "Botyard",
		URL:             fake.URL,
		Env:             []Var{{botyard.EnvBaseURL, fake.URL}, {botyard.EnvSession, session}},
		ConversationIDs: ids,
		Server:          fake,
		Faults:          fake.Faults,
		Botyard:         fake,
		open: opener(func(opts []chatbot.Option) (*botyard.Client, error) {
			return botyard.NewClient(fake.URL, append([]chatbot.Option{botyard.WithSession(session)}, opts...)...)
		}, func(c *botyard.Client) chat.Platform { return chat.Botyard(c, nil) }),
	}, nil
}

// seedBotyard logs the demo user in, opens the demo chats and sends their
// messages, and returns the user's session and the chats' IDs.
func seedBotyard(ctx context.Context, fake *chatbottest.Botyard) (session string, ids []string, err error) {
	c, err := botyard.NewClient(fake.URL)
	if err != nil {
		return "", nil, err
	}
	defer c.Close()
	if _, err := c.Users.Create(ctx, demoNickname); err != nil {
		return "", nil, err
	}
	bots := fake.Bots()
	for _, d := range botyardDemo {
		ch, err := c.Chats.Create(ctx, bots[d.bot].ID)
		if err != nil {
			return "", nil, err
		}
		for _, text := range d.texts {
			// The bot answers before the send returns (no reply delay),
			// so the chat reads question, answer, question, answer.
			if _, err := c.Messages.Send(ctx, &botyard.SendParams{ChatID: ch.ID, Body: text}); err != nil {
				return "", nil, err
			}
		}
		ids = append(ids, ch.ID)
	}
	return c.Session(), ids, nil
}

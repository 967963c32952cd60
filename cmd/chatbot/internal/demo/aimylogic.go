package demo

import (
	"context"
	"fmt"

	chatbot "github.com/chatbot-sdk/chatbot-go"
	"github.com/chatbot-sdk/chatbot-go/aimylogic"
	"github.com/chatbot-sdk/chatbot-go/chat"
	"github.com/chatbot-sdk/chatbot-go/chatbottest"
)

// aimylogicDemo are the demo dialogues: the client ID of an end user, and
// what they say. The fake's default bot answers each text (see
// chatbottest.DefaultAimylogicBot): "hello" with a greeting and buttons,
// "bye" with a farewell, anything else by repeating it.
var aimylogicDemo = []struct {
	clientID string
	texts    []string
}{
	{"demo-client-1", []string{"hello", "What can you do?"}},
	{"demo-client-2", []string{"Is anyone there?"}},
	{"demo-client-3", []string{"Where is my order?", "bye"}},
}

// startAimylogic starts an Aimylogic fake and holds the demo dialogues
// through its Chat API, as end users' apps would. The Chat API cannot
// list its clients, so the fake's ConversationIDs are what export reads.
func startAimylogic(ctx context.Context) (*Fake, error) {
	fake := chatbottest.NewAimylogic()
	newClient := func(opts []chatbot.Option) (*aimylogic.Client, error) {
		return aimylogic.NewClient(fake.Token, append([]chatbot.Option{chatbot.WithBaseURL(fake.URL)}, opts...)...)
	}
	ids, err := seedAimylogic(ctx, newClient)
	if err != nil {
		fake.Close()
		return nil, fmt.Errorf("seeding the Aimylogic fake: %w", err)
	}
	return &Fake{
		Platform:        chat.NameAimylogic,
		Title:           "Aimylogic",
		URL:             fake.URL,
		Env:             []Var{{aimylogic.EnvToken, fake.Token}, {aimylogic.EnvBaseURL, fake.URL}},
		ConversationIDs: ids,
		Server:          fake,
		Faults:          fake.Faults,
		Aimylogic:       fake,
		open:            opener(newClient, func(c *aimylogic.Client) chat.Platform { return chat.Aimylogic(c, nil) }),
	}, nil
}

// seedAimylogic sends the demo texts and returns the client IDs.
func seedAimylogic(ctx context.Context, newClient func([]chatbot.Option) (*aimylogic.Client, error)) ([]string, error) {
	c, err := newClient(nil)
	if err != nil {
		return nil, err
	}
	defer c.Close()
	ids := make([]string, len(aimylogicDemo))
	for i, d := range aimylogicDemo {
		for _, text := range d.texts {
			if _, err := c.Messages.Send(ctx, &aimylogic.SendParams{ClientID: d.clientID, Query: text}); err != nil {
				return nil, err
			}
		}
		ids[i] = d.clientID
	}
	return ids, nil
}

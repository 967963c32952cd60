package demo

import (
	"strconv"

	chatbot "github.com/chatbot-sdk/chatbot-go"
	"github.com/chatbot-sdk/chatbot-go/botuj"
	"github.com/chatbot-sdk/chatbot-go/chat"
	"github.com/chatbot-sdk/chatbot-go/chatbottest"
)

// botujDemo is how many conversations the botuj.pl fake holds: the fake's
// own deterministic ones, in Polish, of one to three exchanges.
const botujDemo = 3

// startBotuj starts a botuj.pl fake seeded with its demo conversations.
// The API is read-only, so they are all there is to see.
func startBotuj() *Fake {
	fake := chatbottest.NewBotuj()
	var ids []string
	for _, id := range fake.Seed(botujDemo) {
		ids = append(ids, strconv.FormatInt(id, 10))
	}
	return &Fake{
		Platform:        chat.NameBotuj,
		Title:           "botuj.pl",
		URL:             fake.URL,
		Env:             []Var{{botuj.EnvAPIKey, fake.APIKey}, {botuj.EnvBaseURL, fake.URL}},
		ConversationIDs: ids,
		Server:          fake,
		Faults:          fake.Faults,
		Botuj:           fake,
		open: opener(func(opts []chatbot.Option) (*botuj.Client, error) {
			return botuj.NewClient(fake.APIKey, append([]chatbot.Option{chatbot.WithBaseURL(fake.URL)}, opts...)...)
		}, chat.Botuj),
	}
}

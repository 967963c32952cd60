package chat_test

import (
	"context"
	"fmt"
	"log"

	chatbot "github.com/chatbot-sdk/chatbot-go"
	"github.com/chatbot-sdk/chatbot-go/chat"
	"github.com/chatbot-sdk/chatbot-go/chatbottest"
)

// A conversation through the interface: the same code runs on every
// platform that is an Opener and a HistoryReader; chat.Send streams the
// reply where the platform streams. Here it runs on a fake Chat Thing.
func Example() {
	fake := chatbottest.NewChatThing()
	defer fake.Close()
	client, err := chatbot.NewClient(fake.ChannelID, fake.SecretKey, chatbot.WithBaseURL(fake.URL))
	if err != nil {
		log.Fatal(err)
	}
	var p chat.Platform = chat.ChatThing(client) // or chat.FromEnv("chatthing")
	defer p.Close()
	ctx := context.Background()

	conv, err := p.(chat.Opener).Start(ctx)
	if err != nil {
		log.Fatal(err)
	}
	if _, err := chat.Send(ctx, p, conv.ID, "How far away is the Moon?", func(delta string) { fmt.Print(delta) }); err != nil {
		log.Fatal(err)
	}
	fmt.Println()
	for msg, err := range p.(chat.HistoryReader).History(ctx, conv.ID) {
		if err != nil {
			log.Fatal(err)
		}
		fmt.Printf("%s: %s\n", msg.Role, msg.Text)
	}
	// Output:
	// The average distance from the Earth to the Moon is about 238,855 miles (384,400 kilometers).
	// bot: Hello, how can I help you?
	// user: How far away is the Moon?
	// bot: The average distance from the Earth to the Moon is about 238,855 miles (384,400 kilometers).
}

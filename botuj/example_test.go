package botuj_test

import (
	"context"
	"fmt"

	chatbot "github.com/chatbot-sdk/chatbot-go"
	"github.com/chatbot-sdk/chatbot-go/botuj"
	"github.com/chatbot-sdk/chatbot-go/chatbottest"
)

// ExampleConversationService_ListAll walks every conversation of an
// account and the messages of each, here on an in-memory fake server. With
// a real account, build the client with botuj.NewClientFromEnv() or
// botuj.NewClient(apiKey) instead.
func ExampleConversationService_ListAll() {
	fake := chatbottest.NewBotuj()
	defer fake.Close()
	fake.Seed(3)

	client, err := botuj.NewClient(fake.APIKey, chatbot.WithBaseURL(fake.URL))
	if err != nil {
		fmt.Println(err)
		return
	}
	defer client.Close()

	ctx := context.Background()
	for conv, err := range client.Conversations.ListAll(ctx, &botuj.ListParams{Limit: 100}) {
		if err != nil {
			fmt.Println(err)
			return
		}
		fmt.Printf("conversation %d, %d messages, started %s\n", conv.ID, conv.Count, conv.CreatedOn.Format("2006-01-02 15:04:05"))
		for msg, err := range client.Messages.ListAll(ctx, conv.ID, nil) {
			if err != nil {
				fmt.Println(err)
				return
			}
			who := "bot "
			if msg.IsUser {
				who = "user"
			}
			fmt.Printf("  %s: %s\n", who, msg.Message)
		}
	}
	// Output:
	// conversation 7202, 2 messages, started 2024-06-23 11:34:35
	//   user: Pytanie 1.1: czy możesz mi pomóc?
	//   bot : Odpowiedź 1.1: oczywiście, chętnie pomogę.
	// conversation 7203, 4 messages, started 2024-06-23 11:34:38
	//   user: Pytanie 2.1: czy możesz mi pomóc?
	//   bot : Odpowiedź 2.1: oczywiście, chętnie pomogę.
	//   user: Pytanie 2.2: czy możesz mi pomóc?
	//   bot : Odpowiedź 2.2: oczywiście, chętnie pomogę.
	// conversation 7204, 6 messages, started 2024-06-23 11:34:43
	//   user: Pytanie 3.1: czy możesz mi pomóc?
	//   bot : Odpowiedź 3.1: oczywiście, chętnie pomogę.
	//   user: Pytanie 3.2: czy możesz mi pomóc?
	//   bot : Odpowiedź 3.2: oczywiście, chętnie pomogę.
	//   user: Pytanie 3.3: czy możesz mi pomóc?
	//   bot : Odpowiedź 3.3: oczywiście, chętnie pomogę.
}

// ExampleMessageService_List reads one page of a conversation's messages
// and asks the page whether another one follows.
func ExampleMessageService_List() {
	fake := chatbottest.NewBotuj()
	defer fake.Close()
	id := fake.Seed(4)[3] // a conversation with 8 messages

	client, err := botuj.NewClient(fake.APIKey, chatbot.WithBaseURL(fake.URL))
	if err != nil {
		fmt.Println(err)
		return
	}
	defer client.Close()

	page, err := client.Messages.List(context.Background(), botuj.ID(id), &botuj.ListParams{Page: 1, Limit: 5})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("page %d: %d messages, more: %v\n", page.Page, len(page.Items), page.More())
	// Output:
	// page 1: 5 messages, more: true
}

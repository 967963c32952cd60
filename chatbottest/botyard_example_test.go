package chatbottest_test

import (
	"context"
	"fmt"
	"log"
	"strings"
	"time"

	"github.com/chatbot-sdk/chatbot-go/botyard"
	"github.com/chatbot-sdk/chatbot-go/chatbottest"
)

// A client wired to the fake takes three lines; in a test, prefer
// StartBotyard(t) and fake.Client(t), which close both when the test ends.
func ExampleNewBotyard() {
	fake := chatbottest.NewBotyard()
	defer fake.Close()
	client, err := botyard.NewClient(fake.URL)
	if err != nil {
		log.Fatal(err)
	}
	defer client.Close()

	ctx := context.Background()
	if _, err := client.Users.Create(ctx, "alice"); err != nil {
		log.Fatal(err)
	}
	bots, err := client.Bots.List(ctx)
	if err != nil {
		log.Fatal(err)
	}
	for _, b := range bots {
		fmt.Println(b.Name)
	}
	// Output:
	// Test bot
	// Echo bot
}

// Script how the fake's bots answer, and see every request the client
// made.
func ExampleWithBotyardReplier() {
	fake := chatbottest.NewBotyard(chatbottest.WithBotyardReplier(func(bot chatbottest.BotyardBot, body string) []string {
		return []string{strings.ToUpper(body), "(" + bot.Name + ")"}
	}))
	defer fake.Close()
	client, err := botyard.NewClient(fake.URL)
	if err != nil {
		log.Fatal(err)
	}
	defer client.Close()

	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if _, err := client.Users.Create(ctx, "alice"); err != nil {
		log.Fatal(err)
	}
	chat, err := client.Chats.Create(ctx, fake.Bots()[0].ID)
	if err != nil {
		log.Fatal(err)
	}
	sent, err := client.Messages.Send(ctx, &botyard.SendParams{ChatID: chat.ID, Body: "hello"})
	if err != nil {
		log.Fatal(err)
	}
	replies, err := client.Messages.WaitForReplies(ctx, chat.ID, &botyard.WaitForRepliesParams{BotID: chat.BotID, After: sent.Timestamp, Count: 2})
	if err != nil {
		log.Fatal(err)
	}
	for _, r := range replies {
		fmt.Println(r.Body)
	}
	fmt.Println(fake.CountRequests("POST", "/v1/client-api/chat/message"), "message sent")
	// Output:
	// HELLO
	// (Test bot)
	// 1 message sent
}

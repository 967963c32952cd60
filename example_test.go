package chatbot_test

import (
	"context"
	"errors"
	"fmt"
	"log"
	"time"

	chatbot "github.com/chatbot-sdk/chatbot-go"
	"github.com/chatbot-sdk/chatbot-go/chatbottest"
)

// The examples run against chatbottest's in-process fake server; in real
// code, drop WithBaseURL and pass your channel ID and secret key, or call
// NewClientFromEnv.

// Send a message in a new conversation, then stream the reply to the next
// one. The first five lines stand in for chatbot.NewClientFromEnv(), which
// reads CHATTHING_CHANNEL_ID and CHATTHING_SECRET_KEY.
func Example() {
	fake := chatbottest.NewChatThing()
	defer fake.Close()
	client, err := chatbot.NewClient(fake.ChannelID, fake.SecretKey, chatbot.WithBaseURL(fake.URL))
	if err != nil {
		log.Fatal(err)
	}
	defer client.Close()
	ctx := context.Background()

	conv := client.Conversation("") // started by the first message
	reply, err := conv.Send(ctx, "How many planets are there?")
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(reply.Response)

	stream, err := conv.Stream(ctx, "What is the distance to the moon?")
	if err != nil {
		log.Fatal(err)
	}
	defer stream.Close()
	for chunk, err := range stream.All() {
		if err != nil {
			log.Fatal(err)
		}
		fmt.Print(chunk.Content()) // each piece as it arrives
	}
	fmt.Println()
	// Output:
	// There are eight planets in the solar system.
	// The average distance from the Earth to the Moon is about 238,855 miles (384,400 kilometers).
}

// Use the channel the environment names, or a fake server when it names
// none: the switch every example program makes.
func ExampleNewClientFromEnv() {
	client, err := chatbot.NewClientFromEnv()
	if errors.Is(err, chatbot.ErrNoCredentials) {
		fake := chatbottest.NewChatThing()
		defer fake.Close()
		log.Printf("%v: using a fake server", err) // says which variables are missing
		client, err = chatbot.NewClient(fake.ChannelID, fake.SecretKey, chatbot.WithBaseURL(fake.URL))
	}
	if err != nil {
		log.Fatal(err)
	}
	defer client.Close()

	reply, err := client.Conversation("").Send(context.Background(), "Hello!")
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(reply.Response)
}

// Continue a conversation by its ID and read its whole history.
func ExampleClient_Conversation() {
	fake := chatbottest.NewChatThing()
	defer fake.Close()
	client, err := chatbot.NewClient(fake.ChannelID, fake.SecretKey, chatbot.WithBaseURL(fake.URL))
	if err != nil {
		log.Fatal(err)
	}
	defer client.Close()
	ctx := context.Background()

	started, err := client.Chats.Start(ctx) // the greeting comes back here
	if err != nil {
		log.Fatal(err)
	}
	conv := client.Conversation(started.ConversationID)
	if _, err := conv.Send(ctx, "How many planets are there?"); err != nil {
		log.Fatal(err)
	}
	for msg, err := range conv.ListAll(ctx, nil) {
		if err != nil {
			log.Fatal(err)
		}
		fmt.Printf("%s: %s\n", msg.Role, msg.Message)
	}
	// Output:
	// assistant: Hello, how can I help you?
	// user: How many planets are there?
	// assistant: There are eight planets in the solar system.
}

// Keep a data source in step with a set of documents, and train the bot
// on it. Running it again with the same documents changes nothing.
func ExampleDataSourceService_Mirror() {
	fake := chatbottest.NewChatThing()
	defer fake.Close()
	client, err := chatbot.NewClient(fake.ChannelID, fake.SecretKey, chatbot.WithBaseURL(fake.URL))
	if err != nil {
		log.Fatal(err)
	}
	defer client.Close()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	ds, err := client.DataSources.Create(ctx)
	if err != nil {
		log.Fatal(err)
	}

	docs := []chatbot.Document{
		{Name: "faq.md", Content: "# FAQ\nWe open at nine."},
		{Name: "pricing.md", Content: "# Pricing\nFree."},
	}
	for range 2 {
		res, err := client.DataSources.Mirror(ctx, ds.ID, docs, &chatbot.MirrorParams{Interval: 10 * time.Millisecond})
		if err != nil {
			log.Fatal(err)
		}
		fmt.Printf("%d created, %d updated, %d deleted, %d unchanged; synced now: %v\n",
			res.Created, res.Updated, res.Deleted, res.Unchanged, res.Synced)
	}
	// Output:
	// 2 created, 0 updated, 0 deleted, 0 unchanged; synced now: true
	// 0 created, 0 updated, 0 deleted, 2 unchanged; synced now: false
}

func ExampleNewClient() {
	fake := chatbottest.NewChatThing()
	defer fake.Close()

	client, err := chatbot.NewClient(fake.ChannelID, fake.SecretKey,
		chatbot.WithBaseURL(fake.URL), // omit to talk to chatthing.ai
		chatbot.WithMaxAttempts(3),
		chatbot.WithTimeout(30*time.Second),
	)
	if err != nil {
		log.Fatal(err)
	}
	conv, err := client.Chats.Start(context.Background())
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(conv.Response)
	// Output: Hello, how can I help you?
}

func ExampleMessageService_Send() {
	fake := chatbottest.NewChatThing()
	defer fake.Close()
	client, err := chatbot.NewClient(fake.ChannelID, fake.SecretKey, chatbot.WithBaseURL(fake.URL))
	if err != nil {
		log.Fatal(err)
	}
	ctx := context.Background()

	// Without a ConversationID the server starts a conversation.
	reply, err := client.Messages.Send(ctx, &chatbot.SendParams{Message: "How far away is the Moon?"})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(reply.Response)

	// Continue it with the returned ID.
	reply, err = client.Messages.Continue(ctx, reply.ConversationID, "How many planets are there?")
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(reply.Response)
	// Output:
	// The average distance from the Earth to the Moon is about 238,855 miles (384,400 kilometers).
	// There are eight planets in the solar system.
}

func ExampleMessageService_ListAll() {
	fake := chatbottest.NewChatThing()
	defer fake.Close()
	client, err := chatbot.NewClient(fake.ChannelID, fake.SecretKey, chatbot.WithBaseURL(fake.URL))
	if err != nil {
		log.Fatal(err)
	}
	ctx := context.Background()
	conv, err := client.Chats.Start(ctx)
	if err != nil {
		log.Fatal(err)
	}
	if _, err := client.Messages.Continue(ctx, conv.ConversationID, "How many planets are there?"); err != nil {
		log.Fatal(err)
	}

	// Pages of 2 are fetched as the loop needs them.
	for msg, err := range client.Messages.ListAll(ctx, conv.ConversationID, &chatbot.ListParams{Limit: 2}) {
		if err != nil {
			log.Fatal(err)
		}
		fmt.Printf("%s: %s\n", msg.Role, msg.Message)
	}
	// Output:
	// assistant: Hello, how can I help you?
	// user: How many planets are there?
	// assistant: There are eight planets in the solar system.
}

func ExampleDataSourceService_WaitForSync() {
	fake := chatbottest.NewChatThing()
	defer fake.Close()
	client, err := chatbot.NewClient(fake.ChannelID, fake.SecretKey, chatbot.WithBaseURL(fake.URL))
	if err != nil {
		log.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()

	ds, err := client.DataSources.Create(ctx)
	if err != nil {
		log.Fatal(err)
	}
	err = client.DataSources.CreateRows(ctx, ds.ID, []chatbot.NewRow{{Name: "faq.md", Content: "# FAQ\nWe open at nine."}})
	if err != nil {
		log.Fatal(err)
	}
	if err := client.DataSources.Sync(ctx, ds.ID); err != nil {
		log.Fatal(err)
	}
	ds, err = client.DataSources.WaitForSync(ctx, ds.ID, &chatbot.WaitForSyncParams{Interval: 20 * time.Millisecond})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(ds.State)
	// Output: synced
}

func ExampleAPIError() {
	fake := chatbottest.NewChatThing()
	defer fake.Close()
	client, err := chatbot.NewClient(fake.ChannelID, "wrong-key", chatbot.WithBaseURL(fake.URL))
	if err != nil {
		log.Fatal(err)
	}
	_, err = client.Chats.Start(context.Background())

	var apiErr *chatbot.APIError
	if errors.As(err, &apiErr) {
		fmt.Println(apiErr.StatusCode, errors.Is(err, chatbot.ErrForbidden))
	}
	// Output: 403 true
}

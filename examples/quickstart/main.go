// Command quickstart is a first tour of the Chat Thing client: it starts a
// conversation, sends a message, streams a reply to the terminal token by
// token, and lists the conversation's messages.
//
//	go run ./examples/quickstart
//
// With CHATTHING_CHANNEL_ID and CHATTHING_SECRET_KEY set it talks to your
// bot; without them it runs against an in-process fake server and says so
// on standard error.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"time"

	chatbot "github.com/chatbot-sdk/chatbot-go"
	"github.com/chatbot-sdk/chatbot-go/chatbottest"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	err := run(ctx, os.Stdout, os.Stderr)
	stop()
	if err != nil {
		fmt.Fprintln(os.Stderr, "quickstart:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, stdout, stderr io.Writer) error {
	// Your bot when the environment names it, else a fake server.
	client, err := chatbot.NewClientFromEnv()
	if errors.Is(err, chatbot.ErrNoCredentials) {
		// The delay makes the fake stream its reply word by word, as a real bot does.
		fake := chatbottest.NewChatThing(chatbottest.WithChatThingStreamDelay(30 * time.Millisecond))
		defer fake.Close()
		fmt.Fprintf(stderr, "%v: using an in-process fake Chat Thing server (chatbottest)\n", err)
		client, err = chatbot.NewClient(fake.ChannelID, fake.SecretKey, chatbot.WithBaseURL(fake.URL))
	}
	if err != nil {
		return err
	}
	defer client.Close()

	// 1. Start a conversation: the bot greets, and the reply carries the
	// conversation's ID, which names it in every later call.
	started, err := client.Chats.Start(ctx)
	if err != nil {
		return fmt.Errorf("starting a conversation: %w", err)
	}
	fmt.Fprintf(stdout, "Started conversation %s\nbot: %s\n", started.ConversationID, started.Response)
	conv := client.Conversation(started.ConversationID)

	// 2. Send a message and wait for the whole reply.
	question := "How many planets are there in the solar system?"
	fmt.Fprintf(stdout, "you: %s\n", question)
	reply, err := conv.Send(ctx, question)
	if err != nil {
		return fmt.Errorf("sending a message: %w", err)
	}
	fmt.Fprintf(stdout, "bot: %s\n", reply.Response)

	// 3. Stream a reply: print each piece of text as soon as it arrives.
	question = "What is the distance to the moon?"
	fmt.Fprintf(stdout, "you: %s\nbot: ", question)
	stream, err := conv.Stream(ctx, question)
	if err != nil {
		return fmt.Errorf("streaming a reply: %w", err)
	}
	defer stream.Close()
	for stream.Next() {
		fmt.Fprint(stdout, stream.Current().Content())
	}
	fmt.Fprintln(stdout)
	if err := stream.Err(); err != nil {
		return fmt.Errorf("streaming a reply: %w", err)
	}

	// 4. List the conversation's messages; ListAll fetches the pages as the
	// loop goes.
	fmt.Fprintln(stdout, "\nThe conversation so far:")
	for msg, err := range conv.ListAll(ctx, &chatbot.ListParams{Limit: 100}) {
		if err != nil {
			return fmt.Errorf("listing messages: %w", err)
		}
		fmt.Fprintf(stdout, "  %-9s %s\n", msg.Role, msg.Message)
	}
	return nil
}

// Command quickstart is a first tour of the Chat Thing client: it starts a
// conversation, sends a message, streams a reply to the terminal token by
// token, and lists the conversation's messages.
//
//	go run ./examples/quickstart
//
// With CHATTHING_CHANNEL_ID and CHATTHING_SECRET_KEY set it talks to your
// bot; without them it runs against an in-process fake server.
package main

import (
	"context"
	"fmt"
	"io"
	"time"

	chatbot "github.com/chatbot-sdk/chatbot-go"
	"github.com/chatbot-sdk/chatbot-go/chatbottest"
	"github.com/chatbot-sdk/chatbot-go/examples/internal/setup"
)

func main() { setup.Main("quickstart", run) }

// fakeStreamDelay paces the fake server's streamed reply so that it shows
// up word by word, as a real one does.
const fakeStreamDelay = 30 * time.Millisecond

func run(ctx context.Context, _ []string, _ io.Reader, stdout io.Writer, getenv func(string) string) error {
	client, stop, err := setup.ChatThing(getenv, stdout, chatbottest.WithChatThingStreamDelay(fakeStreamDelay))
	if err != nil {
		return err
	}
	defer stop()

	// 1. Start a conversation: the bot greets and the reply carries the
	// conversation's ID, which every later call uses.
	conv, err := client.Chats.Start(ctx)
	if err != nil {
		return fmt.Errorf("starting a conversation: %w", err)
	}
	fmt.Fprintf(stdout, "Started conversation %s\nbot: %s\n", conv.ConversationID, conv.Response)

	// 2. Send a message and wait for the whole reply.
	question := "How many planets are there in the solar system?"
	fmt.Fprintf(stdout, "you: %s\n", question)
	reply, err := client.Messages.Continue(ctx, conv.ConversationID, question)
	if err != nil {
		return fmt.Errorf("sending a message: %w", err)
	}
	fmt.Fprintf(stdout, "bot: %s\n", reply.Response)

	// 3. Stream a reply: print each piece of text as soon as it arrives.
	question = "What is the distance to the moon?"
	fmt.Fprintf(stdout, "you: %s\nbot: ", question)
	stream, err := client.Messages.Stream(ctx, &chatbot.SendParams{ConversationID: conv.ConversationID, Message: question})
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
	for msg, err := range client.Messages.ListAll(ctx, conv.ConversationID, &chatbot.ListParams{Limit: 100}) {
		if err != nil {
			return fmt.Errorf("listing messages: %w", err)
		}
		fmt.Fprintf(stdout, "  %-9s %s\n", msg.Role, msg.Message)
	}
	return nil
}

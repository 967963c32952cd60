package chatbottest_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log"
	"net/http"

	chatbot "github.com/chatbot-sdk/chatbot-go"
	"github.com/chatbot-sdk/chatbot-go/chatbottest"
)

// A client wired to the fake takes three lines; in a test, prefer
// StartChatThing(t) and fake.Client(t), which close both when the test
// ends.
func ExampleNewChatThing() {
	fake := chatbottest.NewChatThing()
	defer fake.Close()
	client, err := chatbot.NewClient(fake.ChannelID, fake.SecretKey, chatbot.WithBaseURL(fake.URL))
	if err != nil {
		log.Fatal(err)
	}
	defer client.Close()

	reply, err := client.Messages.Send(context.Background(), &chatbot.SendParams{Message: "What is the distance to the moon?"})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(reply.Response)
	fmt.Println(fake.CountRequests(http.MethodPost, "/message"), "request")
	// Output:
	// The average distance from the Earth to the Moon is about 238,855 miles (384,400 kilometers).
	// 1 request
}

func ExampleChatThing_QueueReplies() {
	fake := chatbottest.NewChatThing()
	defer fake.Close()
	client, err := chatbot.NewClient(fake.ChannelID, fake.SecretKey, chatbot.WithBaseURL(fake.URL))
	if err != nil {
		log.Fatal(err)
	}
	ctx := context.Background()

	fake.QueueReplies("Your order #42 ships tomorrow.")
	reply, err := client.Messages.Send(ctx, &chatbot.SendParams{Message: "Where is my order?"})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(reply.Response)

	// Once the queue is empty the bot answers again.
	reply, err = client.Messages.Continue(ctx, reply.ConversationID, "Thanks")
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(reply.Response)
	// Output:
	// Your order #42 ships tomorrow.
	// You said: "Thanks"
}

// Faults make the next requests fail; the client's retries ride out the
// 503s, and the message is stored once.
func ExampleChatThing_faults() {
	fake := chatbottest.NewChatThing()
	defer fake.Close()
	client, err := chatbot.NewClient(fake.ChannelID, fake.SecretKey, chatbot.WithBaseURL(fake.URL))
	if err != nil {
		log.Fatal(err)
	}

	fake.Faults.FailNext(2, http.StatusServiceUnavailable, chatbottest.OnPath("/message"), chatbottest.WithRetryAfter("0"))
	reply, err := client.Messages.Send(context.Background(), &chatbot.SendParams{Message: "hi"})
	if err != nil {
		log.Fatal(err)
	}
	for _, r := range fake.Requests() {
		fmt.Println(r.Method, r.Path, r.Status)
	}
	fmt.Println(len(fake.Messages(reply.ConversationID)), "messages")
	// Output:
	// POST /message 503
	// POST /message 503
	// POST /message 200
	// 2 messages
}

func ExampleChatThing_CutNextStream() {
	fake := chatbottest.NewChatThing()
	defer fake.Close()
	client, err := chatbot.NewClient(fake.ChannelID, fake.SecretKey, chatbot.WithBaseURL(fake.URL))
	if err != nil {
		log.Fatal(err)
	}

	// The role chunk and three tokens, then the body ends without [DONE].
	fake.CutNextStream(4)
	stream, err := client.Messages.Stream(context.Background(), &chatbot.SendParams{Message: "How far is the moon?"})
	if err != nil {
		log.Fatal(err)
	}
	defer stream.Close()
	for stream.Next() {
	}
	fmt.Printf("%q\n", stream.Text())
	fmt.Println(errors.Is(stream.Err(), io.ErrUnexpectedEOF))
	// Output:
	// "The average distance"
	// true
}

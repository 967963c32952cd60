package chatbot_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log"
	"strings"

	chatbot "github.com/chatbot-sdk/chatbot-go"
	"github.com/chatbot-sdk/chatbot-go/chatbottest"
)

func ExampleMessageService_Stream() {
	fake := chatbottest.NewChatThing() // in real code: no fake, no WithBaseURL
	defer fake.Close()
	client, err := chatbot.NewClient(fake.ChannelID, fake.SecretKey, chatbot.WithBaseURL(fake.URL))
	if err != nil {
		log.Fatal(err)
	}

	stream, err := client.Messages.Stream(context.Background(), &chatbot.SendParams{Message: "How far away is the Moon?"})
	if err != nil {
		log.Fatal(err)
	}
	defer stream.Close()
	for chunk, err := range stream.All() {
		if err != nil {
			log.Fatal(err) // the text so far is still in stream.Text()
		}
		fmt.Print(chunk.Content()) // each piece as soon as it arrives
	}
	fmt.Println()
	fmt.Println(stream.FinishReason(), stream.ConversationID() != "")
	// Output:
	// The average distance from the Earth to the Moon is about 238,855 miles (384,400 kilometers).
	// stop true
}

func ExampleMessageStream_Next() {
	fake := chatbottest.NewChatThing()
	defer fake.Close()
	client, err := chatbot.NewClient(fake.ChannelID, fake.SecretKey, chatbot.WithBaseURL(fake.URL))
	if err != nil {
		log.Fatal(err)
	}
	fake.CutNextStream(5) // the connection drops after five events

	stream, err := client.Messages.Stream(context.Background(), &chatbot.SendParams{Message: "How far away is the Moon?"})
	if err != nil {
		log.Fatal(err)
	}
	defer stream.Close()
	for stream.Next() {
		_ = stream.Current() // valid until the next call to Next
	}
	if err := stream.Err(); errors.Is(err, io.ErrUnexpectedEOF) {
		fmt.Printf("cut short after %q\n", stream.Text())
	}
	// Output: cut short after "The average distance from"
}

func ExampleNewSSEReader() {
	body := strings.NewReader(": keep-alive\r\n\r\nevent: greeting\r\ndata: hello\r\ndata: world\r\n\r\nid: 7\ndata: {\"n\":1}\n\n")
	events := chatbot.NewSSEReader(body, chatbot.WithSSEMaxEventBytes(64<<10))
	for {
		ev, err := events.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			log.Fatal(err)
		}
		fmt.Printf("%s id=%q %q\n", ev.Type, ev.ID, ev.Data)
	}
	// Output:
	// greeting id="" "hello\nworld"
	// message id="7" "{\"n\":1}"
}

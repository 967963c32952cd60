package chatbottest_test

import (
	"context"
	"fmt"
	"log"
	"net/http"
	"net/http/httptest"

	chatbot "github.com/chatbot-sdk/chatbot-go"
	"github.com/chatbot-sdk/chatbot-go/aimylogic"
	"github.com/chatbot-sdk/chatbot-go/chatbottest"
)

// A test needs three lines: the fake (StartAimylogic(t) closes it when
// the test ends), and a client pointed at its URL with its token.
func ExampleNewAimylogic() {
	fake := chatbottest.NewAimylogic()
	defer fake.Close()
	client, err := aimylogic.NewClient(fake.Token, chatbot.WithBaseURL(fake.URL))
	if err != nil {
		log.Fatal(err)
	}
	defer client.Close()

	resp, err := client.Messages.Send(context.Background(), &aimylogic.SendParams{ClientID: "user-1", Query: "hello"})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(resp.Data.Answer)
	for _, r := range resp.Data.Replies {
		fmt.Println(r.ReplyType())
	}
	fmt.Println(fake.CountRequests(http.MethodPost, "/chatapi/{token}"), "request")
	// Output:
	// Hello! What would you like to see?
	// text
	// buttons
	// 1 request
}

// The fake delivers the result of an asynchronous send to the webhook URL
// it is given; here, the client's own webhook handler, which pairs it
// with the send.
func ExampleAimylogic_SetWebhook() {
	fake := chatbottest.NewAimylogic()
	defer fake.Close()
	hook, err := aimylogic.NewWebhookHandler(fake.Token, nil)
	if err != nil {
		log.Fatal(err)
	}
	receiver := httptest.NewServer(hook)
	defer receiver.Close()
	fake.SetWebhook(receiver.URL)

	client, err := aimylogic.NewClient(fake.Token, chatbot.WithBaseURL(fake.URL))
	if err != nil {
		log.Fatal(err)
	}
	defer client.Close()
	res, err := client.Messages.SendAndWait(context.Background(), hook, &aimylogic.SendParams{ClientID: "user-1", Query: "image"})
	if err != nil {
		log.Fatal(err)
	}
	img := res.Data.Replies[0].(*aimylogic.ImageReply)
	fmt.Println(img.Text, img.ImageURL)
	// Output:
	// A cat https://example.com/images/cat.png
}

// AddEvents fills a client's chat, here past the 250 events one poll
// returns.
func ExampleAimylogic_AddEvents() {
	fake := chatbottest.NewAimylogic()
	defer fake.Close()
	fake.AddEvents("user-1", 300)
	client, err := aimylogic.NewClient(fake.Token, chatbot.WithBaseURL(fake.URL))
	if err != nil {
		log.Fatal(err)
	}
	defer client.Close()

	page, err := client.Events.Poll(context.Background(), &aimylogic.EventsParams{ClientID: "user-1", All: true})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(len(page.Events), page.MaybeTruncated())
	fmt.Println(page.Events[0].Response.Data.Answer)
	// Output:
	// 250 true
	// You said: message 1
}

package aimylogic_test

import (
	"context"
	"fmt"
	"log"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"

	chatbot "github.com/chatbot-sdk/chatbot-go"
	"github.com/chatbot-sdk/chatbot-go/aimylogic"
)

// A client for a JAICP channel sends a message, then follows the chat.
func ExampleNewClient() {
	c, err := aimylogic.NewClient(os.Getenv("AIMYLOGIC_TOKEN"), chatbot.WithBaseURL(aimylogic.JAICPURL))
	if err != nil {
		log.Fatal(err)
	}
	defer c.Close()
	ctx := context.Background()
	resp, err := c.Messages.Send(ctx, &aimylogic.SendParams{ClientID: "user-42", Query: "Hello"})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(resp.Data.Answer)
	for e, err := range c.Events.Follow(ctx, &aimylogic.EventsParams{ClientID: "user-42", All: true}) {
		if err != nil {
			log.Fatal(err)
		}
		if e.Gap != nil {
			// The server may have dropped events: read c.History.List
			// for e.Gap.From to e.Gap.To.
		}
		fmt.Println(e.Type, e.QuestionID)
	}
}

// The handler takes the platform's deliveries; results no request waits
// for go to the channel, and raw JSON never shows the token.
func ExampleNewWebhookHandler() {
	results := make(chan *aimylogic.WebhookResult, 16)
	hook, err := aimylogic.NewWebhookHandler("my-token", &aimylogic.WebhookOptions{Results: results})
	if err != nil {
		log.Fatal(err)
	}
	// http.Handle("/aimylogic/webhook", hook) in a real server.
	body := `[{"token":"my-token","clientId":"user-42","questionId":"q-1","data":{"answer":"Hi!"}}]`
	rec := httptest.NewRecorder()
	hook.ServeHTTP(rec, httptest.NewRequest(http.MethodPost, "/aimylogic/webhook", strings.NewReader(body)))

	r := <-results
	fmt.Println(rec.Code, r.ClientID, r.QuestionID, r.Data.Answer)
	fmt.Println(string(r.Raw))

	forged := strings.Replace(body, "my-token", "guess", 1)
	rec = httptest.NewRecorder()
	hook.ServeHTTP(rec, httptest.NewRequest(http.MethodPost, "/aimylogic/webhook", strings.NewReader(forged)))
	fmt.Print(rec.Code, " ", rec.Body.String())
	// Output:
	// 200 user-42 q-1 Hi!
	// {"token":"{token}","clientId":"user-42","questionId":"q-1","data":{"answer":"Hi!"}}
	// 403 aimylogic webhook: result 0 does not carry this channel's token
}

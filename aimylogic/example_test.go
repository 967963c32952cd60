package aimylogic_test

import (
	"encoding/json"
	"fmt"

	"github.com/chatbot-sdk/chatbot-go/aimylogic"
)

// A response's replies are read with a type switch; kinds the SDK has no
// type for arrive as *RawReply with their JSON intact.
func ExampleReply() {
	body := []byte(`{
		"clientId": "test", "questionId": "12345",
		"data": {"answer": "Pick one", "confidence": -0.011, "replies": [
			{"type": "text", "text": "Pick one", "state": "/Menu"},
			{"type": "buttons", "buttons": [{"text": "Tea"}, {"text": "Coffee"}]},
			{"type": "hangup"}
		]},
		"timestamp": "2022-09-28T12:32:13.262"
	}`)
	var resp aimylogic.Response
	if err := json.Unmarshal(body, &resp); err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(resp.Timestamp.UTC(), resp.Data.Confidence)
	for _, r := range resp.Data.Replies {
		switch r := r.(type) {
		case *aimylogic.TextReply:
			fmt.Printf("text %q from %s\n", r.Text, r.State)
		case *aimylogic.ButtonsReply:
			fmt.Println("buttons:", len(r.Buttons))
		case *aimylogic.RawReply:
			fmt.Printf("unhandled %q: %s\n", r.Type, r.JSON)
		}
	}
	// Output:
	// 2022-09-28 12:32:13.262 +0000 UTC -0.011
	// text "Pick one" from /Menu
	// buttons: 2
	// unhandled "hangup": {"type": "hangup"}
}

// Validate reports bad input as a *chatbot.ValidationError before any
// request is made.
func ExampleSendParams_Validate() {
	p := &aimylogic.SendParams{ClientID: "user/42", Query: "Hello"}
	fmt.Println(p.Validate())
	p = &aimylogic.SendParams{ClientID: "user-42", Query: "Hello", Event: "start"}
	fmt.Println(p.Validate())
	// Output:
	// aimylogic: invalid ClientID: must not contain "/", "?", "#" or "%"
	// aimylogic: invalid Event: must be empty when Query is set; send one of the two
}

package chatbot

import (
	"context"
	"iter"
	"net/http"

	"github.com/chatbot-sdk/chatbot-go/internal/rest"
)

// ChatService starts and lists conversations.
type ChatService struct{ client *Client }

// Reply is the answer to starting a conversation or sending a message.
type Reply struct {
	// ConversationID identifies the conversation; pass it to continue.
	ConversationID string `json:"conversationId"`
	// Response is the bot's reply text.
	Response string `json:"response"`
}

// Conversation is one item of the conversation list. To act on a
// conversation (send, stream, read its history), get a handle on it with
// Client.Conversation(ID).
type Conversation struct {
	// ID is the conversation's ID (a UUID), for Messages.List and Continue.
	ID string `json:"id"`
	// CreatedAt is when it started (decoded leniently, see Time).
	CreatedAt Time `json:"createdAt"`
	// InitialMessage is the conversation's first message.
	InitialMessage string `json:"initialMessage"`
}

// ConversationPage is one page of conversations.
type ConversationPage struct {
	// Conversations are this page's items, in the server's order.
	Conversations []Conversation `json:"conversations"`
	// Pagination has the total and the cursor of the next page.
	Pagination Pagination `json:"pagination"`
}

type replyEnvelope struct {
	envelope
	Reply
}

// Start creates a conversation and returns its ID with the bot's greeting.
// It is not retried once the request has reached the server, except on 429
// and 503, so it never creates two conversations silently.
func (s *ChatService) Start(ctx context.Context, opts ...CallOption) (*Reply, error) {
	var out replyEnvelope
	req := &rest.Request{Op: "Chats.Start", Method: http.MethodPost, Path: "/conversation"}
	if err := s.client.call(ctx, req, &out, opts); err != nil {
		return nil, err
	}
	return &out.Reply, nil
}

// List returns one page of the channel's conversations.
func (s *ChatService) List(ctx context.Context, params *ListParams, opts ...CallOption) (*ConversationPage, error) {
	p := params.orZero()
	if err := checkLimit(p.Limit); err != nil {
		return nil, err
	}
	var out struct {
		envelope
		ConversationPage
	}
	req := &rest.Request{Op: "Chats.List", Method: http.MethodPost, Path: "/conversations", JSON: p, Idempotent: true}
	if err := s.client.call(ctx, req, &out, opts); err != nil {
		return nil, err
	}
	return &out.ConversationPage, nil
}

// ListAll iterates over every conversation, fetching pages of
// params.Limit lazily as the loop advances. Breaking out of the loop stops
// the fetching; an error is the last pair of the sequence.
func (s *ChatService) ListAll(ctx context.Context, params *ListParams, opts ...CallOption) iter.Seq2[Conversation, error] {
	return listAll[Conversation](ctx, params, func(ctx context.Context, p *ListParams) (*ConversationPage, error) { return s.List(ctx, p, opts...) })
}

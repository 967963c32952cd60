package chatbot

import (
	"context"
	"iter"
	"net/http"
	"strings"

	"github.com/chatbot-sdk/chatbot-go/internal/rest"
)

// MessageService sends, continues, streams and lists messages.
type MessageService struct{ client *Client }

// Role is who wrote a message.
type Role string

// The roles the reference documents; others may appear and are kept as
// they are.
const (
	RoleUser      Role = "user"
	RoleAssistant Role = "assistant"
)

// Message is one message of a conversation.
type Message struct {
	// ID is the message's ID (a UUID).
	ID string `json:"id"`
	// Message is the text.
	Message string `json:"message"`
	// Role says who wrote it: RoleUser or RoleAssistant.
	Role Role `json:"role"`
	// CreatedAt is when it was written. A user message and the reply to it
	// can carry the same time: rely on the list's order, not on sorting.
	CreatedAt Time `json:"createdAt"`
}

// MessagePage is one page of a conversation's messages, oldest first in
// the documented example.
type MessagePage struct {
	// Messages are this page's items, in the server's order.
	Messages []Message `json:"messages"`
	// Pagination has the total and the cursor of the next page.
	Pagination Pagination `json:"pagination"`
}

// SendParams is a message to the bot.
type SendParams struct {
	// ConversationID continues that conversation; "" starts a new one.
	ConversationID string
	// Message is the user's text; required.
	Message string
}

// sendBody is the wire form of a send. The reference also names a
// "response" field for one-off sends, a doc error: "message" is what the
// server reads.
type sendBody struct {
	ConversationID string `json:"conversationId,omitempty"`
	Message        string `json:"message"`
	Stream         bool   `json:"stream,omitempty"`
}

// sendRequest validates p and builds the POST …/message request. It is
// shared by Send and Stream.
func (s *MessageService) sendRequest(op string, p *SendParams, stream bool) (*rest.Request, error) {
	if p == nil || strings.TrimSpace(p.Message) == "" {
		return nil, &ValidationError{Field: "Message", Reason: "must not be empty"}
	}
	if p.ConversationID != "" {
		if err := check.ID("ConversationID", p.ConversationID); err != nil {
			return nil, err
		}
	}
	body := sendBody{ConversationID: p.ConversationID, Message: p.Message, Stream: stream}
	return &rest.Request{Op: op, Method: http.MethodPost, Path: "/message", JSON: body}, nil
}

// Send sends a message and waits for the whole reply. Without a
// ConversationID the server starts a conversation, whose ID is in the
// Reply; that conversation has no greeting, unlike one Stream starts (see
// Stream, and Client.Conversation, whose Send and Stream start
// conversations alike). A send is never retried once the server may have
// acted on it (only connection failures before the request was written,
// 429 and 503 are), so a reply is never generated twice.
func (s *MessageService) Send(ctx context.Context, p *SendParams, opts ...CallOption) (*Reply, error) {
	req, err := s.sendRequest("Messages.Send", p, false)
	if err != nil {
		return nil, err
	}
	var out replyEnvelope
	if err := s.client.call(ctx, req, &out, opts); err != nil {
		return nil, err
	}
	return &out.Reply, nil
}

// Continue sends message in an existing conversation and waits for the
// reply.
func (s *MessageService) Continue(ctx context.Context, conversationID, message string, opts ...CallOption) (*Reply, error) {
	if err := check.ID("conversationID", conversationID); err != nil {
		return nil, err
	}
	return s.Send(ctx, &SendParams{ConversationID: conversationID, Message: message}, opts...)
}

type listMessagesBody struct {
	ConversationID string `json:"conversationId"`
	ListParams
}

// List returns one page of a conversation's messages. The reference does
// not list "cursor" for this call but tells callers to send it; the client
// does.
func (s *MessageService) List(ctx context.Context, conversationID string, params *ListParams, opts ...CallOption) (*MessagePage, error) {
	if err := check.ID("conversationID", conversationID); err != nil {
		return nil, err
	}
	p := params.orZero()
	if err := checkLimit(p.Limit); err != nil {
		return nil, err
	}
	var out struct {
		envelope
		MessagePage
	}
	req := &rest.Request{Op: "Messages.List", Method: http.MethodPost, Path: "/messages",
		JSON: listMessagesBody{ConversationID: conversationID, ListParams: p}, Idempotent: true}
	if err := s.client.call(ctx, req, &out, opts); err != nil {
		return nil, err
	}
	return &out.MessagePage, nil
}

// ListAll iterates over every message of a conversation, one page at a
// time. A server that ignores the cursor ends the sequence instead of
// repeating the same page for ever.
func (s *MessageService) ListAll(ctx context.Context, conversationID string, params *ListParams, opts ...CallOption) iter.Seq2[Message, error] {
	return listAll[Message](ctx, params, func(ctx context.Context, p *ListParams) (*MessagePage, error) {
		return s.List(ctx, conversationID, p, opts...)
	})
}

package chatbot

import (
	"context"
	"errors"
	"fmt"
	"iter"
	"strings"
	"sync"
)

// ConversationHandle is one conversation, named by its ID, with the calls
// that act on it: Send, Stream and ListAll. Client.Conversation makes one
// without sending anything, as cloud.google.com/go/storage's
// Client.Bucket makes a BucketHandle; the Conversation type is the item
// the conversation list returns.
//
// A handle made with an empty ID starts its conversation on its first Send
// or Stream, and keeps the ID for the calls after it. Both start it the
// same way, with Chats.Start, so the history is the same whichever comes
// first: the bot's greeting, then the messages. (Messages.Send on its own
// starts a conversation without a greeting; Messages.Stream cannot, since
// Chat Thing's stream does not say which conversation it belongs to. The
// handle keeps the two alike.) To show the greeting, start the
// conversation with Chats.Start and make the handle from its ID.
//
// A handle is safe for concurrent use; concurrent first calls start one
// conversation, not several.
type ConversationHandle struct {
	client *Client
	// starting is held by the call that starts the conversation; the
	// others wait for it or for their context.
	starting chan struct{}

	mu sync.Mutex
	id string
}

// Conversation returns a handle on the conversation id; "" gives a new
// conversation, started by the handle's first Send or Stream. It sends
// nothing; a bad ID is reported by the first call.
func (c *Client) Conversation(id string) *ConversationHandle {
	return &ConversationHandle{client: c, starting: make(chan struct{}, 1), id: id}
}

// ID returns the conversation's ID: the one the handle was made with, or
// the one its first call started; "" before that.
func (h *ConversationHandle) ID() string {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.id
}

// Send sends text in the conversation and waits for the whole reply, like
// Messages.Continue; on a handle without an ID it starts the conversation
// first. It is retried like Messages.Send, so a message is never sent
// twice.
func (h *ConversationHandle) Send(ctx context.Context, text string, opts ...CallOption) (*Reply, error) {
	id, err := h.prepare(ctx, "Conversation.Send", text, opts)
	if err != nil {
		return nil, err
	}
	return h.client.Messages.Send(ctx, &SendParams{ConversationID: id, Message: text}, opts...)
}

// Stream sends text in the conversation and returns the reply as it is
// written, like Messages.Stream (the caller must Close the stream); on a
// handle without an ID it starts the conversation first, as Send does.
func (h *ConversationHandle) Stream(ctx context.Context, text string, opts ...CallOption) (*MessageStream, error) {
	id, err := h.prepare(ctx, "Conversation.Stream", text, opts)
	if err != nil {
		return nil, err
	}
	return h.client.Messages.Stream(ctx, &SendParams{ConversationID: id, Message: text}, opts...)
}

// ListAll iterates over the conversation's messages, oldest first, as
// Messages.ListAll does. A handle whose conversation has not started yet
// has no messages: the sequence is empty and nothing is sent.
func (h *ConversationHandle) ListAll(ctx context.Context, params *ListParams, opts ...CallOption) iter.Seq2[Message, error] {
	id := h.ID()
	if id == "" {
		return func(func(Message, error) bool) {}
	}
	return h.client.Messages.ListAll(ctx, id, params, opts...)
}

// prepare checks text and returns the conversation's ID, starting the
// conversation when the handle has none. Text is checked first, so that
// bad input starts nothing.
func (h *ConversationHandle) prepare(ctx context.Context, op, text string, opts []CallOption) (string, error) {
	if strings.TrimSpace(text) == "" {
		return "", &ValidationError{Field: "text", Reason: "must not be empty"}
	}
	if id := h.ID(); id != "" {
		return id, nil
	}
	select {
	case h.starting <- struct{}{}:
	case <-ctx.Done():
		return "", fmt.Errorf("chatbot: %s: waiting for the conversation to start: %w", op, context.Cause(ctx))
	}
	defer func() { <-h.starting }()
	if id := h.ID(); id != "" {
		return id, nil // another call started it meanwhile
	}
	started, err := h.client.Chats.Start(ctx, opts...)
	if err != nil {
		return "", err
	}
	if started.ConversationID == "" {
		return "", &DecodeError{Op: "Chats.Start", Snippet: "conversation started without an ID", Err: errors.New("missing conversationId")}
	}
	h.mu.Lock()
	h.id = started.ConversationID
	h.mu.Unlock()
	return started.ConversationID, nil
}

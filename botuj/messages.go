package botuj

import (
	"context"
	"iter"

	chatbot "github.com/chatbot-sdk/chatbot-go"
	"github.com/chatbot-sdk/chatbot-go/internal/page"
)

// Message is one message of a conversation, from the end user or from the
// bot.
type Message struct {
	// ID identifies the message.
	ID ID `json:"id"`
	// Message is the message's text.
	Message string `json:"message"`
	// UserID is the UUID of the user who sent the message. The
	// documentation does not say what bot messages carry here, so it may
	// be empty (null) on them.
	UserID string `json:"userId"`
	// IsUser is true for the end user's messages and false for the bot's.
	IsUser bool `json:"isUser"`
	// Type is the message's type, such as TypeFreeshot.
	Type Type `json:"type"`
	// CreatedOn is when the message was written.
	CreatedOn Time `json:"createdOn"`
}

// MessageService lists the messages of a conversation.
type MessageService struct{ client *Client }

// MessagePage is one page of a conversation's messages.
type MessagePage = Page[Message]

// List returns one page of the messages of the conversation
// conversationID (Conversation.ID), from GET
// /v1/api/conversation-messages/{id}. nil params ask for the first page
// at the server's default size. A conversationID below 1 or bad params
// are a *chatbot.ValidationError before any request; an unknown
// conversation is an *chatbot.APIError matching chatbot.ErrNotFound (or
// another 4xx: the API does not say which).
func (s *MessageService) List(ctx context.Context, conversationID ID, params *ListParams, opts ...chatbot.CallOption) (*MessagePage, error) {
	path, err := conversationPath(conversationID)
	if err != nil {
		return nil, err
	}
	q := params.orZero()
	if err := q.check(); err != nil {
		return nil, err
	}
	return s.page(ctx, "Messages.List", path, q, opts)
}

// ListAll yields every message of the conversation conversationID, page
// after page, exactly as ConversationService.ListAll walks the
// conversations: lazily, one page in memory, stopping after an empty or
// short page or where the paging metadata says, and ending with an error
// matching ErrPageRepeated when the server sends a page twice.
func (s *MessageService) ListAll(ctx context.Context, conversationID ID, params *ListParams, opts ...chatbot.CallOption) iter.Seq2[Message, error] {
	path, err := conversationPath(conversationID)
	if err != nil {
		return page.Fail[Message](err)
	}
	return listAll(ctx, "botuj: Messages.ListAll", params,
		func(m Message) ID { return m.ID },
		func(ctx context.Context, q ListParams) (*MessagePage, error) {
			return s.page(ctx, "Messages.ListAll", path, q, opts)
		})
}

// page fetches one page of path with q, both already checked.
func (s *MessageService) page(ctx context.Context, op, path string, q ListParams, opts []chatbot.CallOption) (*MessagePage, error) {
	return get[Message](ctx, s.client, op, path, "messages", q, opts)
}

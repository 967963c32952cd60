package chat

import (
	"context"
	"iter"

	chatbot "github.com/chatbot-sdk/chatbot-go"
	"github.com/chatbot-sdk/chatbot-go/internal/page"
)

// NameChatThing is Chat Thing's name for FromEnv.
const NameChatThing = "chatthing"

// The capabilities of Chat Thing, checked by the compiler.
var (
	_ Platform      = (*chatThing)(nil)
	_ Opener        = (*chatThing)(nil)
	_ Sender        = (*chatThing)(nil)
	_ Streamer      = (*chatThing)(nil)
	_ HistoryReader = (*chatThing)(nil)
	_ Lister        = (*chatThing)(nil)
)

// chatThingPage is the page size the adapter asks for: the API's largest,
// so that a long history takes few requests.
const chatThingPage = 100

// chatThing adapts a Chat Thing client.
type chatThing struct{ c *chatbot.Client }

// ChatThing returns client as a Platform that is an Opener, a Sender, a
// Streamer, a HistoryReader and a Lister. Message.Raw holds a
// chatbot.Message (history only: replies carry no message object) and
// Conversation.Raw a chatbot.Conversation (listing) or a *chatbot.Reply
// (Start). Close closes client.
func ChatThing(client *chatbot.Client) Platform { return &chatThing{c: client} }

// Name returns "chatthing".
func (p *chatThing) Name() string { return NameChatThing }

// Close closes the client.
func (p *chatThing) Close() error { return p.c.Close() }

// Start starts a conversation; the bot's greeting is its Greeting.
func (p *chatThing) Start(ctx context.Context) (*Conversation, error) {
	r, err := p.c.Chats.Start(ctx)
	if err != nil {
		return nil, err
	}
	return &Conversation{
		ID:       r.ConversationID,
		Greeting: &Message{ConversationID: r.ConversationID, Role: RoleBot, Text: r.Response},
		Raw:      r,
	}, nil
}

// Resume reads the conversation's first message, which proves that it
// exists and tells when it started.
func (p *chatThing) Resume(ctx context.Context, conversationID string) (*Conversation, error) {
	if err := check.ID("conversationID", conversationID); err != nil {
		return nil, err
	}
	pg, err := p.c.Messages.List(ctx, conversationID, &chatbot.ListParams{Limit: 1})
	if err != nil {
		return nil, err
	}
	conv := &Conversation{ID: conversationID}
	if len(pg.Messages) > 0 {
		conv.Started = pg.Messages[0].CreatedAt.Time
	}
	return conv, nil
}

// Send continues the conversation and returns the reply, which Chat Thing
// gives without an ID or a time.
func (p *chatThing) Send(ctx context.Context, conversationID, text string) (*Reply, error) {
	if err := checkMessage(conversationID, text); err != nil {
		return nil, err
	}
	r, err := p.c.Messages.Continue(ctx, conversationID, text)
	if err != nil {
		return nil, err
	}
	return &Reply{Messages: []Message{{ConversationID: r.ConversationID, Role: RoleBot, Text: r.Response}}}, nil
}

// Stream yields the reply's deltas as Chat Thing streams them.
func (p *chatThing) Stream(ctx context.Context, conversationID, text string) iter.Seq2[string, error] {
	if err := checkMessage(conversationID, text); err != nil {
		return page.Fail[string](err)
	}
	return func(yield func(string, error) bool) {
		stream, err := p.c.Messages.Stream(ctx, &chatbot.SendParams{ConversationID: conversationID, Message: text})
		if err != nil {
			yield("", err)
			return
		}
		defer stream.Close()
		for stream.Next() {
			// The first chunk carries only the role, the last only the
			// finish reason: neither is text.
			if delta := stream.Current().Content(); delta != "" && !yield(delta, nil) {
				return
			}
		}
		if err := stream.Err(); err != nil {
			yield("", err)
		}
	}
}

// History lists the conversation's messages, oldest first as Chat Thing
// returns them.
func (p *chatThing) History(ctx context.Context, conversationID string) iter.Seq2[Message, error] {
	if err := check.ID("conversationID", conversationID); err != nil {
		return page.Fail[Message](err)
	}
	return mapSeq(p.c.Messages.ListAll(ctx, conversationID, &chatbot.ListParams{Limit: chatThingPage}), func(m chatbot.Message) Message {
		return Message{
			ID:             m.ID,
			ConversationID: conversationID,
			Role:           chatThingRole(m.Role),
			Text:           m.Message,
			Time:           m.CreatedAt.Time,
			Raw:            m,
		}
	})
}

// Conversations lists the channel's conversations.
func (p *chatThing) Conversations(ctx context.Context) iter.Seq2[Conversation, error] {
	return mapSeq(p.c.Chats.ListAll(ctx, &chatbot.ListParams{Limit: chatThingPage}), func(c chatbot.Conversation) Conversation {
		return Conversation{ID: c.ID, Started: c.CreatedAt.Time, Preview: c.InitialMessage, Raw: c}
	})
}

// chatThingRole names Chat Thing's "assistant" RoleBot and keeps the others.
func chatThingRole(r chatbot.Role) Role {
	switch r {
	case chatbot.RoleAssistant:
		return RoleBot
	case chatbot.RoleUser:
		return RoleUser
	default:
		return Role(r)
	}
}

// mapSeq converts the items of seq with f, passing errors through.
func mapSeq[T, U any](seq iter.Seq2[T, error], f func(T) U) iter.Seq2[U, error] {
	return func(yield func(U, error) bool) {
		for v, err := range seq {
			if err != nil {
				var zero U
				yield(zero, err)
				return
			}
			if !yield(f(v), nil) {
				return
			}
		}
	}
}

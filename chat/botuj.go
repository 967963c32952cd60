package chat

import (
	"context"
	"iter"
	"strconv"

	"github.com/chatbot-sdk/chatbot-go/botuj"
	"github.com/chatbot-sdk/chatbot-go/internal/page"
)

// NameBotuj is botuj.pl's name for FromEnv.
const NameBotuj = "botuj"

// The capabilities of botuj.pl, checked by the compiler. Its API is
// read-only: it cannot open a conversation or send into one.
var (
	_ Platform      = (*botujChat)(nil)
	_ HistoryReader = (*botujChat)(nil)
	_ Lister        = (*botujChat)(nil)
)

// botujChat adapts a botuj.pl client.
type botujChat struct{ c *botuj.Client }

// Botuj returns client as a Platform that is a HistoryReader and a Lister,
// nothing more: the botuj.pl API only reads. A conversation ID is the
// conversation's number in base 10 ("7202"); any other ID is a
// *chatbot.ValidationError before any request. Message.Raw holds a
// botuj.Message and Conversation.Raw a botuj.Conversation. Close closes
// client.
func Botuj(client *botuj.Client) Platform { return &botujChat{c: client} }

// Name returns "botuj".
func (p *botujChat) Name() string { return NameBotuj }

// Close closes the client.
func (p *botujChat) Close() error { return p.c.Close() }

// History lists the conversation's messages in the API's order, oldest
// first. A message is the user's when botuj marks it so (IsUser), else
// the bot's.
func (p *botujChat) History(ctx context.Context, conversationID string) iter.Seq2[Message, error] {
	id, err := botujID(conversationID)
	if err != nil {
		return page.Fail[Message](err)
	}
	msgs := p.c.Messages.ListAll(ctx, id, &botuj.ListParams{Limit: botuj.MaxPageLimit})
	return mapSeq(msgs, func(m botuj.Message) Message {
		role := RoleBot
		if m.IsUser {
			role = RoleUser
		}
		return Message{ID: m.ID.String(), ConversationID: conversationID, Role: role, Text: m.Message, Time: m.CreatedOn.Time, Raw: m}
	})
}

// Conversations lists the account's conversations; the preview is the
// user's first message.
func (p *botujChat) Conversations(ctx context.Context) iter.Seq2[Conversation, error] {
	convs := p.c.Conversations.ListAll(ctx, &botuj.ListParams{Limit: botuj.MaxPageLimit})
	return mapSeq(convs, func(c botuj.Conversation) Conversation {
		return Conversation{ID: c.ID.String(), Started: c.CreatedOn.Time, Preview: c.FirstUserMessage, Raw: c}
	})
}

// botujID reads a conversation ID: botuj numbers its conversations, so
// only a positive base-10 integer names one.
func botujID(conversationID string) (botuj.ID, error) {
	if err := check.ID("conversationID", conversationID); err != nil {
		return 0, err
	}
	n, err := strconv.ParseInt(conversationID, 10, 64)
	if err != nil || n <= 0 {
		return 0, check.Invalid("conversationID", "must be a botuj conversation number, such as 7202")
	}
	return botuj.ID(n), nil
}

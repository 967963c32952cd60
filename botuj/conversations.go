package botuj

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"iter"

	chatbot "github.com/chatbot-sdk/chatbot-go"
)

// Conversation is one session between an end user and a bot.
type Conversation struct {
	// ID identifies the conversation; it is the id to list its messages
	// with.
	ID ID `json:"id"`
	// Type is the conversation's type, such as TypeFreeshot.
	Type Type `json:"type"`
	// Count is the number of messages in the conversation.
	Count int `json:"count"`
	// SessionID is the session's id. The API spells the key "sessionid",
	// all in lower case unlike its other keys; "sessionId" is read too.
	SessionID string `json:"sessionid"`
	// FirstUserMessage is the end user's first message, as plain text.
	FirstUserMessage string `json:"firstUserMessage"`
	// FirstBotMessage is the bot's first reply exactly as the API sends it:
	// a JSON document inside a string, such as {"message":"Hej!"}. Use
	// DecodeFirstBotMessage or FirstBotText to read it. Should the server
	// send the document itself rather than a string, this holds its JSON
	// text, so both methods work the same.
	FirstBotMessage string `json:"firstBotMessage"`
	// CreatedOn is when the conversation started.
	CreatedOn Time `json:"createdOn"`
}

// UnmarshalJSON decodes the documented item. It differs from the default
// only for firstBotMessage, which may be a string (as documented) or any
// other JSON value, kept as its text.
func (c *Conversation) UnmarshalJSON(b []byte) error {
	if bytes.Equal(bytes.TrimSpace(b), []byte("null")) {
		return nil // as for any Go value: null changes nothing
	}
	type plain Conversation // the same fields without this method
	var aux struct {
		plain
		FirstBotMessage json.RawMessage `json:"firstBotMessage"`
	}
	if err := json.Unmarshal(b, &aux); err != nil {
		return err
	}
	*c = Conversation(aux.plain)
	raw := bytes.TrimSpace(aux.FirstBotMessage)
	switch {
	case len(raw) == 0 || bytes.Equal(raw, []byte("null")):
		c.FirstBotMessage = ""
	case raw[0] == '"':
		if err := json.Unmarshal(raw, &c.FirstBotMessage); err != nil {
			return err
		}
	default:
		c.FirstBotMessage = string(raw)
	}
	return nil
}

// BotMessage is the decoded content of Conversation.FirstBotMessage.
type BotMessage struct {
	// Message is the reply's text: the document's "message" member when it
	// is a string, else "".
	Message string
	// Fields holds every member of the document, "message" included, for
	// members this package does not know about.
	Fields map[string]json.RawMessage
}

// errNotBotDocument is DecodeFirstBotMessage's error for a value that is
// not a JSON object.
var errNotBotDocument = errors.New("botuj: firstBotMessage is not a JSON object")

// DecodeFirstBotMessage decodes FirstBotMessage. An empty FirstBotMessage
// (no bot reply yet) gives the zero BotMessage and no error; a value that
// is not a JSON object is an error, and FirstBotText then offers the raw
// text instead.
func (c *Conversation) DecodeFirstBotMessage() (BotMessage, error) {
	if c.FirstBotMessage == "" {
		return BotMessage{}, nil
	}
	var fields map[string]json.RawMessage
	if err := json.Unmarshal([]byte(c.FirstBotMessage), &fields); err != nil || fields == nil {
		return BotMessage{}, errNotBotDocument // the value itself is not repeated: it is the server's text
	}
	out := BotMessage{Fields: fields}
	if raw := bytes.TrimSpace(fields["message"]); len(raw) > 0 && raw[0] == '"' {
		_ = json.Unmarshal(raw, &out.Message) // cannot fail: the document was valid JSON
	}
	return out, nil
}

// FirstBotText returns the text of the bot's first reply: the "message"
// member of FirstBotMessage's document when that member is a string, else
// FirstBotMessage as it is (not a document, or a document without a text).
func (c *Conversation) FirstBotText() string {
	m, err := c.DecodeFirstBotMessage()
	if err != nil {
		return c.FirstBotMessage
	}
	if raw := bytes.TrimSpace(m.Fields["message"]); len(raw) > 0 && raw[0] == '"' {
		return m.Message
	}
	return c.FirstBotMessage
}

// ConversationService lists the account's conversations.
type ConversationService struct{ client *Client }

// ConversationPage is one page of conversations.
type ConversationPage = Page[Conversation]

// List returns one page of the account's conversations (GET
// /v1/api/conversations). nil params ask for the first page at the
// server's default size. Bad params are a *chatbot.ValidationError before
// any request; a body that is no page of conversations is a
// *chatbot.DecodeError.
func (s *ConversationService) List(ctx context.Context, params *ListParams, opts ...chatbot.CallOption) (*ConversationPage, error) {
	q := params.orZero()
	if err := q.check(); err != nil {
		return nil, err
	}
	return s.page(ctx, "Conversations.List", q, opts)
}

// ListAll yields every conversation of the account, reading page after
// page from params.Page (1 when 0) with params.Limit conversations a page
// (DefaultPageLimit when 0). It fetches a page only when the loop has
// consumed the one before, so one page is in memory at a time, and stops
// after an empty or short page, or where the server's paging metadata says
// the list ends. A server that sends the same page twice ends it with an
// error matching ErrPageRepeated. Any error is the sequence's last pair;
// breaking out of the loop stops the fetching. The sequence may be ranged
// over again, which reads the list anew.
func (s *ConversationService) ListAll(ctx context.Context, params *ListParams, opts ...chatbot.CallOption) iter.Seq2[Conversation, error] {
	return listAll(ctx, "botuj: Conversations.ListAll", params,
		func(c Conversation) ID { return c.ID },
		func(ctx context.Context, q ListParams) (*ConversationPage, error) {
			return s.page(ctx, "Conversations.ListAll", q, opts)
		})
}

// page fetches one page with q, already checked.
func (s *ConversationService) page(ctx context.Context, op string, q ListParams, opts []chatbot.CallOption) (*ConversationPage, error) {
	return get[Conversation](ctx, s.client, op, "/conversations", "conversations", q, opts)
}

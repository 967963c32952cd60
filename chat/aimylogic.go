package chat

import (
	"context"
	"crypto/rand"
	"fmt"
	"iter"
	"strings"
	"unicode/utf8"

	"github.com/chatbot-sdk/chatbot-go/aimylogic"
	"github.com/chatbot-sdk/chatbot-go/internal/page"
)

// NameAimylogic is Aimylogic's name for FromEnv.
const NameAimylogic = "aimylogic"

// The capabilities of Aimylogic, checked by the compiler. The Chat API
// neither streams nor lists its clients.
var (
	_ Platform      = (*aimylogicChat)(nil)
	_ Opener        = (*aimylogicChat)(nil)
	_ Sender        = (*aimylogicChat)(nil)
	_ HistoryReader = (*aimylogicChat)(nil)
)

// AimylogicOptions tune the Aimylogic adapter; the zero value (or nil)
// sends synchronously.
type AimylogicOptions struct {
	// Webhook, when set, makes Send asynchronous: it sends with
	// Messages.SendAndWait and takes the bot's answer from this handler,
	// which must serve the channel's webhook URL. Use it for bots that
	// answer after the synchronous call's time is up (it then fails with
	// a 408). Without it, Send waits for the answer in the response.
	Webhook *aimylogic.WebhookHandler
}

// aimylogicChat adapts an Aimylogic Chat API client. A conversation is an
// end user's dialogue, named by the client ID the integrator chooses.
type aimylogicChat struct {
	c    *aimylogic.Client
	opts AimylogicOptions
}

// Aimylogic returns client as a Platform that is an Opener, a Sender and
// a HistoryReader; the Chat API cannot stream a reply or list its
// clients. A conversation ID is a client ID: Start makes a new random one
// without a request, and Resume takes any well-formed ID, because the
// platform knows a client only once it has sent something and a new one
// is no error.
//
// Message.Raw holds an aimylogic.HistoryMessage (History) or the
// *aimylogic.Response the answer came in (Send); a message's text is that
// of its text replies, joined by blank lines, or else the message's plain
// text. Conversation.Raw is nil. Close closes client.
func Aimylogic(client *aimylogic.Client, opts *AimylogicOptions) Platform {
	p := &aimylogicChat{c: client}
	if opts != nil {
		p.opts = *opts
	}
	return p
}

// Name returns "aimylogic".
func (p *aimylogicChat) Name() string { return NameAimylogic }

// Close closes the client.
func (p *aimylogicChat) Close() error { return p.c.Close() }

// Start makes a new client ID; the dialogue begins with the first Send.
func (p *aimylogicChat) Start(context.Context) (*Conversation, error) {
	id, err := newClientID()
	if err != nil {
		return nil, err
	}
	return &Conversation{ID: id}, nil
}

// Resume checks the ID: any well-formed client ID names a dialogue.
func (p *aimylogicChat) Resume(_ context.Context, conversationID string) (*Conversation, error) {
	if err := checkClientID(conversationID); err != nil {
		return nil, err
	}
	return &Conversation{ID: conversationID}, nil
}

// Send sends text as the client and returns the bot's answer as one
// message, with no ID (the platform gives the answer none of its own).
func (p *aimylogicChat) Send(ctx context.Context, conversationID, text string) (*Reply, error) {
	if err := checkMessage(conversationID, text); err != nil {
		return nil, err
	}
	if err := checkClientID(conversationID); err != nil {
		return nil, err
	}
	params := &aimylogic.SendParams{ClientID: conversationID, Query: text}
	var resp *aimylogic.Response
	if p.opts.Webhook != nil {
		res, err := p.c.Messages.SendAndWait(ctx, p.opts.Webhook, params)
		if err != nil {
			return nil, err
		}
		resp = &res.Response
	} else {
		var err error
		if resp, err = p.c.Messages.Send(ctx, params); err != nil {
			return nil, err
		}
	}
	return &Reply{Messages: []Message{{
		ConversationID: conversationID,
		Role:           RoleBot,
		Text:           aimylogicText(resp.Data.Replies, resp.Data.Answer),
		Time:           resp.Timestamp.Time,
		Raw:            resp,
	}}}, nil
}

// History lists the client's messages in the server's order, which is
// oldest first on the fake and in the history schema the API follows.
func (p *aimylogicChat) History(ctx context.Context, conversationID string) iter.Seq2[Message, error] {
	if err := checkClientID(conversationID); err != nil {
		return page.Fail[Message](err)
	}
	msgs := p.c.History.ListAll(ctx, &aimylogic.HistoryParams{ClientID: conversationID})
	return mapSeq(msgs, func(m aimylogic.HistoryMessage) Message {
		return Message{
			ID:             m.QuestionID,
			ConversationID: conversationID,
			Role:           aimylogicRole(m.Author),
			Text:           aimylogicText(m.Replies, m.TextMessage),
			Time:           m.Timestamp.Time,
			Raw:            m,
		}
	})
}

// checkClientID holds a conversation ID to the rules of a client ID,
// which later calls put in a URL path.
func checkClientID(id string) error {
	if err := check.ID("conversationID", id); err != nil {
		return err
	}
	if !utf8.ValidString(id) {
		return check.Invalid("conversationID", "must be valid UTF-8")
	}
	return nil
}

// newClientID returns a random version 4 UUID: a client ID no other
// user has.
func newClientID() (string, error) {
	var b [16]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", fmt.Errorf("chat: aimylogic: making a client ID: %w", err)
	}
	b[6] = b[6]&0x0f | 0x40 // version 4
	b[8] = b[8]&0x3f | 0x80 // RFC 9562 variant
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:]), nil
}

// aimylogicText is the text of a bot message: its text replies joined by
// blank lines, as the platform joins them into an answer, or plain when
// none of the replies is text (a user's query, an image).
func aimylogicText(replies aimylogic.Replies, plain string) string {
	var texts []string
	for _, r := range replies {
		if t, ok := r.(*aimylogic.TextReply); ok {
			texts = append(texts, t.Text)
		}
	}
	if len(texts) == 0 {
		return plain
	}
	return strings.Join(texts, "\n\n")
}

// aimylogicRole names the history's authors with this package's roles and
// keeps the others.
func aimylogicRole(a aimylogic.Author) Role {
	switch a {
	case aimylogic.AuthorClient:
		return RoleUser
	case aimylogic.AuthorBot:
		return RoleBot
	case aimylogic.AuthorOperator:
		return RoleAgent
	case aimylogic.AuthorSystem:
		return RoleSystem
	default:
		return Role(a)
	}
}

package botyard

import (
	"context"
	"fmt"
	"github.com/chatbot-sdk/chatbot-go"
	"iter"
	"net/http"

	"github.com/chatbot-sdk/chatbot-go/internal/page"
	"github.com/chatbot-sdk/chatbot-go/internal/rest"
)

// Limits the server applies to messages (its defaults).
const (
	// MaxBodyLength is the longest message body, in bytes (not characters).
	MaxBodyLength = 4096
	// MaxAttachments is the most files a message, or one upload, may carry.
	MaxAttachments = 10
	// MaxPageLimit is the largest page the client asks for. The server has
	// no maximum; the client keeps one page of messages bounded.
	MaxPageLimit = 1000
)

// MessageService sends messages, pages through chats and waits for bots'
// replies.
type MessageService struct{ client *Client }

// SendParams is a message from the current user.
type SendParams struct {
	// ChatID is the chat to post into; required.
	ChatID string `json:"chatId"`
	// Body is the text, at most MaxBodyLength bytes. It may be empty (for
	// a message that only carries attachments).
	Body string `json:"body"`
	// AttachmentIDs are IDs of uploaded files (File.ID), at most
	// MaxAttachments. The server silently drops IDs it does not know.
	AttachmentIDs []string `json:"attachmentIds,omitempty"`
}

// Send posts a message into one of the current user's chats and returns it
// as stored. The bot answers later, if at all: see WaitForReplies. Send is
// never retried once the server may have acted, so a message is never
// posted twice. When the bot has a webhook the server calls it before
// answering, which can take up to about 6 seconds.
func (s *MessageService) Send(ctx context.Context, p *SendParams, opts ...chatbot.CallOption) (*Message, error) {
	if p == nil {
		return nil, invalid("params", "must not be nil")
	}
	if err := check.ID("ChatID", p.ChatID); err != nil {
		return nil, err
	}
	if len(p.Body) > MaxBodyLength {
		return nil, invalid("Body", fmt.Sprintf("is %d bytes; at most %d are allowed", len(p.Body), MaxBodyLength))
	}
	if len(p.AttachmentIDs) > MaxAttachments {
		return nil, invalid("AttachmentIDs", fmt.Sprintf("has %d IDs; at most %d are allowed", len(p.AttachmentIDs), MaxAttachments))
	}
	for i, id := range p.AttachmentIDs {
		if err := check.ID(fmt.Sprintf("AttachmentIDs[%d]", i), id); err != nil {
			return nil, err
		}
	}
	var out Message
	if err := s.client.do(ctx, newJSONRequest("Messages.Send", http.MethodPost, "/chat/message", p), &out, opts); err != nil {
		return nil, err
	}
	return &out, nil
}

// ListParams selects one page of a chat's messages.
type ListParams struct {
	// Page counts from the NEWEST end: page 1 holds the newest Limit
	// messages, page 2 the ones before them. 0 means 1.
	Page int `url:"page,omitempty"`
	// Limit is the page size, 1..MaxPageLimit; 0 means the server's
	// default (20).
	Limit int `url:"limit,omitempty"`
	// SenderID keeps only one sender's messages (a bot's ID for its
	// replies, the user's ID for the user's).
	SenderID string `url:"sender_id,omitempty"`
	// Since keeps only messages strictly newer than this many milliseconds
	// since the Unix epoch (Message.Timestamp). 0 turns the filter off; a
	// value that looks like seconds (below 1e12) is rejected.
	Since int64 `url:"since,omitempty"`
}

// minSinceMillis is the smallest Since taken for milliseconds (September
// 2001). Anything between 0 and it is a time in seconds (time.Now().Unix()
// is about 1.8e9), which the server would read as 1970 and filter nothing.
const minSinceMillis = 1_000_000_000_000

// check rejects values the server would silently misread: a negative limit
// means "everything" to it, and a since in seconds filters nothing.
func (p *ListParams) check() error {
	switch {
	case p.Page < 0:
		return invalid("Page", "must not be negative")
	case p.Limit < 0 || p.Limit > MaxPageLimit:
		return invalid("Limit", fmt.Sprintf("must be between 1 and %d (0 for the server's default of 20)", MaxPageLimit))
	case p.Since < 0:
		return invalid("Since", "must not be negative")
	case p.Since > 0 && p.Since < minSinceMillis:
		return invalid("Since", fmt.Sprintf("%d looks like seconds; want milliseconds since the Unix epoch (time.UnixMilli)", p.Since))
	case p.SenderID != "":
		return check.ID("SenderID", p.SenderID)
	}
	return nil
}

// List returns one page of a chat's messages exactly as the server pages
// them: page 1 is the newest slice, each page runs oldest to newest, Total
// counts the messages matching the filters, and a page past the end is
// empty. Pages are offsets from the newest message, so messages that
// arrive between calls shift them; use ListAll or Since to read without gaps.
func (s *MessageService) List(ctx context.Context, chatID string, p *ListParams, opts ...chatbot.CallOption) (*MessagePage, error) {
	if err := check.ID("chatID", chatID); err != nil {
		return nil, err
	}
	var q ListParams
	if p != nil {
		q = *p
	}
	if err := q.check(); err != nil {
		return nil, err
	}
	return s.page(ctx, chatID, q, opts)
}

// page fetches one page without List's cap on Limit, for ListAll, whose last
// pages use a large limit to reach the oldest messages. q is a ListParams
// or a totalProbe.
func (s *MessageService) page(ctx context.Context, chatID string, q any, opts []chatbot.CallOption) (*MessagePage, error) {
	path, err := check.Path(rest.Lit("chat"), rest.ID("chatID", chatID), rest.Lit("messages"))
	if err != nil {
		return nil, err
	}
	var out MessagePage
	if err := s.client.get(ctx, "Messages.List", path, q, &out, opts); err != nil {
		return nil, err
	}
	return &out, nil
}

// pager is page with opts bound, as oldestReader wants it.
func (s *MessageService) pager(opts []chatbot.CallOption) func(context.Context, string, any) (*MessagePage, error) {
	return func(ctx context.Context, chatID string, q any) (*MessagePage, error) {
		return s.page(ctx, chatID, q, opts)
	}
}

// HistoryParams selects the messages ListAll walks through.
type HistoryParams struct {
	// SenderID keeps only one sender's messages.
	SenderID string
	// Since starts after this timestamp (milliseconds, exclusive); 0 starts
	// at the chat's first message. A value that looks like seconds (below
	// 1e12) is rejected.
	Since int64
	// Limit is how many messages each request fetches, 2..MaxPageLimit;
	// 0 means 50. The last request may fetch up to twice as many, and a
	// page filled by messages that share one millisecond is widened until
	// it reaches a later one (up to MaxPageLimit).
	Limit int
}

// defaultPageSize is ListAll's page size when none is given.
const defaultPageSize = 50

// ListAll yields a chat's messages in chronological order, OLDEST FIRST,
// fetching one page at a time as the loop consumes them (the last request
// may bring up to two pages). It reads forward with the server's since
// filter rather than by page number, so messages posted while it runs are
// yielded too, at the end, and none is repeated, even when several share a
// millisecond. One kind of message can be missed: one that the server
// stores late with a timestamp older than a message already yielded (the
// walk has moved past its time); a message sent through this client gets
// its timestamp when it is stored, so this only concerns writers that
// commit slowly. An error ends the sequence as its last pair; breaking out
// of the loop stops the fetching.
func (s *MessageService) ListAll(ctx context.Context, chatID string, p *HistoryParams, opts ...chatbot.CallOption) iter.Seq2[MessageItem, error] {
	var h HistoryParams
	if p != nil {
		h = *p
	}
	if h.Limit == 0 {
		h.Limit = defaultPageSize
	}
	if h.Limit < 2 || h.Limit > MaxPageLimit {
		return page.Fail[MessageItem](invalid("Limit", fmt.Sprintf("must be between 2 and %d (0 for %d)", MaxPageLimit, defaultPageSize)))
	}
	if err := check.ID("chatID", chatID); err != nil {
		return page.Fail[MessageItem](err)
	}
	if err := (&ListParams{SenderID: h.SenderID, Since: h.Since}).check(); err != nil {
		return page.Fail[MessageItem](err)
	}
	o := &oldestReader{op: "Messages.ListAll", fetchPage: s.pager(opts), chatID: chatID, size: h.Limit, senderID: h.SenderID, probeFirst: true}
	return page.Label("botyard: Messages.ListAll", page.After(ctx, h.Since,
		func(m MessageItem) int64 { return m.Timestamp },
		func(m MessageItem) string { return m.ID },
		o.fetch))
}

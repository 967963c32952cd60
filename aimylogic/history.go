package aimylogic

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"iter"
	"net/http"
	"time"

	chatbot "github.com/chatbot-sdk/chatbot-go"
	"github.com/chatbot-sdk/chatbot-go/internal/page"
	"github.com/chatbot-sdk/chatbot-go/internal/rest"
)

// HistoryParams selects part of one client's message history. The server
// takes a date range and pagination parameters (it answers 400 "Invalid
// date range or pagination parameters"), but their names are not
// published. The names used here follow JAICP's documented chat-history
// call of its text-campaign API (fromTimestamp as Unix seconds, limit),
// extended with toTimestamp and offset; they are an assumption.
type HistoryParams struct {
	// ClientID is the end user whose history to read; required.
	ClientID string `url:"-"`
	// From and To bound the span; nil leaves that end open, and both nil
	// ask for all available history.
	From *time.Time `url:"fromTimestamp,omitempty,unix"`
	To   *time.Time `url:"toTimestamp,omitempty,unix"`
	// Limit is the page size; 0 leaves it to the server.
	Limit int `url:"limit,omitempty"`
	// Offset is how many messages of the span to skip.
	Offset int `url:"offset,omitempty"`
}

// Validate checks the parameters before anything is sent: a valid
// ClientID, non-negative Limit and Offset, and From not after To.
func (p *HistoryParams) Validate() error {
	if p == nil {
		return invalid("params", "must not be nil")
	}
	if err := checkID("ClientID", p.ClientID); err != nil {
		return err
	}
	if p.Limit < 0 || p.Limit > MaxHistoryLimit {
		return invalid("Limit", fmt.Sprintf("must be between 1 and %d (0 for the server's default)", MaxHistoryLimit))
	}
	if p.Offset < 0 {
		return invalid("Offset", "must not be negative")
	}
	if p.From != nil && p.To != nil && p.From.After(*p.To) {
		return invalid("From", "must not be after To")
	}
	return nil
}

// Author is who wrote a history message. The set is open; the constants
// are the values of JAICP's documented chat-history schema.
type Author string

// Known authors.
const (
	AuthorBot      Author = "BOT"
	AuthorClient   Author = "CLIENT"
	AuthorOperator Author = "OPERATOR" // a live agent
	AuthorSystem   Author = "SYSTEM"
)

// History is a page of a client's messages. Its shape is not published:
// the fields follow JAICP's chat-history schema from a neighbouring API,
// a bare array of messages is accepted too, and Raw keeps the body so that
// nothing is lost if the real envelope differs.
type History struct {
	// TotalCount is the number of messages in the span, when the server
	// says (0 otherwise).
	TotalCount int `json:"totalCount"`
	// Messages are the messages of this page.
	Messages []HistoryMessage `json:"messages"`
	// Raw is the body as received.
	Raw json.RawMessage `json:"-"`
}

// HistoryMessage is one message of a client's history. Its QuestionID is
// the ID the status calls take.
type HistoryMessage struct {
	QuestionID string `json:"questionId"`
	// TextMessage is the message's text, when it has one.
	TextMessage string `json:"textMessage,omitempty"`
	Author      Author `json:"author,omitempty"`
	// Status is the message's delivery status; unknown values are kept.
	Status MessageStatus `json:"status,omitempty"`
	// EventData is the event the message carried, as received.
	EventData json.RawMessage `json:"eventData,omitempty"`
	// Replies are the bot's replies, when the message has them as a list.
	Replies   Replies `json:"replies,omitempty"`
	Timestamp Time    `json:"timestamp"`
}

// UnmarshalJSON reads a message. Replies that are not a list are left out
// (History.Raw keeps them) rather than failing the whole page.
func (m *HistoryMessage) UnmarshalJSON(b []byte) error {
	var w struct {
		QuestionID  looseString     `json:"questionId"`
		TextMessage string          `json:"textMessage"`
		Author      Author          `json:"author"`
		Status      MessageStatus   `json:"status"`
		EventData   json.RawMessage `json:"eventData"`
		Replies     json.RawMessage `json:"replies"`
		Timestamp   Time            `json:"timestamp"`
	}
	if err := json.Unmarshal(b, &w); err != nil {
		return err
	}
	*m = HistoryMessage{
		QuestionID:  string(w.QuestionID),
		TextMessage: w.TextMessage,
		Author:      w.Author,
		Status:      w.Status,
		EventData:   w.EventData,
		Timestamp:   w.Timestamp,
	}
	_ = json.Unmarshal(w.Replies, &m.Replies) // odd replies stay nil
	return nil
}

// UnmarshalJSON reads the {"totalCount", "messages"} envelope or a bare
// array of messages, and keeps the body in Raw.
func (h *History) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	*h = History{}
	switch {
	case isNull(b):
		return nil
	case b[0] == '[':
		if err := json.Unmarshal(b, &h.Messages); err != nil {
			return err
		}
	case b[0] == '{':
		var w struct {
			TotalCount int              `json:"totalCount"`
			Messages   []HistoryMessage `json:"messages"`
		}
		if err := json.Unmarshal(b, &w); err != nil {
			return err
		}
		h.TotalCount, h.Messages = w.TotalCount, w.Messages
	default:
		return errors.New("history: want an object or an array of messages")
	}
	h.Raw = append(json.RawMessage(nil), b...)
	return nil
}

// HistoryService reads clients' message histories. Get it from
// Client.History.
type HistoryService struct{ client *Client }

// List returns one page of p.ClientID's messages
// (GET /chatapi/{token}/client/{clientId}/history): the span From–To (all
// of it when both are nil), Limit messages from Offset. The messages carry
// the IDs the status calls take.
func (s *HistoryService) List(ctx context.Context, p *HistoryParams, opts ...chatbot.CallOption) (*History, error) {
	if err := p.Validate(); err != nil {
		return nil, err
	}
	path, err := check.Path(rest.Lit("client"), rest.ID("ClientID", p.ClientID), rest.Lit("history"))
	if err != nil {
		return nil, err
	}
	var out History
	req := &rest.Request{Op: "History.List", Method: http.MethodGet, Path: path, Query: p, Idempotent: true}
	if err := s.client.do(ctx, req, &out, opts); err != nil {
		return nil, err
	}
	return &out, nil
}

// MaxHistoryLimit is the largest page the client asks for. The API states
// no maximum; the bound keeps one answer, and the memory it takes, in
// proportion (the engine refuses longer arrays before decoding them).
const MaxHistoryLimit = 1000

// DefaultHistoryLimit is the page size ListAll asks for when p.Limit is 0.
const DefaultHistoryLimit = 100

// ListAll yields every message of p.ClientID's history in the span From–To,
// in the server's order, one page at a time from p.Offset on, asking for
// p.Limit messages a page (or DefaultHistoryLimit). The server may send
// fewer than asked: each next page starts where the messages received so
// far end. The walk ends after an empty page, or, when the server gives
// TotalCount, once the span's TotalCount messages have come; only a
// server that gives no TotalCount ends it with a page shorter than asked.
// A server that ignores the offset and sends the same page again ends it
// with an error. An error ends the sequence as its last pair; bad
// parameters are that error before any request.
func (s *HistoryService) ListAll(ctx context.Context, p *HistoryParams, opts ...chatbot.CallOption) iter.Seq2[HistoryMessage, error] {
	if err := p.Validate(); err != nil {
		return page.Fail[HistoryMessage](err)
	}
	base := *p
	if base.Limit == 0 {
		base.Limit = DefaultHistoryLimit
	}
	return page.Label("aimylogic: History.ListAll", page.Walk(ctx, func() page.Step[HistoryMessage] {
		w := &historyWalk{svc: s, base: base, opts: opts}
		return w.next
	}))
}

// historyWalk is the state of one range over ListAll's sequence.
type historyWalk struct {
	svc     *HistoryService
	base    HistoryParams // Limit set
	opts    []chatbot.CallOption
	yielded int    // messages received so far
	prev    string // first and last message of the previous page
}

// next fetches the page after the messages received so far.
func (w *historyWalk) next(ctx context.Context) ([]HistoryMessage, bool, error) {
	q := w.base
	q.Offset = w.base.Offset + w.yielded
	h, err := w.svc.List(ctx, &q, w.opts...)
	if err != nil {
		return nil, true, err
	}
	n := len(h.Messages)
	if n == 0 {
		return nil, true, nil
	}
	ends := historyMessageID(h.Messages[0]) + "\x00\x00" + historyMessageID(h.Messages[n-1])
	if w.yielded > 0 && ends == w.prev {
		return nil, true, fmt.Errorf("%w: the server sent the same page again at offset %d; it seems to ignore the offset", page.ErrPaging, q.Offset)
	}
	w.prev = ends
	w.yielded += n
	var last bool
	if h.TotalCount > 0 {
		// TotalCount counts the whole span, the skipped Offset included.
		last = q.Offset+n >= h.TotalCount
	} else {
		last = n < q.Limit
	}
	return h.Messages, last, nil
}

// historyMessageID tells messages apart for the repeated-page check.
func historyMessageID(m HistoryMessage) string { return m.QuestionID + "\x00" + m.Timestamp.Raw }

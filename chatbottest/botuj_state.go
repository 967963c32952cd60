package chatbottest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"time"
)

// The first ids the fake gives out are the documentation's own examples,
// so that an id never equals an index by accident.
const (
	botujFirstConversationID = 7202
	botujFirstMessageID      = 10906
)

// botujEpoch is the first timestamp the fake's clock gives, the
// documented conversation's createdOn; botujTick is how far each new
// conversation or message moves it. The odd microseconds make every
// timestamp show all six fractional digits the API writes.
var (
	botujEpoch = time.Date(2024, 6, 23, 11, 34, 35, 397713000, time.UTC)
	botujTick  = time.Second + 123*time.Microsecond
)

// botujState is everything the fake remembers. Botuj.mu guards it.
type botujState struct {
	nextConversation int64
	nextMessage      int64
	ticks            int64 // timestamps given out so far
	seeded           int   // conversations made by Seed, for their texts
	conversations    []*bjConversation
	byID             map[int64]*bjConversation
}

func newBotujState() botujState {
	return botujState{
		nextConversation: botujFirstConversationID,
		nextMessage:      botujFirstMessageID,
		byID:             map[int64]*bjConversation{},
	}
}

// bjConversation is a stored conversation; its messages run oldest first.
type bjConversation struct {
	id        int64
	typ       string
	userID    string
	sessionID string
	createdOn time.Time
	messages  []BotujMessage
}

// now returns the fake clock's next timestamp. A deterministic clock makes
// two fakes filled the same way answer byte for byte the same.
func (s *botujState) now() time.Time {
	t := botujEpoch.Add(time.Duration(s.ticks) * botujTick)
	s.ticks++
	return t
}

// addConversation stores an empty conversation for a new user.
func (s *botujState) addConversation() *bjConversation {
	id := s.nextConversation
	s.nextConversation++
	userID := fmt.Sprintf("781a207d-8ca7-44e5-9939-%012x", id)
	c := &bjConversation{
		id:        id,
		typ:       "freeshot",
		userID:    userID,
		sessionID: botujSessionPrefix(id) + userID, // as in the documented example
		createdOn: s.now(),
	}
	s.conversations = append(s.conversations, c)
	s.byID[id] = c
	return c
}

// addMessage stores m in c, filling what the caller left out: a new id,
// the conversation's user on a user message, "freeshot" and the clock.
func (s *botujState) addMessage(c *bjConversation, m BotujMessage) BotujMessage {
	m.ID = s.nextMessage
	s.nextMessage++
	m.ConversationID = c.id
	if m.UserID == "" && m.IsUser {
		m.UserID = c.userID
	}
	if m.Type == "" {
		m.Type = "freeshot"
	}
	if m.CreatedOn.IsZero() {
		m.CreatedOn = s.now()
	}
	c.messages = append(c.messages, m)
	return m
}

// publicConversations returns every conversation as the inspection
// methods show it, oldest first.
func (s *botujState) publicConversations() []BotujConversation {
	out := make([]BotujConversation, len(s.conversations))
	for i, c := range s.conversations {
		out[i] = c.public()
	}
	return out
}

// messagesOf returns a copy of a conversation's messages (empty, not nil,
// for a conversation without any), or nil for an unknown conversation.
func (s *botujState) messagesOf(conversationID int64) []BotujMessage {
	if c := s.byID[conversationID]; c != nil {
		return append([]BotujMessage{}, c.messages...)
	}
	return nil
}

// botujSessionPrefix makes the six letters that precede the user id in a
// session id ("tC4lQY" in the documentation), from the conversation id.
func botujSessionPrefix(id int64) string {
	const letters = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
	var b [6]byte
	n := uint64(id) * 2654435761 // spread consecutive ids apart
	for i := range b {
		b[i] = letters[n%uint64(len(letters))]
		n /= uint64(len(letters))
	}
	return string(b[:])
}

// public returns the conversation as the inspection methods show it, with
// the fields the API derives from the messages.
func (c *bjConversation) public() BotujConversation {
	out := BotujConversation{
		ID: c.id, Type: c.typ, SessionID: c.sessionID, UserID: c.userID,
		Count: len(c.messages), CreatedOn: c.createdOn,
	}
	for _, m := range c.messages {
		if m.IsUser && out.FirstUserMessage == "" {
			out.FirstUserMessage = m.Message
		}
		if !m.IsUser && out.FirstBotMessage == "" {
			out.FirstBotMessage = botujBotDocument(m.Message)
		}
	}
	return out
}

// botujBotDocument wraps a bot reply the way the API shows firstBotMessage:
// {"message":"…"}, as the text of a string.
func botujBotDocument(text string) string {
	return string(botujJSON(struct {
		Message string `json:"message"`
	}{text}))
}

// botujJSON encodes v without escaping <, > and &, as the documentation's
// examples would show them, and without a trailing newline.
func botujJSON(v any) []byte {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(v) // only the fake's own types, which always encode
	return bytes.TrimSuffix(buf.Bytes(), []byte("\n"))
}

// botujPage returns page number page (from 1) of perPage items; a page
// past the end is empty.
func botujPage[T any](items []T, page, perPage int) []T {
	pages := (len(items) + perPage - 1) / perPage
	if page > pages {
		return items[:0:0]
	}
	start := (page - 1) * perPage // cannot overflow: page <= pages
	return items[start:min(start+perPage, len(items))]
}

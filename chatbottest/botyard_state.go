package chatbottest

import (
	"fmt"
	"slices"
	"time"
)

// botyardState is everything the fake stores. Botyard's mutex guards it.
type botyardState struct {
	seq      uint64
	lastMs   int64
	clock    func() time.Time // stamps messages when set (WithBotyardMessageClock)
	bots     []*BotyardBot    // creation order; deleted bots are removed
	commands map[string][]byCommand
	users    map[string]string    // id -> nickname
	chats    []*byChat            // creation order
	files    []byFile             // upload order
	content  map[string]byContent // by file path ("static/images/….png")
}

type byCommand struct {
	ID          string `json:"id"`
	Alias       string `json:"alias"`
	Description string `json:"description,omitempty"`
}

type byChat struct {
	ID       string `json:"id"`
	UserID   string `json:"userId"`
	BotID    string `json:"botId"`
	messages []byMessage
}

type byFile struct {
	ID       string `json:"id"`
	Path     string `json:"path"`
	Name     string `json:"name"`
	Size     int64  `json:"size"`
	MimeType string `json:"mimeType"`
}

// byContent is what an uploaded file holds.
type byContent struct {
	mimeType string // as declared in the upload
	data     []byte
}

type byMessage struct {
	ID          string   `json:"id"`
	ChatID      string   `json:"chatId,omitempty"`
	SenderID    string   `json:"senderId"`
	Body        string   `json:"body"`
	Attachments []byFile `json:"attachments,omitempty"`
	Timestamp   int64    `json:"timestamp"`
}

func newBotyardState() botyardState {
	return botyardState{commands: map[string][]byCommand{}, users: map[string]string{}, content: map[string]byContent{}}
}

// newID returns a 26-character lower-case ID that sorts in creation order,
// shaped like the real server's ULIDs.
func (s *botyardState) newID() string {
	s.seq++
	return fmt.Sprintf("01fake%020d", s.seq)
}

// now returns the timestamp of a new message, in milliseconds. Without a
// clock it is the current time made strictly later than the previous
// message's, so that the fake's message order is deterministic; with one
// it is the clock's millisecond as is, ties included, as on the real
// server.
func (s *botyardState) now() int64 {
	if s.clock != nil {
		return s.clock().UnixMilli()
	}
	ms := time.Now().UnixMilli()
	if ms <= s.lastMs {
		ms = s.lastMs + 1
	}
	s.lastMs = ms
	return ms
}

func (s *botyardState) bot(id string) *BotyardBot {
	for _, b := range s.bots {
		if b.ID == id {
			return b
		}
	}
	return nil
}

func (s *botyardState) chat(id string) *byChat {
	for _, c := range s.chats {
		if c.ID == id {
			return c
		}
	}
	return nil
}

// addMessage appends a message to c, resolving attachment IDs to the files
// that exist (in upload order, unknown IDs dropped, as the real server).
func (s *botyardState) addMessage(c *byChat, senderID, body string, attachmentIDs []string) byMessage {
	m := byMessage{ID: s.newID(), ChatID: c.ID, SenderID: senderID, Body: body, Timestamp: s.now()}
	want := map[string]bool{}
	for _, id := range attachmentIDs {
		want[id] = true
	}
	for _, f := range s.files {
		if want[f.ID] {
			m.Attachments = append(m.Attachments, f)
		}
	}
	// Keep the chat in timestamp order, a tie after the messages already
	// there, as the server sorts: a clock may go back.
	i := len(c.messages)
	for i > 0 && c.messages[i-1].Timestamp > m.Timestamp {
		i--
	}
	c.messages = slices.Insert(c.messages, i, m)
	return m
}

// page selects messages as the real server does (§5.11 of the reference):
// filter, order newest first (messages are kept in timestamp order; ties
// in the order they were posted, one of the orders the server may use), skip (page-1)*limit, take limit (all when
// limit < 0), and return the slice oldest first.
func (c *byChat) page(page, limit int, senderID string, since int64) (total int, items []byMessage) {
	var set []byMessage
	for i := len(c.messages) - 1; i >= 0; i-- { // newest first
		m := c.messages[i]
		if (senderID == "" || m.SenderID == senderID) && (since <= 0 || m.Timestamp > since) {
			set = append(set, m)
		}
	}
	total = len(set)
	switch {
	case limit < 0:
		items = set
	default:
		start := (max(page, 1) - 1) * limit
		if start < len(set) {
			items = set[start:min(start+limit, len(set))]
		}
	}
	out := make([]byMessage, len(items))
	for i, m := range items {
		m.ChatID = "" // list items carry no chat ID
		out[len(items)-1-i] = m
	}
	return total, out
}

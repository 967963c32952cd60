package chatbottest

import (
	"fmt"
	"time"
)

// chatThingState is everything the fake remembers. ChatThing.mu guards it.
type chatThingState struct {
	nextID int
	// order maps every ID ever issued to its creation number. Cursors are
	// IDs, and a cursor must keep working after its item is deleted, so
	// entries are never removed.
	order map[string]int

	conversations []*ctConversation
	convByID      map[string]*ctConversation

	dataSources []*ctDataSource
	dsByID      map[string]*ctDataSource

	queued       []string // scripted replies, used before the bot
	bot          ChatThingBot
	streamFaults []streamFault
	failSyncs    int // how many of the next syncs end in sync_error
}

func newChatThingState() chatThingState {
	return chatThingState{
		order:    map[string]int{},
		convByID: map[string]*ctConversation{},
		dsByID:   map[string]*ctDataSource{},
	}
}

// newID returns a fresh UUID-shaped ID. IDs are unique across every kind
// of object, so a client that passes a conversation ID where a row ID
// belongs gets 404 rather than a lucky match.
func (s *chatThingState) newID() (string, int) {
	s.nextID++
	n := s.nextID
	id := fmt.Sprintf("c4a77e1c-%04x-4000-8000-%012x", n>>48&0xffff, n&0xffffffffffff)
	s.order[id] = n
	return id, n
}

// timestamp formats t the way the reference's examples do
// ("2024-01-27T15:02:51.970Z").
func timestamp(t time.Time) string {
	return t.UTC().Format("2006-01-02T15:04:05.000Z")
}

// ctConversation is one conversation and its messages, oldest first.
type ctConversation struct {
	id        string
	seq       int
	createdAt time.Time
	messages  []*ctMessage
}

// ctMessage is one message of a conversation.
type ctMessage struct {
	id        string
	seq       int
	role      string
	text      string
	createdAt time.Time
}

func (c *ctConversation) ref() (string, int) { return c.id, c.seq }
func (m *ctMessage) ref() (string, int)      { return m.id, m.seq }

// initialMessage is the conversation's first user message. The reference's
// examples show user questions there even though a started conversation
// opens with the bot's greeting; before the first user message it is "".
func (c *ctConversation) initialMessage() string {
	for _, m := range c.messages {
		if m.role == "user" {
			return m.text
		}
	}
	return ""
}

// addConversation creates an empty conversation.
func (s *chatThingState) addConversation(now time.Time) *ctConversation {
	id, seq := s.newID()
	conv := &ctConversation{id: id, seq: seq, createdAt: now}
	s.conversations = append(s.conversations, conv)
	s.convByID[id] = conv
	return conv
}

// addMessage appends a message to conv.
func (s *chatThingState) addMessage(conv *ctConversation, role, text string, now time.Time) {
	id, seq := s.newID()
	conv.messages = append(conv.messages, &ctMessage{id: id, seq: seq, role: role, text: text, createdAt: now})
}

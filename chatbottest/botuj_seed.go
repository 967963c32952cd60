package chatbottest

import (
	"fmt"
	"time"
)

// BotujConversation is a stored conversation, as Botuj's inspection
// methods return it.
type BotujConversation struct {
	ID   int64
	Type string
	// SessionID is six letters followed by UserID, the pattern of the
	// documented example.
	SessionID string
	// UserID is the end user's UUID, on the conversation's user messages.
	UserID string
	// Count, FirstUserMessage and FirstBotMessage are derived from the
	// messages, as the API sends them: FirstBotMessage is the JSON
	// document {"message":"…"} as text, "" before the first bot reply.
	Count            int
	FirstUserMessage string
	FirstBotMessage  string
	CreatedOn        time.Time
}

// BotujMessage is a message: what AddConversation and AddMessages take,
// and what Messages returns.
type BotujMessage struct {
	// ID and ConversationID are given by the fake; values passed in are
	// ignored.
	ID             int64
	ConversationID int64
	Message        string
	// UserID defaults to the conversation's user on a user message; on a
	// bot message it defaults to none, sent as null.
	UserID string
	IsUser bool
	// Type defaults to "freeshot".
	Type string
	// CreatedOn defaults to the fake's clock, which starts at the
	// documented example's time and moves on a little for every
	// conversation and message.
	CreatedOn time.Time
}

// AddConversation stores a new conversation holding messages (in order)
// and returns it. Its id is the next one free, starting at 7202.
func (b *Botuj) AddConversation(messages ...BotujMessage) BotujConversation {
	b.mu.Lock()
	defer b.mu.Unlock()
	c := b.state.addConversation()
	for _, m := range messages {
		b.state.addMessage(c, m)
	}
	return c.public()
}

// AddMessages appends messages to a conversation and returns them as
// stored, with their ids (the next free ones, starting at 10906). It fails
// only for an unknown conversation.
func (b *Botuj) AddMessages(conversationID int64, messages ...BotujMessage) ([]BotujMessage, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	c := b.state.byID[conversationID]
	if c == nil {
		return nil, fmt.Errorf("chatbottest: botuj: no conversation %d", conversationID)
	}
	out := make([]BotujMessage, len(messages))
	for i, m := range messages {
		out[i] = b.state.addMessage(c, m)
	}
	return out, nil
}

// Seed stores n conversations with made-up, deterministic content (Polish
// text with diacritics, 1 to 4 exchanges of a user question and a bot
// answer) and returns their ids. Two fakes seeded alike answer alike.
func (b *Botuj) Seed(n int) []int64 {
	b.mu.Lock()
	defer b.mu.Unlock()
	ids := make([]int64, 0, max(n, 0))
	for range max(n, 0) {
		k := b.state.seeded
		b.state.seeded++
		c := b.state.addConversation()
		for j := range k%4 + 1 {
			b.state.addMessage(c, BotujMessage{IsUser: true, Message: fmt.Sprintf("Pytanie %d.%d: czy możesz mi pomóc?", k+1, j+1)})
			b.state.addMessage(c, BotujMessage{Message: fmt.Sprintf("Odpowiedź %d.%d: oczywiście, chętnie pomogę.", k+1, j+1)})
		}
		ids = append(ids, c.id)
	}
	return ids
}

// Conversations returns every conversation, in the order the server lists
// them (oldest first).
func (b *Botuj) Conversations() []BotujConversation {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.state.publicConversations()
}

// Messages returns a copy of a conversation's messages, oldest first, or
// nil when there is no such conversation.
func (b *Botuj) Messages(conversationID int64) []BotujMessage {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.state.messagesOf(conversationID)
}

// BotujRequest is a request a Botuj received, as its request log
// (Requests, CountRequests) keeps it. Path is the whole URL path
// ("/v1/api/conversations"); the Authorization header shows as
// "[redacted]".
type BotujRequest = Request

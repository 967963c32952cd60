package chat

import (
	"strings"
	"time"
)

// Role is who wrote a message. The set is open: a role a platform names
// that has no constant here is kept as the platform spells it.
type Role string

// Roles shared by the platforms.
const (
	// RoleUser is the end user, on whose behalf Send posts.
	RoleUser Role = "user"
	// RoleBot is the bot (Chat Thing's "assistant").
	RoleBot Role = "bot"
	// RoleAgent is a person answering in the bot's place (Aimylogic's
	// live agent, "OPERATOR").
	RoleAgent Role = "agent"
	// RoleSystem is the platform itself, such as a notice that a
	// session ended.
	RoleSystem Role = "system"
)

// Message is one message of a conversation, on any platform.
type Message struct {
	// ID is the platform's ID of the message; "" where the platform gives
	// none (a Chat Thing reply returned by Send or Stream).
	ID string
	// ConversationID is the conversation the message belongs to.
	ConversationID string
	// Role says who wrote it.
	Role Role
	// Text is the message's text.
	Text string
	// Time is when it was written; zero when the platform does not say.
	Time time.Time
	// Raw is the platform's own value for the message, for what this
	// type does not carry: a chatbot.Message, a botyard.MessageItem, …
	// (documented on each adapter). It is nil when the platform sent no
	// message object (a Chat Thing reply).
	Raw any
}

// Conversation is a conversation on any platform.
type Conversation struct {
	// ID is the platform's ID of the conversation: what Send, Stream and
	// History take.
	ID string
	// Started is when the conversation began; zero when the platform
	// does not say.
	Started time.Time
	// Preview is the text the platform's listing shows for the
	// conversation (Chat Thing's initial message); "" where it shows none.
	Preview string
	// Greeting is the bot's opening message when Start got one; nil
	// otherwise.
	Greeting *Message
	// Raw is the platform's own value for the conversation (a
	// chatbot.Conversation, a botyard.Chat, …), or nil when there was
	// none.
	Raw any
}

// Reply is the bot's answer to one text: one or more messages.
type Reply struct {
	// Messages are the bot's messages, oldest first.
	Messages []Message
}

// Text returns the reply's messages' texts joined by newlines.
func (r *Reply) Text() string {
	texts := make([]string, len(r.Messages))
	for i, m := range r.Messages {
		texts[i] = m.Text
	}
	return strings.Join(texts, "\n")
}

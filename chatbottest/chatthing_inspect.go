package chatbottest

import "time"

// ChatThingMessage is a stored message, as ChatThing.Messages returns it.
type ChatThingMessage struct {
	ID string
	// Role is "user" or "assistant".
	Role      string
	Text      string
	CreatedAt time.Time
}

// ConversationIDs returns the IDs of every conversation, oldest first.
func (c *ChatThing) ConversationIDs() []string {
	c.mu.Lock()
	defer c.mu.Unlock()
	ids := make([]string, len(c.state.conversations))
	for i, conv := range c.state.conversations {
		ids[i] = conv.id
	}
	return ids
}

// Messages returns a copy of a conversation's messages, oldest first, or
// nil when there is no such conversation.
func (c *ChatThing) Messages(conversationID string) []ChatThingMessage {
	c.mu.Lock()
	defer c.mu.Unlock()
	conv := c.state.convByID[conversationID]
	if conv == nil {
		return nil
	}
	out := make([]ChatThingMessage, len(conv.messages))
	for i, m := range conv.messages {
		out[i] = ChatThingMessage{ID: m.id, Role: m.role, Text: m.text, CreatedAt: m.createdAt}
	}
	return out
}

// SeedConversation stores a conversation without going through HTTP: the
// greeting, then each of userMessages followed by the bot's reply to it
// (queued replies are left for real sends). It returns the conversation's
// ID. Use it to fill the server for pagination tests quickly.
func (c *ChatThing) SeedConversation(userMessages ...string) string {
	c.mu.Lock()
	now := time.Now()
	conv := c.state.addConversation(now)
	c.state.addMessage(conv, "assistant", c.cfg.greeting, now)
	bot := c.state.bot
	if bot == nil {
		bot = c.cfg.bot
	}
	c.mu.Unlock()

	replies := make([]string, len(userMessages))
	for i, m := range userMessages {
		replies[i] = bot(conv.id, m)
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	for i, m := range userMessages {
		c.state.addMessage(conv, "user", m, now)
		c.state.addMessage(conv, "assistant", replies[i], now)
	}
	return conv.id
}

// ChatThingRow is a stored data source row, as ChatThing.Rows returns it.
type ChatThingRow struct {
	ID      string
	Name    string
	Content string
	// State is "not_synced", "syncing" or "synced".
	State string
}

// DataSourceIDs returns the IDs of every data source, oldest first.
func (c *ChatThing) DataSourceIDs() []string {
	c.mu.Lock()
	defer c.mu.Unlock()
	ids := make([]string, len(c.state.dataSources))
	for i, ds := range c.state.dataSources {
		ids[i] = ds.id
	}
	return ids
}

// Rows returns a copy of a data source's rows, oldest first, or nil when
// there is no such data source.
func (c *ChatThing) Rows(dataSourceID string) []ChatThingRow {
	c.mu.Lock()
	defer c.mu.Unlock()
	ds := c.state.dsByID[dataSourceID]
	if ds == nil {
		return nil
	}
	ds.settle(time.Now())
	out := make([]ChatThingRow, len(ds.rows))
	for i, r := range ds.rows {
		out[i] = ChatThingRow{ID: r.id, Name: r.name, Content: r.content, State: r.state}
	}
	return out
}

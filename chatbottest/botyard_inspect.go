package chatbottest

// AddBot adds a bot, as the admin API would, and returns it.
func (b *Botyard) AddBot(name, description, avatar string) BotyardBot {
	b.mu.Lock()
	defer b.mu.Unlock()
	bot := &BotyardBot{ID: b.state.newID(), Name: name, Description: description, Avatar: avatar}
	b.state.bots = append(b.state.bots, bot)
	return *bot
}

// Bots returns the server's bots in creation order.
func (b *Botyard) Bots() []BotyardBot {
	b.mu.Lock()
	defer b.mu.Unlock()
	out := make([]BotyardBot, len(b.state.bots))
	for i, bot := range b.state.bots {
		out[i] = *bot
	}
	return out
}

// DeleteBot removes a bot, as the admin API would: its chats and commands
// stay, and new chats with its ID are still accepted.
func (b *Botyard) DeleteBot(botID string) {
	b.mu.Lock()
	defer b.mu.Unlock()
	for i, bot := range b.state.bots {
		if bot.ID == botID {
			b.state.bots = append(b.state.bots[:i:i], b.state.bots[i+1:]...)
			return
		}
	}
}

// AddCommand gives a bot a command.
func (b *Botyard) AddCommand(botID, alias, description string) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.state.commands[botID] = append(b.state.commands[botID], byCommand{ID: b.state.newID(), Alias: alias, Description: description})
}

// BotyardRequest is a request a Botyard received, as its request log
// (Requests, CountRequests) keeps it. Path is the whole URL path
// ("/v1/client-api/files"); Cookie holds the session token the client
// sent.
type BotyardRequest = Request

// BotyardMessage is a stored message, as Messages returns it.
type BotyardMessage struct {
	ID, SenderID, Body string
	// AttachmentIDs are the IDs of the files that resolved.
	AttachmentIDs []string
	// Timestamp is in Unix milliseconds. Unless WithBotyardMessageClock
	// is given, every message's timestamp is strictly greater than the
	// previous one's.
	Timestamp int64
}

// PostBotMessage posts body into a chat as the chat's bot (what the Bot
// API does), and returns the message. ok is false when there is no such
// chat.
func (b *Botyard) PostBotMessage(chatID, body string) (m BotyardMessage, ok bool) {
	b.mu.Lock()
	defer b.mu.Unlock()
	ch := b.state.chat(chatID)
	if ch == nil {
		return BotyardMessage{}, false
	}
	return byPublic(b.state.addMessage(ch, ch.BotID, body, nil)), true
}

// Messages returns a chat's messages, oldest first (by timestamp, ties
// in the order they were posted), or nil when there is
// no such chat.
func (b *Botyard) Messages(chatID string) []BotyardMessage {
	b.mu.Lock()
	defer b.mu.Unlock()
	ch := b.state.chat(chatID)
	if ch == nil {
		return nil
	}
	out := make([]BotyardMessage, len(ch.messages))
	for i, m := range ch.messages {
		out[i] = byPublic(m)
	}
	return out
}

func byPublic(m byMessage) BotyardMessage {
	out := BotyardMessage{ID: m.ID, SenderID: m.SenderID, Body: m.Body, Timestamp: m.Timestamp}
	for _, f := range m.Attachments {
		out.AttachmentIDs = append(out.AttachmentIDs, f.ID)
	}
	return out
}

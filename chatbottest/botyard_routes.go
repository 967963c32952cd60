package chatbottest

import (
	"net/http"
	"net/url"
)

// Limits of the real server's default config.
const (
	byMinNickname    = 3
	byMaxNickname    = 32
	byMaxBody        = 4096
	byMaxAttachments = 10
	byMaxChatsPerBot = 10
)

func (b *Botyard) serviceInfo(w http.ResponseWriter, _ *http.Request, _ *byCall) {
	writeJSON(w, http.StatusOK, map[string]any{
		"name":        "Fake Botyard",
		"description": "An in-memory Botyard server for tests.",
		"socials":     []map[string]string{{"title": "GitHub", "url": "https://github.com/cheatsnake/botyard"}},
	})
}

// byBotJSON is a bot as the API shows it.
type byBotJSON struct {
	ID          string `json:"id"`
	Name        string `json:"name"`
	Description string `json:"description,omitempty"`
	Avatar      string `json:"avatar,omitempty"`
}

func (b *Botyard) listBots(w http.ResponseWriter, _ *http.Request, _ *byCall) {
	b.mu.Lock()
	out := make([]byBotJSON, 0, len(b.state.bots))
	for _, bot := range b.state.bots {
		out = append(out, byBotJSON(*bot))
	}
	b.mu.Unlock()
	writeJSON(w, http.StatusOK, out)
}

func (b *Botyard) getBot(w http.ResponseWriter, _ *http.Request, c *byCall) {
	b.mu.Lock()
	bot := b.state.bot(c.id)
	b.mu.Unlock()
	if bot == nil {
		b.writeError(w, http.StatusNotFound, "Bot not found.")
		return
	}
	writeJSON(w, http.StatusOK, byBotJSON(*bot))
}

func (b *Botyard) botCommands(w http.ResponseWriter, _ *http.Request, c *byCall) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.state.bot(c.id) == nil {
		b.writeError(w, http.StatusNotFound, "Bot not found.")
		return
	}
	writeJSON(w, http.StatusOK, append([]byCommand{}, b.state.commands[c.id]...))
}

func (b *Botyard) createUser(w http.ResponseWriter, r *http.Request, _ *byCall) {
	var in struct {
		Nickname string `json:"nickname"`
	}
	if !b.decode(w, r, &in, func(v url.Values) { in.Nickname = v.Get("nickname") }) {
		return
	}
	if msg := byCheckNickname(in.Nickname); msg != "" {
		b.writeError(w, http.StatusBadRequest, msg)
		return
	}
	b.mu.Lock()
	id := b.state.newID()
	b.state.users[id] = in.Nickname
	b.mu.Unlock()
	b.issueToken(w, id, in.Nickname)
	writeJSON(w, http.StatusCreated, map[string]string{"id": id, "nickname": in.Nickname})
}

// byCheckNickname applies the real server's rules in its order (lengths in
// bytes).
func byCheckNickname(n string) string {
	switch {
	case len(n) < byMinNickname:
		return "Nickname must be at least 3 characters long."
	case len(n) > byMaxNickname:
		return "Nickname should not be longer than 32 characters."
	}
	for _, r := range n {
		if !(r == ' ' || r == '-' || ('a' <= r && r <= 'z') || ('A' <= r && r <= 'Z') || ('0' <= r && r <= '9')) {
			return "Nickname should contain only upper/lower case English letters, spaces, dashes and numbers."
		}
	}
	return ""
}

func (b *Botyard) currentUser(w http.ResponseWriter, _ *http.Request, c *byCall) {
	b.mu.Lock()
	nick, ok := b.state.users[c.userID]
	b.mu.Unlock()
	if !ok {
		b.writeError(w, http.StatusNotFound, "User not found.")
		return
	}
	writeJSON(w, http.StatusOK, map[string]string{"id": c.userID, "nickname": nick})
}

func (b *Botyard) createChat(w http.ResponseWriter, r *http.Request, c *byCall) {
	var in struct {
		BotID string `json:"botId"`
	}
	if !b.decode(w, r, &in, func(v url.Values) { in.BotID = v.Get("botId") }) {
		return
	}
	if in.BotID == "" {
		b.writeError(w, http.StatusBadRequest, "bot id must not be empty")
		return
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	n := 0
	for _, ch := range b.state.chats {
		if ch.UserID == c.userID && ch.BotID == in.BotID {
			n++
		}
	}
	if n >= byMaxChatsPerBot {
		b.writeError(w, http.StatusBadRequest, "Cannot create more than 10 chat rooms with the same bot.")
		return
	}
	// Like the real server, the bot's existence is not checked.
	ch := &byChat{ID: b.state.newID(), UserID: c.userID, BotID: in.BotID}
	b.state.chats = append(b.state.chats, ch)
	writeJSON(w, http.StatusCreated, ch)
}

func (b *Botyard) listChats(w http.ResponseWriter, r *http.Request, c *byCall) {
	botID := r.URL.Query().Get("bot_id")
	if botID == "" {
		b.writeError(w, http.StatusBadRequest, "Bot ID is required.")
		return
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.state.bot(botID) == nil {
		b.writeError(w, http.StatusNotFound, "Bot not found.")
		return
	}
	out := []*byChat{}
	for _, ch := range b.state.chats {
		if ch.UserID == c.userID && ch.BotID == botID {
			out = append(out, ch)
		}
	}
	writeJSON(w, http.StatusOK, out)
}

// ownChat finds a chat of the caller, answering 404 or 403 itself. The
// caller holds b.mu.
func (b *Botyard) ownChat(w http.ResponseWriter, chatID, userID string) *byChat {
	ch := b.state.chat(chatID)
	switch {
	case ch == nil:
		b.writeError(w, http.StatusNotFound, "Chat not found.")
		return nil
	case ch.UserID != userID:
		b.writeError(w, http.StatusForbidden, "Chat is not related to current user.")
		return nil
	}
	return ch
}

func (b *Botyard) deleteChat(w http.ResponseWriter, _ *http.Request, c *byCall) {
	b.mu.Lock()
	defer b.mu.Unlock()
	ch := b.ownChat(w, c.id, c.userID)
	if ch == nil {
		return
	}
	for i, x := range b.state.chats {
		if x == ch {
			b.state.chats = append(b.state.chats[:i:i], b.state.chats[i+1:]...)
			break
		}
	}
	writeJSON(w, http.StatusOK, byMessageBody{"Chat deleted."})
}

func (b *Botyard) sendMessage(w http.ResponseWriter, r *http.Request, c *byCall) {
	var in struct {
		ChatID        string   `json:"chatId"`
		Body          string   `json:"body"`
		AttachmentIDs []string `json:"attachmentIds"`
	}
	if !b.decode(w, r, &in, func(v url.Values) { in.ChatID, in.Body = v.Get("chatId"), v.Get("body") }) {
		return
	}
	b.mu.Lock()
	ch := b.ownChat(w, in.ChatID, c.userID)
	switch {
	case ch == nil:
		b.mu.Unlock()
		return
	case len(in.Body) > byMaxBody:
		b.mu.Unlock()
		b.writeError(w, http.StatusBadRequest, "maximum allowed body length is 4096 characters")
		return
	case len(in.AttachmentIDs) > byMaxAttachments:
		b.mu.Unlock()
		b.writeError(w, http.StatusBadRequest, "maximum number of files allowed is 10")
		return
	}
	m := b.state.addMessage(ch, c.userID, in.Body, in.AttachmentIDs)
	var bot *BotyardBot
	if found := b.state.bot(ch.BotID); found != nil {
		cp := *found
		bot = &cp
	}
	b.mu.Unlock()
	b.answer(ch, bot, in.Body)
	writeJSON(w, http.StatusCreated, m)
}

// answer asks the replier for the bot's answers to a user message and
// posts them, now or after the reply delay. The replier runs without the
// lock: it may be slow, or call the fake's own methods.
func (b *Botyard) answer(ch *byChat, bot *BotyardBot, body string) {
	if bot == nil || b.cfg.replier == nil {
		return
	}
	replies := b.cfg.replier(*bot, body)
	if len(replies) == 0 {
		return
	}
	post := func() {
		b.mu.Lock()
		defer b.mu.Unlock()
		for _, text := range replies {
			b.state.addMessage(ch, bot.ID, text, nil)
		}
	}
	if b.cfg.replyDelay == 0 {
		post()
		return
	}
	b.after(b.cfg.replyDelay, post) // dropped if the fake closes first
}

func (b *Botyard) listMessages(w http.ResponseWriter, r *http.Request, c *byCall) {
	q := r.URL.Query()
	page, limit := byInt(q, "page", 1), byInt(q, "limit", 20)
	since := byInt(q, "since", 0)
	b.mu.Lock()
	defer b.mu.Unlock()
	ch := b.ownChat(w, c.id, c.userID)
	if ch == nil {
		return
	}
	total, items := ch.page(int(page), int(limit), q.Get("sender_id"), since)
	writeJSON(w, http.StatusOK, map[string]any{
		"chatId": ch.ID, "total": total, "page": page, "limit": limit, "messages": items,
	})
}

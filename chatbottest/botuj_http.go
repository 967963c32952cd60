package chatbottest

import (
	"crypto/subtle"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// botujPrefix is where the API lives.
const botujPrefix = "/v1/api"

// Paging limits, as documented for both lists.
const (
	botujDefaultPerPage = 20
	botujMaxPerPage     = 100
)

// routes registers the API's two lists. The core answers every other
// request through noRoute, and applies the request log and the faults
// around all of them (faults first, so they come before auth, as a
// gateway's would).
func (b *Botuj) routes() {
	b.register("GET "+botujPrefix+"/conversations", b.authorized(b.listConversations))
	b.register("GET "+botujPrefix+"/conversation-messages/{id}", b.authorized(b.listMessages))
}

// noRoute answers with a JSON body too: 405 with the methods the route
// takes, or 404 for a path the API does not have (a trailing slash
// included).
func (b *Botuj) noRoute(w http.ResponseWriter, _ *http.Request, status int) {
	if status == http.StatusMethodNotAllowed {
		w.Header().Set("Allow", "GET, HEAD")
		b.writeError(w, http.StatusMethodNotAllowed, "method not allowed")
		return
	}
	b.writeError(w, http.StatusNotFound, "not found")
}

// bjErrorBody is the fake's error shape. The API documents none;
// {"message": …} is what the SDK's error reader looks for first.
type bjErrorBody struct {
	Message string `json:"message"`
}

// authorized wants "Authorization: Bearer <APIKey>" (the scheme in any
// case, as RFC 9110 allows); anything else is a 401 that never repeats
// what was sent.
func (b *Botuj) authorized(h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		scheme, key, _ := strings.Cut(strings.TrimSpace(r.Header.Get("Authorization")), " ")
		key = strings.TrimSpace(key)
		if !strings.EqualFold(scheme, "Bearer") || key == "" ||
			subtle.ConstantTimeCompare([]byte(key), []byte(b.APIKey)) != 1 {
			w.Header().Set("WWW-Authenticate", `Bearer realm="botuj"`)
			b.writeError(w, http.StatusUnauthorized, "invalid or missing API key")
			return
		}
		h(w, r)
	}
}

// bjConversationJSON is a conversation as the API sends it.
type bjConversationJSON struct {
	ID               int64  `json:"id"`
	Type             string `json:"type"`
	Count            int    `json:"count"`
	SessionID        string `json:"sessionid"`
	FirstUserMessage string `json:"firstUserMessage"`
	FirstBotMessage  string `json:"firstBotMessage"`
	CreatedOn        string `json:"createdOn"`
}

// bjMessageJSON is a message as the API sends it.
type bjMessageJSON struct {
	ID        int64   `json:"id"`
	Message   string  `json:"message"`
	UserID    *string `json:"userId"`
	IsUser    bool    `json:"isUser"`
	Type      string  `json:"type"`
	CreatedOn string  `json:"createdOn"`
}

// botujTimestamp writes a time as the API does: UTC, six fractional digits.
func botujTimestamp(t time.Time) string {
	return t.UTC().Format("2006-01-02T15:04:05.000000Z")
}

func (b *Botuj) listConversations(w http.ResponseWriter, r *http.Request) {
	page, perPage, msg := botujPaging(r.URL.Query())
	if msg != "" {
		b.writeError(w, http.StatusBadRequest, msg)
		return
	}
	b.mu.Lock()
	total := len(b.state.conversations)
	convs := botujPage(b.state.conversations, page, perPage)
	items := make([]bjConversationJSON, len(convs))
	for i, c := range convs {
		p := c.public()
		items[i] = bjConversationJSON{
			ID: p.ID, Type: p.Type, Count: p.Count, SessionID: p.SessionID,
			FirstUserMessage: p.FirstUserMessage, FirstBotMessage: p.FirstBotMessage,
			CreatedOn: botujTimestamp(p.CreatedOn),
		}
	}
	b.mu.Unlock()
	b.writePage(w, items, page, perPage, total)
}

func (b *Botuj) listMessages(w http.ResponseWriter, r *http.Request) {
	page, perPage, msg := botujPaging(r.URL.Query())
	if msg != "" {
		b.writeError(w, http.StatusBadRequest, msg)
		return
	}
	// An id that is not a number names no conversation either: both are
	// the documentation's "invalid conversation ID".
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	b.mu.Lock()
	c := b.state.byID[id]
	if err != nil || c == nil {
		b.mu.Unlock()
		b.writeError(w, http.StatusNotFound, "conversation not found")
		return
	}
	total := len(c.messages)
	msgs := botujPage(c.messages, page, perPage)
	items := make([]bjMessageJSON, len(msgs))
	for i, m := range msgs {
		items[i] = bjMessageJSON{
			ID: m.ID, Message: m.Message, IsUser: m.IsUser, Type: m.Type,
			CreatedOn: botujTimestamp(m.CreatedOn),
		}
		if m.UserID != "" {
			userID := m.UserID
			items[i].UserID = &userID
		}
	}
	b.mu.Unlock()
	b.writePage(w, items, page, perPage, total)
}

// writePage answers with one page in the configured envelope.
func (b *Botuj) writePage(w http.ResponseWriter, items any, page, perPage, total int) {
	var body any = items
	if b.cfg.envelope == BotujDataEnvelope {
		body = struct {
			Data     any `json:"data"`
			Page     int `json:"page"`
			PerPage  int `json:"per_page"`
			Total    int `json:"total"`
			LastPage int `json:"last_page"`
		}{items, page, perPage, total, max(1, (total+perPage-1)/perPage)}
	}
	// Written without HTML escapes and without a trailing newline, as the
	// documentation's examples show items.
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(botujJSON(body))
}

// botujPaging reads page (default 1) and per_page (default 20, at most
// 100). A value that is not a whole number in range is refused with a
// message rather than clamped, so that a client bug shows in tests.
func botujPaging(q url.Values) (page, perPage int, msg string) {
	page, perPage = 1, botujDefaultPerPage
	if s := q.Get("page"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 {
			return 0, 0, "page must be a whole number of 1 or more"
		}
		page = n
	}
	if s := q.Get("per_page"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 || n > botujMaxPerPage {
			return 0, 0, "per_page must be a whole number from 1 to 100"
		}
		perPage = n
	}
	return page, perPage, ""
}

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

// newHandler builds the whole server: the request log outermost (so that
// injected faults are logged too), then the faults, then the routes. Every
// answer, a wrong route or method included, has a JSON body.
func (b *Botuj) newHandler() http.Handler {
	mux := http.NewServeMux()
	mux.Handle("GET "+botujPrefix+"/conversations", b.authorized(b.listConversations))
	mux.Handle("GET "+botujPrefix+"/conversation-messages/{id}", b.authorized(b.listMessages))
	// The same paths without a method catch every other method.
	for _, p := range []string{"/conversations", "/conversation-messages/{id}"} {
		mux.HandleFunc(botujPrefix+p, func(w http.ResponseWriter, _ *http.Request) {
			w.Header().Set("Allow", "GET, HEAD")
			writeBotujError(w, http.StatusMethodNotAllowed, "method not allowed")
		})
	}
	mux.HandleFunc("/", func(w http.ResponseWriter, _ *http.Request) {
		writeBotujError(w, http.StatusNotFound, "not found")
	})
	return b.logRequests(b.Faults.Wrap(mux))
}

// authorized wants "Authorization: Bearer <APIKey>" (the scheme in any
// case, as RFC 9110 allows); anything else is a 401 that never repeats
// what was sent.
func (b *Botuj) authorized(h http.HandlerFunc) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		scheme, key, _ := strings.Cut(strings.TrimSpace(r.Header.Get("Authorization")), " ")
		key = strings.TrimSpace(key)
		if !strings.EqualFold(scheme, "Bearer") || key == "" ||
			subtle.ConstantTimeCompare([]byte(key), []byte(b.APIKey)) != 1 {
			w.Header().Set("WWW-Authenticate", `Bearer realm="botuj"`)
			writeBotujError(w, http.StatusUnauthorized, "invalid or missing API key")
			return
		}
		h(w, r)
	})
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
		writeBotujError(w, http.StatusBadRequest, msg)
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
		writeBotujError(w, http.StatusBadRequest, msg)
		return
	}
	// An id that is not a number names no conversation either: both are
	// the documentation's "invalid conversation ID".
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	b.mu.Lock()
	c := b.state.byID[id]
	if err != nil || c == nil {
		b.mu.Unlock()
		writeBotujError(w, http.StatusNotFound, "conversation not found")
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
	writeBotujJSON(w, http.StatusOK, body)
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

// writeBotujJSON sends v with status.
func writeBotujJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_, _ = w.Write(botujJSON(v))
}

// writeBotujError sends the error body the fake uses. The API documents
// none; {"message": …} is what the SDK's error reader looks for first.
func writeBotujError(w http.ResponseWriter, status int, message string) {
	writeBotujJSON(w, status, struct {
		Message string `json:"message"`
	}{message})
}

// logRequests records each request with the status it got.
func (b *Botuj) logRequests(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rec := &statusRecorder{ResponseWriter: w}
		defer func() {
			b.mu.Lock()
			b.state.requests = append(b.state.requests, BotujRequest{
				Method: r.Method, Path: r.URL.Path, Query: r.URL.RawQuery, Status: rec.status,
			})
			b.mu.Unlock()
		}()
		next.ServeHTTP(rec, r)
	})
}

package chatbottest

import (
	"bytes"
	"crypto/subtle"
	"encoding/json"
	"io"
	"net/http"
	"strings"
)

// aimylogicBodyLimit caps a request body. The API documents no limit; a
// response holds at most 50,000 characters of replies, and 1 MiB leaves a
// request (or a saved state) plenty beside that while keeping a runaway
// test from eating memory.
const aimylogicBodyLimit = 1 << 20

// The documented error texts.
const (
	alBadPayload = "Invalid request payload"
	alBadRange   = "Invalid date range or pagination parameters"
	alBadState   = "Invalid state format"
	alTimeout    = "Request timeout"
	alInternal   = "Internal server error"
	// alNoMessage is the fake's own text: the status calls' errors are
	// not documented.
	alNoMessage = "Message not found"
)

// routes registers every call under {Root}/{token}. The state path is an
// assumption (the documentation lost it); the others are documented.
func (a *Aimylogic) routes() {
	base := a.Root + "/{token}"
	client := base + "/client/{clientId}"
	routes := []struct {
		pattern string
		h       http.HandlerFunc
	}{
		{"POST " + base, a.send},
		{"GET " + base, a.simpleSend},
		{"POST " + base + "/async", a.sendAsync},
		{"GET " + base + "/events", a.events},
		{"GET " + client + "/history", a.history},
		{"POST " + client + "/state", a.saveState},
		{"GET " + client + "/state", a.loadState},
		{"GET " + client + "/message/{questionId}/status", a.getStatus},
		{"POST " + client + "/message/{questionId}/status", a.setStatus},
		{"POST " + client + "/message-statuses", a.setStatuses},
		{"GET " + client + "/message-not-read-count", a.unreadCount},
	}
	for _, rt := range routes {
		a.register(rt.pattern, a.channel(rt.h))
	}
}

// channel checks the token before h runs: an unknown one gets the
// documented 404, whose text repeats the token it was given.
func (a *Aimylogic) channel(h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		token := r.PathValue("token")
		if subtle.ConstantTimeCompare([]byte(token), []byte(a.Token)) != 1 {
			alText(w, http.StatusNotFound, "ChannelChat config not found for token "+token+" and channel CHATAPI")
			return
		}
		h(w, r)
	}
}

// alText answers with a plain-text body: the fake's shape for the
// documented errors, whose texts are known and whose wrapping is not.
func alText(w http.ResponseWriter, status int, text string) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.WriteHeader(status)
	_, _ = io.WriteString(w, text)
}

// noRoute answers a path the API does not have (404) or a known path under
// another method (405), in plain text like the other errors.
func (a *Aimylogic) noRoute(w http.ResponseWriter, _ *http.Request, status int) {
	alText(w, status, http.StatusText(status))
}

// logPath shows the token segment as "{token}" in the request log, whether
// or not it is the channel's (a wrong token a client sent is as secret as
// the right one), and the channel's token as "{token}" wherever else it
// stands.
func (a *Aimylogic) logPath(path string) string {
	if rest, ok := strings.CutPrefix(path, a.Root+"/"); ok {
		tail, ok := strings.CutPrefix(rest, a.Token)
		if !ok || (tail != "" && tail[0] != '/') {
			if _, tail, ok = strings.Cut(rest, "/"); ok {
				tail = "/" + tail
			}
		}
		return a.Root + "/{token}" + strings.ReplaceAll(tail, a.Token, "{token}")
	}
	return strings.ReplaceAll(path, a.Token, "{token}")
}

// alSendBody is the body of the sync and asynchronous sends.
type alSendBody struct {
	// ClientID may be a string or a number (one third-party client sends
	// a number); either is kept as its text.
	ClientID json.RawMessage `json:"clientId"`
	Query    string          `json:"query"`
	Event    string          `json:"event"`
	CID      string          `json:"cid"`
	Data     map[string]any  `json:"data"`
}

// readSend reads a send body, answering 400 "Invalid request payload"
// itself when the body is not a JSON object with a client ID and exactly
// one of query and event.
func (a *Aimylogic) readSend(w http.ResponseWriter, r *http.Request) (AimylogicQuery, bool) {
	var b alSendBody
	if !alDecode(w, r, &b) {
		return AimylogicQuery{}, false
	}
	req := AimylogicQuery{ClientID: alClientID(b.ClientID), Query: b.Query, Event: b.Event, CID: b.CID, Data: b.Data}
	if !validSend(req) {
		alText(w, http.StatusBadRequest, alBadPayload)
		return AimylogicQuery{}, false
	}
	return req, true
}

// alClientID reads a client ID sent as a JSON string or number; anything
// else is no ID.
func alClientID(raw json.RawMessage) string {
	var s string
	if json.Unmarshal(raw, &s) == nil {
		return s
	}
	var n json.Number
	if raw = bytes.TrimSpace(raw); len(raw) > 0 && raw[0] != '"' && json.Unmarshal(raw, &n) == nil {
		return n.String()
	}
	return ""
}

// validSend reports whether a request has a client ID and exactly one of
// a query and an event. The documentation requires one of the two; what
// the service does with both is not known, and the fake refuses it.
func validSend(req AimylogicQuery) bool {
	return req.ClientID != "" && (req.Query == "") != (req.Event == "")
}

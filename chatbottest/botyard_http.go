package chatbottest

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"io"
	"mime"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// botyardPrefix is where the Client API lives.
const botyardPrefix = "/v1/client-api"

// botyardBodyLimit is the real server's request body cap: the largest of
// its default file limits (25 MiB).
const botyardBodyLimit = 25 << 20

// byRoute is one Client API route; ":id" matches one path segment.
type byRoute struct {
	method, pattern string
	auth            bool
	h               func(w http.ResponseWriter, r *http.Request, c *byCall)
}

// byCall is what a handler gets besides the request.
type byCall struct {
	id     string // the ":id" path segment
	userID string // the session's user (authenticated routes)
}

func (b *Botyard) routes() []byRoute {
	return []byRoute{
		{http.MethodGet, "/service-info", false, b.serviceInfo},
		{http.MethodGet, "/bots", false, b.listBots},
		{http.MethodGet, "/bot/:id", false, b.getBot},
		{http.MethodGet, "/bot/:id/commands", true, b.botCommands},
		{http.MethodPost, "/user", false, b.createUser},
		{http.MethodGet, "/user", true, b.currentUser},
		{http.MethodPost, "/chat", true, b.createChat},
		{http.MethodGet, "/chats", true, b.listChats},
		{http.MethodDelete, "/chat/:id", true, b.deleteChat},
		{http.MethodPost, "/chat/message", true, b.sendMessage},
		{http.MethodGet, "/chat/:id/messages", true, b.listMessages},
		{http.MethodPost, "/files", true, b.uploadFiles},
	}
}

// handler is the whole server: request log, faults, body limit, router.
func (b *Botyard) handler() http.Handler {
	routes := b.routes()
	router := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		r.Body = http.MaxBytesReader(w, r.Body, botyardBodyLimit)
		path := strings.TrimSuffix(r.URL.Path, "/") // the real router ignores a trailing slash
		pathMatched := false
		for _, rt := range routes {
			id, ok := byMatch(botyardPrefix+rt.pattern, path)
			if !ok {
				continue
			}
			pathMatched = true
			if rt.method != r.Method {
				continue
			}
			call := &byCall{id: id}
			if rt.auth && !b.authenticate(w, r, call) {
				return
			}
			rt.h(w, r, call)
			return
		}
		if pathMatched {
			byError(w, http.StatusInternalServerError, "Method Not Allowed")
			return
		}
		byError(w, http.StatusInternalServerError, "Cannot "+r.Method+" "+r.URL.Path)
	})
	return b.logRequests(b.Faults.Wrap(router))
}

// byMatch matches path against pattern, returning the ":id" segment.
func byMatch(pattern, path string) (string, bool) {
	ps, xs := strings.Split(pattern, "/"), strings.Split(path, "/")
	if len(ps) != len(xs) {
		return "", false
	}
	id := ""
	for i, p := range ps {
		switch {
		case p == ":id" && xs[i] != "":
			id = xs[i]
		case p != xs[i]:
			return "", false
		}
	}
	return id, true
}

// byClaims is the content of a fake session token.
type byClaims struct {
	UserID string `json:"id"`
	Exp    int64  `json:"exp"` // unix milliseconds
	Nonce  uint64 `json:"n"`   // makes every re-issued token different
}

// issueToken sets a new session cookie for userID, as the real server does
// on login and on every authenticated response.
func (b *Botyard) issueToken(w http.ResponseWriter, userID string) {
	b.mu.Lock()
	b.state.seq++
	claims := byClaims{UserID: userID, Exp: time.Now().Add(b.cfg.tokenLifetime).UnixMilli(), Nonce: b.state.seq}
	b.mu.Unlock()
	payload, _ := json.Marshal(claims)
	enc := base64.RawURLEncoding.EncodeToString(payload)
	token := enc + "." + base64.RawURLEncoding.EncodeToString(b.sign(enc))
	expires := time.UnixMilli(claims.Exp).UTC().Format(http.TimeFormat)
	w.Header().Add("Set-Cookie", "token="+token+"; expires="+expires+"; path=/; SameSite=Lax")
}

func (b *Botyard) sign(s string) []byte {
	m := hmac.New(sha256.New, b.secret)
	m.Write([]byte(s))
	return m.Sum(nil)
}

// authenticate checks the "token" cookie (401 when missing, forged or
// expired) and re-issues it: the new cookie goes out with whatever the
// handler answers, errors included.
func (b *Botyard) authenticate(w http.ResponseWriter, r *http.Request, call *byCall) bool {
	claims, ok := b.verify(r)
	if !ok {
		byError(w, http.StatusUnauthorized, "User is unauthorized.")
		return false
	}
	call.userID = claims.UserID
	b.issueToken(w, claims.UserID)
	return true
}

func (b *Botyard) verify(r *http.Request) (byClaims, bool) {
	var claims byClaims
	c, err := r.Cookie("token")
	if err != nil {
		return claims, false
	}
	enc, sig, ok := strings.Cut(c.Value, ".")
	if !ok {
		return claims, false
	}
	got, err := base64.RawURLEncoding.DecodeString(sig)
	if err != nil || !hmac.Equal(got, b.sign(enc)) {
		return claims, false
	}
	payload, err := base64.RawURLEncoding.DecodeString(enc)
	if err != nil || json.Unmarshal(payload, &claims) != nil {
		return claims, false
	}
	return claims, time.Now().UnixMilli() < claims.Exp
}

// byError writes the server's error shape.
func byError(w http.ResponseWriter, status int, message string) {
	byJSON(w, status, map[string]string{"message": message})
}

func byJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

// byTooLarge answers a body over the limit the way the real server does:
// a 500 and a closed connection.
func byTooLarge(w http.ResponseWriter) {
	w.Header().Set("Connection", "close")
	byError(w, http.StatusInternalServerError, "Request Entity Too Large")
}

// byDecode reads a JSON (or form-encoded) body into v, answering the
// error itself when it cannot: 400 "Unprocessable Entity" for a missing or
// unknown Content-Type, 400 with the decoder's text for bad JSON.
func byDecode(w http.ResponseWriter, r *http.Request, v any, form func(url.Values)) bool {
	mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	body, err := io.ReadAll(r.Body)
	var tooLarge *http.MaxBytesError
	if errors.As(err, &tooLarge) {
		byTooLarge(w)
		return false
	}
	switch mt {
	case "application/json":
		if err := json.Unmarshal(body, v); err != nil {
			byError(w, http.StatusBadRequest, err.Error())
			return false
		}
	case "application/x-www-form-urlencoded":
		vals, err := url.ParseQuery(string(body))
		if err != nil {
			byError(w, http.StatusBadRequest, err.Error())
			return false
		}
		form(vals)
	default:
		byError(w, http.StatusBadRequest, "Unprocessable Entity")
		return false
	}
	return true
}

// BotyardRequest is one request the fake received.
type BotyardRequest struct {
	Method string
	// Path is the full URL path; Query the raw query string.
	Path, Query string
	// Cookie is the raw Cookie header the client sent.
	Cookie string
	// Status is the status the server answered with, faults included.
	Status int
}

// Requests returns the requests received so far, oldest first.
func (b *Botyard) Requests() []BotyardRequest {
	b.mu.Lock()
	defer b.mu.Unlock()
	return append([]BotyardRequest(nil), b.state.requests...)
}

// logRequests records each request with the status it got.
func (b *Botyard) logRequests(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rec := &byStatus{ResponseWriter: w}
		defer func() {
			b.mu.Lock()
			b.state.requests = append(b.state.requests, BotyardRequest{
				Method: r.Method, Path: r.URL.Path, Query: r.URL.RawQuery,
				Cookie: r.Header.Get("Cookie"), Status: rec.status,
			})
			b.mu.Unlock()
		}()
		next.ServeHTTP(rec, r)
	})
}

// byInt reads an integer query value the way the real server does: a value
// that is not a number gives the default.
func byInt(q url.Values, key string, def int64) int64 {
	n, err := strconv.ParseInt(q.Get(key), 10, 64)
	if err != nil {
		return def
	}
	return n
}

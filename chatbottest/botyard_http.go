package chatbottest

import (
	"encoding/json"
	"io"
	"mime"
	"net/http"
	"net/url"
	"strconv"
)

// botyardPrefix is where the Client API lives.
const botyardPrefix = "/v1/client-api"

// botyardBodyLimit is the real server's request body cap: the largest of
// its default file limits (25 MiB).
const botyardBodyLimit = 25 << 20

// byCall is what a handler gets besides the request.
type byCall struct {
	id     string // the {id} path segment
	userID string // the session's user (authenticated routes)
}

// byHandler is the shape of a Client API handler.
type byHandler func(w http.ResponseWriter, r *http.Request, c *byCall)

// routes registers the Client API and the static files. The core routes
// "/bots/" like "/bots", as the real server ignores a trailing slash.
func (b *Botyard) routes() {
	routes := []struct {
		method, path string
		auth         bool
		h            byHandler
	}{
		{http.MethodGet, "/service-info", false, b.serviceInfo},
		{http.MethodGet, "/bots", false, b.listBots},
		{http.MethodGet, "/bot/{id}", false, b.getBot},
		{http.MethodGet, "/bot/{id}/commands", true, b.botCommands},
		{http.MethodPost, "/user", false, b.createUser},
		{http.MethodGet, "/user", true, b.currentUser},
		{http.MethodPost, "/chat", true, b.createChat},
		{http.MethodGet, "/chats", true, b.listChats},
		{http.MethodDelete, "/chat/{id}", true, b.deleteChat},
		{http.MethodPost, "/chat/message", true, b.sendMessage},
		{http.MethodGet, "/chat/{id}/messages", true, b.listMessages},
		{http.MethodPost, "/files", true, b.uploadFiles},
	}
	for _, rt := range routes {
		b.register(rt.method+" "+botyardPrefix+rt.path, b.call(rt.auth, rt.h))
	}
	b.register("GET /static/{file...}", b.staticFile)
}

// call adapts h to net/http, checking the session first when auth is set.
func (b *Botyard) call(auth bool, h byHandler) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		c := &byCall{id: r.PathValue("id")}
		if auth && !b.authenticate(w, r, c) {
			return
		}
		h(w, r, c)
	}
}

// noRoute answers as the real server's framework does: a 500 for an
// unknown route and for a known path under another method.
func (b *Botyard) noRoute(w http.ResponseWriter, r *http.Request, status int) {
	if status == http.StatusMethodNotAllowed {
		b.writeError(w, http.StatusInternalServerError, "Method Not Allowed")
		return
	}
	b.writeError(w, http.StatusInternalServerError, "Cannot "+r.Method+" "+r.URL.Path)
}

// byMessageBody is the server's error shape, and that of its answers
// that carry only a text.
type byMessageBody struct {
	Message string `json:"message"`
}

// decode reads a JSON (or form-encoded) body into v, answering the
// error itself when it cannot: 400 "Unprocessable Entity" for a missing or
// unknown Content-Type, 400 with the decoder's text for bad JSON.
func (b *Botyard) decode(w http.ResponseWriter, r *http.Request, v any, form func(url.Values)) bool {
	mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	body, err := io.ReadAll(r.Body) // the core has read it already, within the limit
	if err != nil {
		b.writeError(w, http.StatusBadRequest, err.Error())
		return false
	}
	switch mt {
	case "application/json":
		if err := json.Unmarshal(body, v); err != nil {
			b.writeError(w, http.StatusBadRequest, err.Error())
			return false
		}
	case "application/x-www-form-urlencoded":
		vals, err := url.ParseQuery(string(body))
		if err != nil {
			b.writeError(w, http.StatusBadRequest, err.Error())
			return false
		}
		form(vals)
	default:
		b.writeError(w, http.StatusBadRequest, "Unprocessable Entity")
		return false
	}
	return true
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

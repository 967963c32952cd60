package chatbottest

import (
	"bytes"
	"crypto/subtle"
	"encoding/json"
	"errors"
	"io"
	"mime"
	"net/http"
	"time"
)

// chatThingPrefix is the documented path prefix; {channelId} is matched by
// the routes and checked against ChatThing.ChannelID.
const chatThingPrefix = "/api/public/channels/{channelId}/1.0"

// maxChatThingBody bounds a request body. The reference documents no limit;
// this one only keeps a runaway test from eating memory.
const maxChatThingBody = 16 << 20

// routes registers the documented endpoints, each behind the channel
// and key checks.
func (c *ChatThing) routes() {
	routes := []struct {
		method, path string
		h            func(w http.ResponseWriter, r *http.Request)
	}{
		{http.MethodPost, "/conversation", c.startConversation},
		{http.MethodPost, "/message", c.sendMessage},
		{http.MethodPost, "/conversations", c.listConversations},
		{http.MethodPost, "/messages", c.listMessages},
		{http.MethodPost, "/data-sources", c.createDataSource},
		{http.MethodPost, "/data-sources/list", c.listDataSources},
		{http.MethodGet, "/data-sources", c.getDataSource},
		{http.MethodPut, "/data-sources", c.updateDataSource},
		{http.MethodDelete, "/data-sources", c.deleteDataSource},
		{http.MethodPost, "/data-sources/sync", c.syncDataSource},
		{http.MethodPost, "/data-sources/row", c.createRows},
		{http.MethodPost, "/data-sources/row/list", c.listRows},
		{http.MethodGet, "/data-sources/row", c.getRow},
		{http.MethodPut, "/data-sources/row", c.updateRows},
		{http.MethodDelete, "/data-sources/rows", c.deleteRows},
	}
	for _, rt := range routes {
		c.register(rt.method+" "+chatThingPrefix+rt.path, c.authorized(rt.h))
	}
}

// authorized checks the channel (404 when unknown, as the reference says
// for a wrong channel ID) and then the secret key (403).
func (c *ChatThing) authorized(h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if r.PathValue("channelId") != c.ChannelID {
			c.writeError(w, http.StatusNotFound, "channel not found or API channel not enabled")
			return
		}
		key := r.Header.Get("X-API-Secret-Key")
		if subtle.ConstantTimeCompare([]byte(key), []byte(c.SecretKey)) != 1 {
			c.writeError(w, http.StatusForbidden, "secret key does not match the channel")
			return
		}
		h(w, r)
	}
}

// errBadJSON is what decodeChatThingBody returns for a body it cannot read.
var errBadJSON = errors.New("request body is not valid JSON")

// decodeChatThingBody reads a JSON request body into v. An empty body
// leaves v as it is (every documented body field that may be absent has a
// default). A non-empty body must be labelled application/json.
func decodeChatThingBody(r *http.Request, v any) error {
	body, err := io.ReadAll(io.LimitReader(r.Body, maxChatThingBody+1))
	if err != nil {
		return err
	}
	if len(body) > maxChatThingBody {
		return errors.New("request body too large")
	}
	if len(bytes.TrimSpace(body)) == 0 {
		return nil
	}
	if mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type")); mt != "application/json" {
		return errors.New("a JSON body needs Content-Type: application/json")
	}
	if err := json.Unmarshal(body, v); err != nil {
		return errBadJSON
	}
	return nil
}

// chatThingErrorBody is the error shape the fake uses. The reference does
// not document error bodies; {"success": false, "message": ...} is an
// assumption.
func chatThingErrorBody(message string) any {
	return struct {
		Success bool   `json:"success"`
		Message string `json:"message"`
	}{false, message}
}

// ctError is a failure a handler answers with: its status and message.
type ctError struct {
	status  int
	message string
}

func (e *ctError) Error() string { return e.message }

func badRequest(message string) *ctError { return &ctError{http.StatusBadRequest, message} }
func notFound(message string) *ctError   { return &ctError{http.StatusNotFound, message} }

// ctSuccess is the documented success-only body.
type ctSuccess struct {
	Success bool `json:"success"`
}

// handle is the shape of most endpoints: decode the JSON body into in
// (when in is not nil), then run fn with c.mu held, then answer. fn
// returns the response (nil for the success-only body) or an error: a
// *ctError answers with its status, any other error with 400.
func (c *ChatThing) handle(w http.ResponseWriter, r *http.Request, in any, fn func(now time.Time) (any, error)) {
	if in != nil {
		if err := decodeChatThingBody(r, in); err != nil {
			c.writeError(w, http.StatusBadRequest, err.Error())
			return
		}
	}
	c.mu.Lock()
	out, err := fn(time.Now())
	c.mu.Unlock()
	var cerr *ctError
	switch {
	case errors.As(err, &cerr):
		c.writeError(w, cerr.status, cerr.message)
	case err != nil:
		c.writeError(w, http.StatusBadRequest, err.Error())
	case out == nil:
		writeJSON(w, http.StatusOK, ctSuccess{true})
	default:
		writeJSON(w, http.StatusOK, out)
	}
}

// ChatThingRequest is a request a ChatThing received, as its request log
// (Requests, CountRequests) keeps it. Path is relative to the channel
// prefix (for example "/message" or "/data-sources/row"), or the whole
// path for a request outside it.
type ChatThingRequest = Request

package chatbottest

import (
	"bytes"
	"crypto/subtle"
	"encoding/json"
	"errors"
	"io"
	"mime"
	"net/http"
	"strings"
	"time"
)

// chatThingPrefix is the documented path prefix; {channelId} is matched by
// the routes and checked against ChatThing.ChannelID.
const chatThingPrefix = "/api/public/channels/{channelId}/1.0"

// maxChatThingBody bounds a request body. The reference documents no limit;
// this one only keeps a runaway test from eating memory.
const maxChatThingBody = 16 << 20

// handler is the whole server: the request log outermost (so that injected
// faults are logged too), then the faults, then the documented routes.
func (c *ChatThing) handler() http.Handler {
	mux := http.NewServeMux()
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
		mux.Handle(rt.method+" "+chatThingPrefix+rt.path, c.authorized(rt.h))
	}
	return c.logRequests(c.Faults.Wrap(mux))
}

// authorized checks the channel (404 when unknown, as the reference says
// for a wrong channel ID) and then the secret key (403).
func (c *ChatThing) authorized(h func(w http.ResponseWriter, r *http.Request)) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.PathValue("channelId") != c.ChannelID {
			writeChatThingError(w, http.StatusNotFound, "channel not found or API channel not enabled")
			return
		}
		key := r.Header.Get("X-API-Secret-Key")
		if subtle.ConstantTimeCompare([]byte(key), []byte(c.SecretKey)) != 1 {
			writeChatThingError(w, http.StatusForbidden, "secret key does not match the channel")
			return
		}
		h(w, r)
	})
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

// writeChatThingJSON sends v with status. Every documented response
// carries "success"; callers put it in v.
func writeChatThingJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

// writeChatThingError sends the error shape the fake uses. The reference
// does not document error bodies; {"success": false, "message": ...} is an
// assumption shared with Faults.
func writeChatThingError(w http.ResponseWriter, status int, message string) {
	writeChatThingJSON(w, status, struct {
		Success bool   `json:"success"`
		Message string `json:"message"`
	}{false, message})
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
			writeChatThingError(w, http.StatusBadRequest, err.Error())
			return
		}
	}
	c.mu.Lock()
	out, err := fn(time.Now())
	c.mu.Unlock()
	var cerr *ctError
	switch {
	case errors.As(err, &cerr):
		writeChatThingError(w, cerr.status, cerr.message)
	case err != nil:
		writeChatThingError(w, http.StatusBadRequest, err.Error())
	case out == nil:
		writeChatThingJSON(w, http.StatusOK, ctSuccess{true})
	default:
		writeChatThingJSON(w, http.StatusOK, out)
	}
}

// ChatThingRequest is one request the server received, as the request log
// records it.
type ChatThingRequest struct {
	// Method is the HTTP method.
	Method string
	// Path is relative to the channel prefix (for example "/message" or
	// "/data-sources/row"), or the full path for requests outside it.
	Path string
	// Query is the raw query string.
	Query string
	// Status is the status the server answered with, injected faults
	// included; 0 when the client left before any answer (for example
	// during injected latency).
	Status int
}

// Requests returns the requests received so far, oldest first. A request
// is logged when its response is complete.
func (c *ChatThing) Requests() []ChatThingRequest {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]ChatThingRequest(nil), c.state.requests...)
}

// CountRequests counts the logged requests with this method and path
// (relative to the channel prefix, as in ChatThingRequest.Path).
func (c *ChatThing) CountRequests(method, path string) int {
	n := 0
	for _, r := range c.Requests() {
		if r.Method == method && r.Path == path {
			n++
		}
	}
	return n
}

// logRequests records each request with the status it got.
func (c *ChatThing) logRequests(next http.Handler) http.Handler {
	prefix := "/api/public/channels/" + c.ChannelID + "/1.0"
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rec := &byStatus{ResponseWriter: w}
		next.ServeHTTP(rec, r)
		path := r.URL.Path
		if rest, ok := strings.CutPrefix(path, prefix); ok && rest != "" {
			path = rest
		}
		c.mu.Lock()
		c.state.requests = append(c.state.requests, ChatThingRequest{Method: r.Method, Path: path, Query: r.URL.RawQuery, Status: rec.status})
		c.mu.Unlock()
	})
}

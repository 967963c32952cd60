package chatbottest_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/chatbot-sdk/chatbot-go/chatbottest"
)

// ctRaw talks to a ChatThing over plain net/http, so that these tests
// check the wire format without depending on the SDK client.
type ctRaw struct {
	t      *testing.T
	ct     *chatbottest.ChatThing
	client *http.Client
}

func newCTRaw(t *testing.T, opts ...chatbottest.ChatThingOption) *ctRaw {
	t.Helper()
	ct := chatbottest.StartChatThing(t, opts...)
	client := &http.Client{Transport: &http.Transport{}}
	t.Cleanup(client.CloseIdleConnections)
	return &ctRaw{t: t, ct: ct, client: client}
}

// url is the full URL of path under the channel prefix.
func (c *ctRaw) url(path string) string {
	return c.ct.URL + "/api/public/channels/" + c.ct.ChannelID + "/1.0" + path
}

// request sends body (JSON-encoded unless it is a string or nil) with the
// right secret key unless hdr overrides it.
func (c *ctRaw) request(method, url string, body any, hdr http.Header) *http.Response {
	c.t.Helper()
	var rd io.Reader
	switch b := body.(type) {
	case nil:
	case string:
		rd = strings.NewReader(b)
	default:
		raw, err := json.Marshal(b)
		require.NoError(c.t, err)
		rd = bytes.NewReader(raw)
	}
	req, err := http.NewRequest(method, url, rd)
	require.NoError(c.t, err)
	req.Header.Set("X-API-Secret-Key", c.ct.SecretKey)
	if rd != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	for k, v := range hdr {
		req.Header[k] = v
	}
	resp, err := c.client.Do(req)
	require.NoError(c.t, err)
	return resp
}

// call sends a request under the channel prefix and returns the status and
// the decoded JSON body.
func (c *ctRaw) call(method, path string, body any) (int, map[string]any) {
	c.t.Helper()
	resp := c.request(method, c.url(path), body, nil)
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	require.NoError(c.t, err)
	var out map[string]any
	require.NoError(c.t, json.Unmarshal(raw, &out), "body: %s", raw)
	_, hasSuccess := out["success"]
	assert.True(c.t, hasSuccess, `every response carries "success": %s`, raw)
	assert.Equal(c.t, "application/json", resp.Header.Get("Content-Type"))
	return resp.StatusCode, out
}

// ok calls and requires a 200 with "success": true.
func (c *ctRaw) ok(method, path string, body any) map[string]any {
	c.t.Helper()
	status, out := c.call(method, path, body)
	require.Equal(c.t, http.StatusOK, status, "%s %s: %v", method, path, out)
	require.Equal(c.t, true, out["success"])
	return out
}

// fails calls and requires status with "success": false.
func (c *ctRaw) fails(status int, method, path string, body any) map[string]any {
	c.t.Helper()
	got, out := c.call(method, path, body)
	require.Equal(c.t, status, got, "%s %s: %v", method, path, out)
	require.Equal(c.t, false, out["success"])
	return out
}

// chatThingRoutes is every documented method+path pair.
var chatThingRoutes = []struct{ method, path string }{
	{"POST", "/conversation"},
	{"POST", "/message"},
	{"POST", "/conversations"},
	{"POST", "/messages"},
	{"POST", "/data-sources"},
	{"POST", "/data-sources/list"},
	{"GET", "/data-sources"},
	{"PUT", "/data-sources"},
	{"DELETE", "/data-sources"},
	{"POST", "/data-sources/sync"},
	{"POST", "/data-sources/row"},
	{"POST", "/data-sources/row/list"},
	{"GET", "/data-sources/row"},
	{"PUT", "/data-sources/row"},
	{"DELETE", "/data-sources/rows"},
}

func TestChatThingChecksKeyAndChannelOnEveryRoute(t *testing.T) {
	c := newCTRaw(t)
	require.Len(t, chatThingRoutes, 15)
	for _, rt := range chatThingRoutes {
		t.Run(rt.method+rt.path, func(t *testing.T) {
			resp := c.request(rt.method, c.url(rt.path), nil, http.Header{"X-Api-Secret-Key": {"wrong"}})
			resp.Body.Close()
			assert.Equal(t, http.StatusForbidden, resp.StatusCode, "wrong key")

			resp = c.request(rt.method, c.url(rt.path), nil, http.Header{"X-Api-Secret-Key": nil})
			resp.Body.Close()
			assert.Equal(t, http.StatusForbidden, resp.StatusCode, "missing key")

			other := strings.Replace(c.url(rt.path), c.ct.ChannelID, "other-channel", 1)
			resp = c.request(rt.method, other, nil, nil)
			resp.Body.Close()
			assert.Equal(t, http.StatusNotFound, resp.StatusCode, "unknown channel")

			// With the right key the route exists: whatever it answers, it
			// is the fake's JSON, not the router's plain-text 404/405.
			resp = c.request(rt.method, c.url(rt.path), nil, nil)
			resp.Body.Close()
			assert.Equal(t, "application/json", resp.Header.Get("Content-Type"))
		})
	}
	// Nothing reached the state: no conversation was started by the
	// rejected requests, only by the accepted POST /conversation.
	assert.Len(t, c.ct.ConversationIDs(), 1)
}

func TestChatThingErrorBodyShape(t *testing.T) {
	c := newCTRaw(t)
	resp := c.request("POST", c.url("/conversation"), nil, http.Header{"X-Api-Secret-Key": {"wrong"}})
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	assert.JSONEq(t, `{"success":false,"message":"secret key does not match the channel"}`, string(raw))
	assert.NotContains(t, string(raw), c.ct.SecretKey)
}

func TestChatThingUndocumentedRoutesAreRouterMisses(t *testing.T) {
	c := newCTRaw(t)
	// The reference deletes rows on the plural path; the singular one has
	// only POST, GET and PUT.
	resp := c.request("DELETE", c.url("/data-sources/row"), `{"dataSourceId":"x"}`, nil)
	resp.Body.Close()
	assert.Equal(t, http.StatusMethodNotAllowed, resp.StatusCode)

	resp = c.request("POST", c.url("/nope"), nil, nil)
	resp.Body.Close()
	assert.Equal(t, http.StatusNotFound, resp.StatusCode)
	assert.NotContains(t, resp.Header.Get("Content-Type"), "json")
}

func TestChatThingRejectsMalformedBodies(t *testing.T) {
	c := newCTRaw(t)
	out := c.fails(http.StatusBadRequest, "POST", "/message", `{"message":`)
	assert.Equal(t, "request body is not valid JSON", out["message"])

	resp := c.request("POST", c.url("/message"), `{"message":"hi"}`, http.Header{"Content-Type": {"text/plain"}})
	resp.Body.Close()
	assert.Equal(t, http.StatusBadRequest, resp.StatusCode, "a JSON body must say so")

	c.fails(http.StatusBadRequest, "POST", "/conversations", `{"limit":"10"}`)
	huge := `{"message":"` + strings.Repeat("x", 16<<20) + `"}`
	assert.Equal(t, "request body too large", c.fails(http.StatusBadRequest, "POST", "/message", huge)["message"])
	assert.Empty(t, c.ct.ConversationIDs())
}

func TestChatThingRequestLog(t *testing.T) {
	c := newCTRaw(t)
	c.ct.Faults.FailNext(1, http.StatusServiceUnavailable, chatbottest.OnPath("/conversation"), chatbottest.WithRetryAfter("1"))
	resp := c.request("POST", c.url("/conversation"), nil, nil)
	resp.Body.Close()
	assert.Equal(t, http.StatusServiceUnavailable, resp.StatusCode)
	assert.Equal(t, "1", resp.Header.Get("Retry-After"))
	c.ok("POST", "/conversation", nil)
	c.fails(http.StatusNotFound, "GET", "/data-sources/row?dataSourceId=none&x=1", nil)

	c.ok("POST", "/message", map[string]any{"message": "hi"})

	// The GET above is a 404 (no such source); the log keeps statuses.
	type line struct {
		Method, Path, Query string
		Status              int
	}
	var lines []line
	for _, r := range c.ct.Requests() {
		lines = append(lines, line{r.Method, r.Path, r.Query, r.Status})
	}
	assert.Equal(t, []line{
		{"POST", "/conversation", "", 503},
		{"POST", "/conversation", "", 200},
		{"GET", "/data-sources/row", "dataSourceId=none&x=1", 404},
		{"POST", "/message", "", 200},
	}, lines)
	assert.Equal(t, 2, c.ct.CountRequests("POST", "/conversation"))
	assert.Equal(t, 1, c.ct.CountRequests("POST", "/message"))

	// Headers are kept but the key's value is not; the body is.
	send := c.ct.Requests()[3]
	assert.Equal(t, "[redacted]", send.Header.Get("X-Api-Secret-Key"), "the key was sent")
	assert.Equal(t, "application/json", send.Header.Get("Content-Type"))
	assert.JSONEq(t, `{"message":"hi"}`, send.Body)
	for _, r := range c.ct.Requests() {
		assert.NotContains(t, fmt.Sprint(r), c.ct.SecretKey)
	}
}

func TestChatThingIsSafeForConcurrentUse(t *testing.T) {
	c := newCTRaw(t)
	conv := c.ok("POST", "/conversation", nil)["conversationId"]
	var wg sync.WaitGroup
	for i := range 20 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			resp := c.request("POST", c.url("/message"), map[string]any{"conversationId": conv, "message": strings.Repeat("x", i+1)}, nil)
			resp.Body.Close()
			assert.Equal(t, http.StatusOK, resp.StatusCode)
		}()
	}
	wg.Wait()
	msgs := c.ct.Messages(conv.(string))
	require.Len(t, msgs, 41)
	// Each question is directly followed by its own answer.
	for i := 1; i < len(msgs); i += 2 {
		assert.Equal(t, "user", msgs[i].Role)
		assert.Equal(t, "You said: \""+msgs[i].Text+"\"", msgs[i+1].Text)
	}
}

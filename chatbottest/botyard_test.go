package chatbottest_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/textproto"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/chatbot-sdk/chatbot-go/chatbottest"
)

// byRaw talks to the fake with plain net/http, to check what the SDK
// never sends.
type byRaw struct {
	t     *testing.T
	fake  *chatbottest.Botyard
	token string
}

func newBotyardRaw(t *testing.T, opts ...chatbottest.BotyardOption) *byRaw {
	return &byRaw{t: t, fake: chatbottest.StartBotyard(t, opts...)}
}

// do sends a request with the current token and keeps a re-issued one.
func (r *byRaw) do(method, path, contentType string, body io.Reader) (*http.Response, map[string]any, []byte) {
	r.t.Helper()
	req, err := http.NewRequest(method, r.fake.URL+path, body)
	require.NoError(r.t, err)
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	if r.token != "" {
		req.AddCookie(&http.Cookie{Name: "token", Value: r.token})
	}
	resp, err := http.DefaultClient.Do(req)
	require.NoError(r.t, err)
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	require.NoError(r.t, err)
	for _, c := range resp.Cookies() {
		if c.Name == "token" {
			r.token = c.Value
		}
	}
	var obj map[string]any
	_ = json.Unmarshal(raw, &obj)
	return resp, obj, raw
}

func (r *byRaw) json(method, path, body string) (*http.Response, map[string]any, []byte) {
	return r.do(method, path, "application/json", strings.NewReader(body))
}

func (r *byRaw) login() string {
	resp, obj, _ := r.json("POST", "/v1/client-api/user", `{"nickname":"alice"}`)
	require.Equal(r.t, 201, resp.StatusCode)
	return obj["id"].(string)
}

func TestBotyardFakeSessionCookie(t *testing.T) {
	r := newBotyardRaw(t)
	resp, _, _ := r.json("POST", "/v1/client-api/user", `{"nickname":"alice"}`)
	require.Equal(t, http.StatusCreated, resp.StatusCode)
	set := resp.Header.Get("Set-Cookie")
	assert.Regexp(t, `^token=[^;]+; expires=[A-Z][a-z]{2}, \d\d [A-Z][a-z]{2} \d{4} \d\d:\d\d:\d\d GMT; path=/; SameSite=Lax$`, set)
	first := r.token

	// Public routes never refresh; protected ones always do, even on failure.
	resp, _, _ = r.do("GET", "/v1/client-api/bots", "", nil)
	assert.Empty(t, resp.Header.Get("Set-Cookie"))
	resp, obj, _ := r.do("GET", "/v1/client-api/chat/nope/messages", "", nil)
	assert.Equal(t, 404, resp.StatusCode)
	assert.Equal(t, "Chat not found.", obj["message"])
	assert.NotEqual(t, first, r.token)

	for _, tok := range []string{"", "garbage", first + "x"} {
		r.token = tok
		resp, obj, _ = r.do("GET", "/v1/client-api/user", "", nil)
		assert.Equal(t, 401, resp.StatusCode, tok)
		assert.Equal(t, "User is unauthorized.", obj["message"])
		assert.Empty(t, resp.Header.Get("Set-Cookie"))
	}
	// An old token still works until it expires, as a JWT would.
	r.token = first
	resp, _, _ = r.do("GET", "/v1/client-api/user", "", nil)
	assert.Equal(t, 200, resp.StatusCode)
}

func TestBotyardFakeRouterErrors(t *testing.T) {
	r := newBotyardRaw(t)
	cases := []struct{ method, path, message string }{
		{"GET", "/v1/client-api/nope", "Cannot GET /v1/client-api/nope"},
		{"GET", "/v1/client-api/bot/", "Cannot GET /v1/client-api/bot/"},
		{"PUT", "/v1/client-api/user", "Method Not Allowed"},
		{"DELETE", "/v1/client-api/chat/", "Method Not Allowed"},
		{"GET", "/static/images/nope.png", "Cannot GET /static/images/nope.png"},
	}
	for _, tc := range cases {
		resp, obj, _ := r.do(tc.method, tc.path, "", nil)
		assert.Equal(t, 500, resp.StatusCode, tc.path)
		assert.Equal(t, tc.message, obj["message"], tc.path)
		assert.Equal(t, "application/json", resp.Header.Get("Content-Type"))
	}
	resp, _, raw := r.do("GET", "/v1/client-api/bots/", "", nil)
	assert.Equal(t, 200, resp.StatusCode, "a trailing slash is accepted")
	assert.Contains(t, string(raw), "Test bot")
}

func TestBotyardFakeUsers(t *testing.T) {
	r := newBotyardRaw(t)
	cases := []struct {
		ct, body string
		status   int
		message  string
	}{
		{"application/json", `{"nickname":"ab"}`, 400, "Nickname must be at least 3 characters long."},
		{"application/json", `{}`, 400, "Nickname must be at least 3 characters long."},
		{"application/json", `{"nickname":"` + strings.Repeat("a", 33) + `"}`, 400, "Nickname should not be longer than 32 characters."},
		{"application/json", `{"nickname":"bob!"}`, 400, "Nickname should contain only upper/lower case English letters, spaces, dashes and numbers."},
		{"application/json", `{"nickname":`, 400, "unexpected end of JSON input"},
		{"", `{"nickname":"carol"}`, 400, "Unprocessable Entity"},
		{"application/x-www-form-urlencoded", `nickname=carol`, 201, ""},
		{"application/json; charset=utf-8", `{"nickname":"   "}`, 201, ""},
	}
	for _, tc := range cases {
		resp, obj, _ := r.do("POST", "/v1/client-api/user", tc.ct, strings.NewReader(tc.body))
		assert.Equal(t, tc.status, resp.StatusCode, tc.body)
		if tc.message != "" {
			assert.Equal(t, tc.message, obj["message"], tc.body)
		}
	}
	a := r.login()
	b := r.login()
	assert.NotEqual(t, a, b, "the same nickname makes a new user")
}

func TestBotyardFakeChats(t *testing.T) {
	r := newBotyardRaw(t)
	r.login()
	bot := r.fake.Bots()[0]
	for i := 0; i < 10; i++ {
		resp, _, _ := r.json("POST", "/v1/client-api/chat", `{"botId":"`+bot.ID+`"}`)
		require.Equal(t, 201, resp.StatusCode)
	}
	resp, obj, _ := r.json("POST", "/v1/client-api/chat", `{"botId":"`+bot.ID+`"}`)
	assert.Equal(t, 400, resp.StatusCode)
	assert.Equal(t, "Cannot create more than 10 chat rooms with the same bot.", obj["message"])
	resp, obj, _ = r.json("POST", "/v1/client-api/chat", `{}`)
	assert.Equal(t, 400, resp.StatusCode)
	assert.Equal(t, "bot id must not be empty", obj["message"])

	resp, _, raw := r.do("GET", "/v1/client-api/chats?bot_id="+bot.ID, "", nil)
	assert.Equal(t, 200, resp.StatusCode)
	var chats []map[string]string
	require.NoError(t, json.Unmarshal(raw, &chats))
	assert.Len(t, chats, 10)
	resp, obj, _ = r.do("GET", "/v1/client-api/chats?botId="+bot.ID, "", nil)
	assert.Equal(t, 400, resp.StatusCode)
	assert.Equal(t, "Bot ID is required.", obj["message"])

	// A deleted bot: chats can still be created, but not listed.
	r.fake.DeleteBot(bot.ID)
	resp, _, _ = r.json("POST", "/v1/client-api/chat", `{"botId":"no-such-bot"}`)
	assert.Equal(t, 201, resp.StatusCode)
	resp, obj, _ = r.do("GET", "/v1/client-api/chats?bot_id="+bot.ID, "", nil)
	assert.Equal(t, 404, resp.StatusCode)
	assert.Equal(t, "Bot not found.", obj["message"])
}

// TestBotyardFakePaging checks §5.11 over 48 messages.
func TestBotyardFakePaging(t *testing.T) {
	r := newBotyardRaw(t, chatbottest.WithBotyardReplyDelay(0))
	me := r.login()
	bot := r.fake.Bots()[0]
	_, chat, _ := r.json("POST", "/v1/client-api/chat", `{"botId":"`+bot.ID+`"}`)
	chatID := chat["id"].(string)
	for i := 1; i <= 24; i++ {
		resp, _, _ := r.json("POST", "/v1/client-api/chat/message", fmt.Sprintf(`{"chatId":%q,"body":"m%d"}`, chatID, i))
		require.Equal(t, 201, resp.StatusCode)
	}
	all := r.fake.Messages(chatID)
	require.Len(t, all, 48)

	page := func(query string) (total, pageNo, limit float64, bodies []string, items []any) {
		resp, obj, _ := r.do("GET", "/v1/client-api/chat/"+chatID+"/messages"+query, "", nil)
		require.Equal(t, 200, resp.StatusCode, query)
		assert.Equal(t, chatID, obj["chatId"])
		items = obj["messages"].([]any)
		for _, it := range items {
			m := it.(map[string]any)
			_, hasChat := m["chatId"]
			assert.False(t, hasChat, "items carry no chatId")
			bodies = append(bodies, m["body"].(string))
		}
		return obj["total"].(float64), obj["page"].(float64), obj["limit"].(float64), bodies, items
	}
	bodyOf := func(i int) string { return all[i].Body }

	total, pg, limit, bodies, _ := page("")
	assert.Equal(t, []float64{48, 1, 20}, []float64{total, pg, limit})
	assert.Equal(t, bodyOf(28), bodies[0], "page 1 = messages 29–48, oldest first")
	assert.Equal(t, bodyOf(47), bodies[19])
	_, _, _, bodies, _ = page("?page=3&limit=20")
	assert.Len(t, bodies, 8)
	assert.Equal(t, bodyOf(0), bodies[0])
	_, _, _, bodies, _ = page("?page=4&limit=20")
	assert.Empty(t, bodies)
	_, _, _, bodies, _ = page("?limit=0")
	assert.Empty(t, bodies)
	_, _, _, bodies, _ = page("?limit=-1&page=2")
	assert.Len(t, bodies, 48, "a negative limit means no limit")
	_, pg, _, bodies, _ = page("?page=0")
	assert.Equal(t, float64(0), pg, "page 0 is echoed")
	assert.Equal(t, bodyOf(28), bodies[0])
	_, pg, limit, _, _ = page("?page=abc&limit=xyz")
	assert.Equal(t, []float64{1, 20}, []float64{pg, limit})

	total, _, _, bodies, _ = page("?sender_id=" + me + "&limit=50")
	assert.Equal(t, float64(24), total)
	assert.Equal(t, "m1", bodies[0])
	since := all[9].Timestamp
	total, _, _, bodies, _ = page(fmt.Sprintf("?since=%d&sender_id=%s&limit=5&page=2", since, bot.ID))
	assert.Equal(t, float64(19), total, "since is exclusive: replies after the 10th message")
	assert.Equal(t, []string{bodyOf(29), bodyOf(31), bodyOf(33), bodyOf(35), bodyOf(37)}, bodies, "page 2 of the newest-first filter set, oldest first")
}

func TestBotyardFakeSendLimits(t *testing.T) {
	r := newBotyardRaw(t)
	r.login()
	_, chat, _ := r.json("POST", "/v1/client-api/chat", `{"botId":"`+r.fake.Bots()[0].ID+`"}`)
	chatID := chat["id"].(string)
	cases := []struct {
		body, message string
		status        int
	}{
		{`{"chatId":"` + chatID + `","body":"` + strings.Repeat("é", 2049) + `"}`, "maximum allowed body length is 4096 characters", 400},
		{`{"chatId":"` + chatID + `","attachmentIds":["1","2","3","4","5","6","7","8","9","10","11"]}`, "maximum number of files allowed is 10", 400},
		{`{"body":"x"}`, "Chat not found.", 404},
		{`{"chatId":"` + chatID + `"}`, "", 201},
	}
	for _, tc := range cases {
		resp, obj, _ := r.json("POST", "/v1/client-api/chat/message", tc.body)
		assert.Equal(t, tc.status, resp.StatusCode)
		if tc.message != "" {
			assert.Equal(t, tc.message, obj["message"])
		}
	}
	// A body over 25 MiB: the server answers before reading it and drops
	// the connection, so a client still sending may see its write fail
	// instead of the answer (TestBotyardFakeRefusesLargeBodiesAtOnce).
	req, err := http.NewRequest("POST", r.fake.URL+"/v1/client-api/chat/message", bytes.NewReader(make([]byte, 26<<20)))
	require.NoError(t, err)
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		assert.True(t, errors.Is(err, syscall.ECONNRESET) || errors.Is(err, syscall.EPIPE), "reset or broken pipe: %v", err)
		return
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	assert.Equal(t, 500, resp.StatusCode)
	assert.JSONEq(t, `{"message":"Request Entity Too Large"}`, string(raw))
}

// multipartBody builds an upload; a part with an empty type gets none.
func multipartBody(t *testing.T, parts ...[3]string) (string, *bytes.Buffer) {
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	for _, p := range parts {
		h := textproto.MIMEHeader{}
		h.Set("Content-Disposition", fmt.Sprintf(`form-data; name="file"; filename=%q`, p[0]))
		if p[1] != "" {
			h.Set("Content-Type", p[1])
		}
		w, err := mw.CreatePart(h)
		require.NoError(t, err)
		_, _ = w.Write([]byte(p[2]))
	}
	require.NoError(t, mw.Close())
	return mw.FormDataContentType(), &buf
}

func TestBotyardFakeUploads(t *testing.T) {
	r := newBotyardRaw(t)
	r.login()
	ct, body := multipartBody(t, [3]string{"a.png", "image/png", "png"}, [3]string{"b.jpg", "image/jpeg", "jpg"})
	resp, _, raw := r.do("POST", "/v1/client-api/files", ct, body)
	require.Equal(t, 200, resp.StatusCode)
	var files []map[string]any
	require.NoError(t, json.Unmarshal(raw, &files))
	require.Len(t, files, 2)
	assert.Equal(t, "a.png", files[0]["name"])
	assert.Equal(t, float64(3), files[0]["size"])
	assert.Equal(t, "image/png", files[0]["mimeType"])
	assert.Regexp(t, `^static/images/01[0-9a-z]{24}\.png$`, files[0]["path"])

	parts := make([][3]string, 11)
	for i := range parts {
		parts[i] = [3]string{fmt.Sprintf("%d.txt", i), "text/plain", "x"}
	}
	ct, body = multipartBody(t, parts...)
	resp, obj, _ := r.do("POST", "/v1/client-api/files", ct, body)
	assert.Equal(t, 400, resp.StatusCode)
	assert.Equal(t, "Too many files, max allowed amount is 10.", obj["message"])

	ct, body = multipartBody(t, [3]string{"a.png", "image/png", "ok"}, [3]string{"big.png", "image/png", strings.Repeat("x", 2<<20+73)})
	resp, obj, _ = r.do("POST", "/v1/client-api/files", ct, body)
	assert.Equal(t, 400, resp.StatusCode)
	assert.Equal(t, "Max allowed size for images are 2097152 bytes, but got 2097225.", obj["message"])

	ct, body = multipartBody(t, [3]string{"a.x", "application/x-no-such-type", "x"})
	resp, obj, _ = r.do("POST", "/v1/client-api/files", ct, body)
	assert.Equal(t, 500, resp.StatusCode)
	assert.Equal(t, "no file extension found for Content-Type: application/x-no-such-type", obj["message"])

	// Parts under another name, or without a file name, are not files.
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	require.NoError(t, mw.WriteField("file", "not a file: no filename"))
	fw, ferr := mw.CreateFormFile("other", "a.txt")
	require.NoError(t, ferr)
	_, _ = fw.Write([]byte("x"))
	require.NoError(t, mw.Close())
	resp, obj, _ = r.do("POST", "/v1/client-api/files", mw.FormDataContentType(), &buf)
	assert.Equal(t, 400, resp.StatusCode)
	assert.Equal(t, "No files found to upload.", obj["message"])

	resp, obj, _ = r.json("POST", "/v1/client-api/files", `{}`)
	assert.Equal(t, 400, resp.StatusCode)
	assert.Equal(t, "request has no multipart/form-data Content-Type", obj["message"])

	// A part without a Content-Type: the real server crashes, the fake
	// drops the connection without an answer.
	ct, body = multipartBody(t, [3]string{"a.bin", "", "x"})
	req, err := http.NewRequest("POST", r.fake.URL+"/v1/client-api/files", body)
	require.NoError(t, err)
	req.Header.Set("Content-Type", ct)
	req.AddCookie(&http.Cookie{Name: "token", Value: r.token})
	resp, err = http.DefaultClient.Do(req)
	if err == nil {
		resp.Body.Close()
	}
	assert.Error(t, err, "no response")
}

// TestBotyardFakeMessageClock stamps messages from a test clock: ties are
// kept (a user message and the bot's instant reply share a millisecond),
// and a message stamped earlier is listed among the older ones.
func TestBotyardFakeMessageClock(t *testing.T) {
	var ms atomic.Int64
	ms.Store(1_800_000_000_000)
	r := newBotyardRaw(t, chatbottest.WithBotyardReplyDelay(0),
		chatbottest.WithBotyardMessageClock(func() time.Time { return time.UnixMilli(ms.Load()) }))
	r.login()
	_, chat, _ := r.json("POST", "/v1/client-api/chat", `{"botId":"`+r.fake.Bots()[0].ID+`"}`)
	chatID := chat["id"].(string)
	send := func(body string) {
		resp, _, _ := r.json("POST", "/v1/client-api/chat/message", fmt.Sprintf(`{"chatId":%q,"body":%q}`, chatID, body))
		require.Equal(t, 201, resp.StatusCode)
	}
	send("first") // and the reply, in the same millisecond
	ms.Add(10)
	send("third")
	ms.Add(-5) // a message committed late, stamped between the two
	_, ok := r.fake.PostBotMessage(chatID, "second")
	require.True(t, ok)

	var bodies []string
	var stamps []int64
	for _, m := range r.fake.Messages(chatID) {
		bodies = append(bodies, m.Body)
		stamps = append(stamps, m.Timestamp)
	}
	assert.Equal(t, []string{"first", "Test bot got: first", "second", "third", "Test bot got: third"}, bodies)
	assert.Equal(t, []int64{1_800_000_000_000, 1_800_000_000_000, 1_800_000_000_005, 1_800_000_000_010, 1_800_000_000_010}, stamps)

	// The list API sees the same order, and since stays exclusive.
	_, obj, _ := r.do("GET", "/v1/client-api/chat/"+chatID+"/messages?since=1800000000000", "", nil)
	assert.Equal(t, float64(3), obj["total"])
	items := obj["messages"].([]any)
	require.Len(t, items, 3)
	assert.Equal(t, "second", items[0].(map[string]any)["body"])
}

// TestBotyardFakeReplierRunsUnlocked: a replier may call the fake, and a
// slow one holds up only its own send, not every other request. (Were the
// replier run under the fake's lock, each check below would fail after
// its 5s wait instead of hanging the test.)
func TestBotyardFakeReplierRunsUnlocked(t *testing.T) {
	entered, release := make(chan struct{}), make(chan struct{})
	var fake *chatbottest.Botyard
	r := newBotyardRaw(t, chatbottest.WithBotyardReplyDelay(0),
		chatbottest.WithBotyardReplier(func(bot chatbottest.BotyardBot, body string) []string {
			defer func() { <-release }()
			defer close(entered)
			got := make(chan int, 1)
			go func() { got <- len(fake.Bots()) }()
			select {
			case n := <-got:
				return []string{fmt.Sprintf("%s knows %d bots", bot.Name, n)}
			case <-time.After(5 * time.Second):
				t.Error("the replier could not call the fake")
				return nil
			}
		}))
	fake = r.fake
	r.login()
	_, chat, _ := r.json("POST", "/v1/client-api/chat", `{"botId":"`+fake.Bots()[0].ID+`"}`)
	chatID := chat["id"].(string)

	sent := make(chan int, 1)
	go func() {
		sent <- rawStatus("POST", fake.URL+"/v1/client-api/chat/message", `{"chatId":"`+chatID+`","body":"hi"}`, r.token)
	}()
	<-entered
	// While the replier is busy, other requests are served.
	bots := make(chan int, 1)
	go func() { bots <- rawStatus("GET", fake.URL+"/v1/client-api/bots", "", "") }()
	select {
	case status := <-bots:
		assert.Equal(t, 200, status)
	case <-time.After(5 * time.Second):
		t.Error("a slow replier froze the other requests")
		close(release)
		<-bots
		<-sent
		return
	}
	close(release)
	assert.Equal(t, 201, <-sent)
	msgs := fake.Messages(chatID)
	require.Len(t, msgs, 2)
	assert.Equal(t, "Test bot knows 2 bots", msgs[1].Body)
}

// rawStatus sends a request from any goroutine (no test helpers) and
// returns the status, 0 on a transport error.
func rawStatus(method, url, jsonBody, token string) int {
	req, err := http.NewRequest(method, url, strings.NewReader(jsonBody))
	if err != nil {
		return 0
	}
	if jsonBody != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	if token != "" {
		req.AddCookie(&http.Cookie{Name: "token", Value: token})
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return 0
	}
	resp.Body.Close()
	return resp.StatusCode
}

package chatbottest_test

import (
	"fmt"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/chatbot-sdk/chatbot-go/chatbottest"
)

// alHistory is a history answer as a test reads it.
type alHistory struct {
	TotalCount int `json:"totalCount"`
	Messages   []struct {
		QuestionID  string            `json:"questionId"`
		TextMessage string            `json:"textMessage"`
		Author      string            `json:"author"`
		Status      string            `json:"status"`
		EventData   map[string]string `json:"eventData"`
		Replies     []map[string]any  `json:"replies"`
		Timestamp   string            `json:"timestamp"`
	} `json:"messages"`
}

func alGetHistory(t *testing.T, fake *chatbottest.Aimylogic, clientID, query string) alHistory {
	t.Helper()
	ans := alCall(t, fake, http.MethodGet, "/client/"+clientID+"/history?"+query, "")
	require.Equal(t, http.StatusOK, ans.Status, ans.Body)
	return alDecode[alHistory](t, ans.Body)
}

func TestAimylogicFakeHistory(t *testing.T) {
	fake := chatbottest.StartAimylogic(t)
	sent := alSend(t, fake, `{"clientId":"c","query":"hello","cid":"tab"}`)
	alSend(t, fake, `{"clientId":"c","event":"start"}`)
	fake.AddAgentReply("c", "Agent.")

	h := alGetHistory(t, fake, "c", "")
	require.Equal(t, 5, h.TotalCount)
	require.Len(t, h.Messages, 5)
	var authors []string
	for _, m := range h.Messages {
		authors = append(authors, m.Author)
		assert.Regexp(t, `^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$`, m.Timestamp, "history writes UTC with a Z, as its schema")
	}
	assert.Equal(t, []string{"CLIENT", "BOT", "CLIENT", "BOT", "OPERATOR"}, authors, "oldest first")
	assert.Equal(t, sent.QuestionID, h.Messages[0].QuestionID, "a request keeps the ID its send returned")
	assert.Equal(t, "hello", h.Messages[0].TextMessage)
	assert.Equal(t, "DELIVERED", h.Messages[0].Status)
	assert.NotEqual(t, sent.QuestionID, h.Messages[1].QuestionID, "the bot's message has an ID of its own")
	assert.Equal(t, "SENT", h.Messages[1].Status)
	assert.Equal(t, sent.Data.Answer, h.Messages[1].TextMessage)
	assert.Len(t, h.Messages[1].Replies, 2)
	assert.Equal(t, map[string]string{"event": "start"}, h.Messages[2].EventData)
	assert.Empty(t, h.Messages[2].TextMessage)

	inspected := fake.History("c")
	require.Len(t, inspected, 5)
	assert.Equal(t, "tab", inspected[0].CID)
	assert.JSONEq(t, `[{"type":"text","text":"Agent."}]`, string(inspected[4].Replies))

	empty := alGetHistory(t, fake, "nobody", "")
	assert.Equal(t, 0, empty.TotalCount)
	assert.NotNil(t, empty.Messages, "an empty history has messages: []")
}

func TestAimylogicFakeHistoryPagesAndRange(t *testing.T) {
	fake := chatbottest.StartAimylogic(t)
	fake.AddEvents("c", 30) // 60 messages

	first := alGetHistory(t, fake, "c", "")
	assert.Equal(t, 60, first.TotalCount)
	assert.Len(t, first.Messages, 20, "the default page size is 20")

	page := alGetHistory(t, fake, "c", "limit=25&offset=50")
	assert.Equal(t, 60, page.TotalCount)
	require.Len(t, page.Messages, 10)
	assert.Equal(t, "message 26", page.Messages[0].TextMessage)
	assert.Empty(t, alGetHistory(t, fake, "c", "offset=60").Messages)

	now := time.Now().Unix()
	assert.Equal(t, 60, alGetHistory(t, fake, "c", fmt.Sprintf("fromTimestamp=%d&toTimestamp=%d", now-60, now+60)).TotalCount)
	assert.Equal(t, 0, alGetHistory(t, fake, "c", fmt.Sprintf("fromTimestamp=%d", now+60)).TotalCount)
	assert.Equal(t, 0, alGetHistory(t, fake, "c", fmt.Sprintf("toTimestamp=%d", now-60)).TotalCount)

	for _, bad := range []string{"limit=0", "limit=-1", "offset=-1", "limit=ten", "fromTimestamp=2&toTimestamp=1", "fromTimestamp=2024-01-01"} {
		ans := alCall(t, fake, http.MethodGet, "/client/c/history?"+bad, "")
		assert.Equal(t, http.StatusBadRequest, ans.Status, bad)
		assert.Equal(t, "Invalid date range or pagination parameters", ans.Body, bad)
	}
}

func TestAimylogicFakeState(t *testing.T) {
	fake := chatbottest.StartAimylogic(t)
	ans := alCall(t, fake, http.MethodGet, "/client/c/state", "")
	assert.Equal(t, http.StatusOK, ans.Status)
	assert.Empty(t, ans.Body, "no state saved: an empty body")
	_, ok := fake.State("c")
	assert.False(t, ok)

	const state = ` {"page": "/cart", "items": [1, 2], "nested": {"a": null}} `
	ans = alCall(t, fake, http.MethodPost, "/client/c/state", state)
	assert.Equal(t, http.StatusOK, ans.Status, ans.Body)
	assert.Empty(t, ans.Body)

	ans = alCall(t, fake, http.MethodGet, "/client/c/state", "")
	assert.Equal(t, `{"page": "/cart", "items": [1, 2], "nested": {"a": null}}`, ans.Body, "kept as it was sent")
	assert.Equal(t, "application/json", ans.Header.Get("Content-Type"))
	saved, ok := fake.State("c")
	assert.True(t, ok)
	assert.JSONEq(t, state, string(saved))

	for _, bad := range []string{``, `[1]`, `"text"`, `42`, `null`, `{"a":`} {
		ans := alCall(t, fake, http.MethodPost, "/client/c/state", bad)
		assert.Equal(t, http.StatusBadRequest, ans.Status, bad)
		assert.Equal(t, "Invalid state format", ans.Body, bad)
	}
	saved, _ = fake.State("c")
	assert.JSONEq(t, state, string(saved), "a refused state leaves the old one")
}

func TestAimylogicFakeStatusesAndUnread(t *testing.T) {
	fake := chatbottest.StartAimylogic(t)
	alSend(t, fake, `{"clientId":"c","query":"one"}`)
	alSend(t, fake, `{"clientId":"c","query":"two"}`)
	fake.AddAgentReply("c", "three")
	h := fake.History("c")
	bot1, bot2, agent := h[1].QuestionID, h[3].QuestionID, h[4].QuestionID

	unread := func() string { return alCall(t, fake, http.MethodGet, "/client/c/message-not-read-count", "").Body }
	assert.JSONEq(t, `{"count":3}`, unread(), "bot and agent messages start unread")
	assert.JSONEq(t, `{"count":0}`, alCall(t, fake, http.MethodGet, "/client/nobody/message-not-read-count", "").Body)

	ans := alCall(t, fake, http.MethodGet, "/client/c/message/"+bot1+"/status", "")
	assert.Equal(t, http.StatusOK, ans.Status)
	assert.JSONEq(t, `{"questionId":"`+bot1+`","status":"SENT"}`, ans.Body)

	ans = alCall(t, fake, http.MethodPost, "/client/c/message/"+bot1+"/status", `{"status":"READ"}`)
	assert.Equal(t, http.StatusOK, ans.Status, ans.Body)
	assert.Empty(t, ans.Body)
	assert.JSONEq(t, `{"questionId":"`+bot1+`","status":"READ"}`, alCall(t, fake, http.MethodGet, "/client/c/message/"+bot1+"/status", "").Body)
	assert.JSONEq(t, `{"count":2}`, unread())

	ans = alCall(t, fake, http.MethodPost, "/client/c/message-statuses",
		`{"statuses":[{"questionId":"`+bot2+`","status":"READ"},{"questionId":"`+agent+`","status":"NOT_DELIVERED"}]}`)
	assert.Equal(t, http.StatusOK, ans.Status, ans.Body)
	assert.JSONEq(t, `{"count":1}`, unread())
	assert.Equal(t, "NOT_DELIVERED", fake.History("c")[4].Status)

	// Failures change nothing.
	failures := []struct {
		path, body string
		status     int
		text       string
	}{
		{"/client/c/message/" + bot2 + "/status", `{"status":"SEEN"}`, 400, "Invalid request payload"},
		{"/client/c/message/" + bot2 + "/status", `not json`, 400, "Invalid request payload"},
		{"/client/c/message/nope/status", `{"status":"SENT"}`, 404, "Message not found"},
		{"/client/other/message/" + bot2 + "/status", `{"status":"SENT"}`, 404, "Message not found"},
		{"/client/c/message-statuses", `{"statuses":[]}`, 400, "Invalid request payload"},
		{"/client/c/message-statuses", `{"statuses":[{"questionId":"` + bot2 + `","status":"SENT"},{"status":"SENT"}]}`, 400, "Invalid request payload"},
		{"/client/c/message-statuses", `{"statuses":[{"questionId":"` + bot2 + `","status":"SENT"},{"questionId":"nope","status":"SENT"}]}`, 404, "Message not found"},
	}
	for _, f := range failures {
		ans := alCall(t, fake, http.MethodPost, f.path, f.body)
		assert.Equal(t, f.status, ans.Status, "%s %s", f.path, f.body)
		assert.Equal(t, f.text, ans.Body, "%s %s", f.path, f.body)
	}
	assert.Equal(t, "READ", fake.History("c")[3].Status, "a batch with a bad item sets nothing")
	ans = alCall(t, fake, http.MethodGet, "/client/c/message/nope/status", "")
	assert.Equal(t, http.StatusNotFound, ans.Status)
}

package chatbottest_test

import (
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/chatbot-sdk/chatbot-go/chatbottest"
)

// alAnswer is an answer of the fake as a test reads it.
type alAnswer struct {
	Status int
	Header http.Header
	Body   string
}

// alRaw sends method to target (a whole URL) with body (as JSON when not
// empty).
func alRaw(t *testing.T, method, target, body string) alAnswer {
	t.Helper()
	req, err := http.NewRequest(method, target, strings.NewReader(body))
	require.NoError(t, err)
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	return alAnswer{resp.StatusCode, resp.Header, string(b)}
}

// alCall sends a request to the fake's channel: path follows the token
// ("" for the sync send, "/events?…").
func alCall(t *testing.T, fake *chatbottest.Aimylogic, method, path, body string) alAnswer {
	t.Helper()
	return alRaw(t, method, fake.URL+fake.Root+"/"+url.PathEscape(fake.Token)+path, body)
}

// alResult is the part of a result object the tests read.
type alResult struct {
	Token      string `json:"token"`
	ClientID   string `json:"clientId"`
	QuestionID string `json:"questionId"`
	CID        string `json:"cid"`
	Data       struct {
		NLPClass          string            `json:"nlpClass"`
		Confidence        float64           `json:"confidence"`
		Replies           []json.RawMessage `json:"replies"`
		Answer            string            `json:"answer"`
		NewSessionStarted bool              `json:"newSessionStarted"`
		DebugData         json.RawMessage   `json:"debugData"`
		EndSession        bool              `json:"endSession"`
	} `json:"data"`
	Timestamp string `json:"timestamp"`
	BlockForm bool   `json:"blockForm"`
}

// alSend makes a sync send that must succeed and returns its result.
func alSend(t *testing.T, fake *chatbottest.Aimylogic, body string) alResult {
	t.Helper()
	ans := alCall(t, fake, http.MethodPost, "", body)
	require.Equal(t, http.StatusOK, ans.Status, ans.Body)
	return alDecode[alResult](t, ans.Body)
}

func alDecode[T any](t *testing.T, body string) T {
	t.Helper()
	var v T
	require.NoError(t, json.Unmarshal([]byte(body), &v), body)
	return v
}

// alWireTime matches the service's timestamps: UTC, milliseconds, no
// offset.
var alWireTime = regexp.MustCompile(`^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}$`)

// alUUID matches the fake's message IDs.
var alUUID = regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-8[0-9a-f]{3}-[0-9a-f]{12}$`)

func TestAimylogicFakeSyncSend(t *testing.T) {
	fake := chatbottest.StartAimylogic(t)
	res := alSend(t, fake, `{"clientId":"user-1","query":"hello","cid":"tab-1"}`)

	assert.Equal(t, fake.Token, res.Token, "the token is echoed, as in the documented example")
	assert.Equal(t, "user-1", res.ClientID)
	assert.Equal(t, "tab-1", res.CID)
	assert.Regexp(t, alUUID, res.QuestionID)
	assert.Regexp(t, alWireTime, res.Timestamp)
	assert.False(t, res.BlockForm)
	assert.Equal(t, "/Hello", res.Data.NLPClass)
	assert.True(t, res.Data.NewSessionStarted, "a client's first request opens a session")
	assert.Equal(t, "Hello! What would you like to see?", res.Data.Answer)
	assert.JSONEq(t, `[]`, string(res.Data.DebugData))
	require.Len(t, res.Data.Replies, 2)
	assert.JSONEq(t, `{"type":"text","text":"Hello! What would you like to see?","state":"/Hello"}`, string(res.Data.Replies[0]))
	assert.JSONEq(t, `{"type":"buttons","buttons":[{"text":"image"},{"text":"file"}],"state":"/Hello"}`, string(res.Data.Replies[1]))

	again := alSend(t, fake, `{"clientId":"user-1","query":"hi there"}`)
	assert.False(t, again.Data.NewSessionStarted, "the session goes on")
	assert.NotEqual(t, res.QuestionID, again.QuestionID)
	assert.Empty(t, again.CID, "no cid sent, none echoed")

	for _, r := range fake.Requests() {
		assert.Equal(t, "/chatapi/{token}", r.Path, "the log hides the token")
		assert.NotContains(t, r.Query+r.Body, fake.Token)
	}
	assert.Equal(t, 2, fake.CountRequests(http.MethodPost, "/chatapi/{token}"))
}

func TestAimylogicFakeBotReplyTypes(t *testing.T) {
	fake := chatbottest.StartAimylogic(t)
	tests := []struct {
		body, nlpClass, answer string
		reply                  string
		end                    bool
	}{
		{`{"clientId":"c","event":"start"}`, "/Start", "Hello! I am a test bot. Say hello, image or file.",
			`{"type":"text","text":"Hello! I am a test bot. Say hello, image or file.","state":"/Start"}`, false},
		{`{"clientId":"c","event":"timer"}`, "/Events", "Event timer received.",
			`{"type":"text","text":"Event timer received.","state":"/Events"}`, false},
		{`{"clientId":"c","query":" IMAGE "}`, "/Image", "",
			`{"type":"image","imageUrl":"https://example.com/images/cat.png","text":"A cat","state":"/Image"}`, false},
		{`{"clientId":"c","query":"file"}`, "/File", "",
			`{"type":"file","fileUrl":"https://example.com/files/report.pdf","fileName":"report.pdf","mimeType":"application/pdf","state":"/File"}`, false},
		{`{"clientId":"c","query":"What's up?"}`, "/CatchAll", "You said: What's up?",
			`{"type":"text","text":"You said: What's up?","state":"/CatchAll"}`, false},
		{`{"clientId":"c","query":"bye"}`, "/Bye", "Goodbye!", `{"type":"text","text":"Goodbye!","state":"/Bye"}`, true},
	}
	for _, tt := range tests {
		res := alSend(t, fake, tt.body)
		assert.Equal(t, tt.nlpClass, res.Data.NLPClass, tt.body)
		assert.Equal(t, tt.answer, res.Data.Answer, "answer joins the text replies only: %s", tt.body)
		require.Len(t, res.Data.Replies, 1, tt.body)
		assert.JSONEq(t, tt.reply, string(res.Data.Replies[0]), tt.body)
		assert.Equal(t, tt.end, res.Data.EndSession, tt.body)
	}
	res := alSend(t, fake, `{"clientId":"c","query":"again"}`)
	assert.True(t, res.Data.NewSessionStarted, "a request after the session ended starts a new one")
	assert.InDelta(t, -0.011, res.Data.Confidence, 1e-9, "the catch-all score is the documented negative one")
}

func TestAimylogicFakeSimpleSend(t *testing.T) {
	fake := chatbottest.StartAimylogic(t)
	ans := alCall(t, fake, http.MethodGet, "?clientId=u&query="+url.QueryEscape("a b&c")+"&cid=t1", "")
	require.Equal(t, http.StatusOK, ans.Status, ans.Body)
	res := alDecode[alResult](t, ans.Body)
	assert.Equal(t, "You said: a b&c", res.Data.Answer)
	assert.Equal(t, "t1", res.CID)

	ev := alDecode[alResult](t, alCall(t, fake, http.MethodGet, "?clientId=u&event=start", "").Body)
	assert.Equal(t, "/Start", ev.Data.NLPClass)
	assert.Equal(t, 2, fake.CountRequests(http.MethodGet, "/chatapi/{token}"))
}

func TestAimylogicFakeRefusesBadSends(t *testing.T) {
	fake := chatbottest.StartAimylogic(t)
	bodies := []string{
		``, `not json`, `[]`, `null`, `{}`,
		`{"query":"hi"}`,                                // no client
		`{"clientId":"","query":"hi"}`,                  // empty client
		`{"clientId":"c"}`,                              // neither query nor event
		`{"clientId":"c","query":"","event":""}`,        // both empty
		`{"clientId":"c","query":"hi","event":"start"}`, // both
		`{"clientId":"c","query":5}`,                    // not a string
		`{"clientId":true,"query":"hi"}`,                // an ID that is no string or number
	}
	for _, path := range []string{"", "/async"} {
		for _, body := range bodies {
			ans := alCall(t, fake, http.MethodPost, path, body)
			assert.Equal(t, http.StatusBadRequest, ans.Status, "%s %s", path, body)
			assert.Equal(t, "Invalid request payload", ans.Body, "%s %s", path, body)
			assert.Equal(t, "text/plain; charset=utf-8", ans.Header.Get("Content-Type"))
		}
	}
	for _, query := range []string{"", "?clientId=c", "?query=hi", "?clientId=c&query=hi&event=start"} {
		ans := alCall(t, fake, http.MethodGet, query, "")
		assert.Equal(t, http.StatusBadRequest, ans.Status, query)
		assert.Equal(t, "Invalid request payload", ans.Body, query)
	}
	assert.Nil(t, fake.History("c"), "a refused request leaves no trace")

	res := alSend(t, fake, `{"clientId":42,"query":"hi"}`)
	assert.Equal(t, "42", res.ClientID, "a numeric client ID is taken as its text")
}

func TestAimylogicFakeUnknownToken(t *testing.T) {
	fake := chatbottest.StartAimylogic(t)
	const wrong = "wrongBot:0000000000000000000000000000000000000000"
	paths := []struct{ method, path string }{
		{http.MethodPost, ""}, {http.MethodGet, "?clientId=c&query=hi"}, {http.MethodPost, "/async"},
		{http.MethodGet, "/events?clientId=c"}, {http.MethodGet, "/client/c/history"},
		{http.MethodGet, "/client/c/state"}, {http.MethodPost, "/client/c/state"},
		{http.MethodGet, "/client/c/message/q/status"}, {http.MethodPost, "/client/c/message/q/status"},
		{http.MethodPost, "/client/c/message-statuses"}, {http.MethodGet, "/client/c/message-not-read-count"},
	}
	for _, p := range paths {
		ans := alRaw(t, p.method, fake.URL+"/chatapi/"+wrong+p.path, `{"clientId":"c","query":"hi"}`)
		assert.Equal(t, http.StatusNotFound, ans.Status, p.path)
		assert.Equal(t, "ChannelChat config not found for token "+wrong+" and channel CHATAPI", ans.Body, p.path)
	}
	for _, r := range fake.Requests() {
		assert.True(t, strings.HasPrefix(r.Path, "/chatapi/{token}"), r.Path)
		assert.NotContains(t, r.Path, "wrongBot", "a wrong token is hidden as well")
	}
	assert.Nil(t, fake.History("c"))
}

func TestAimylogicFakeUnknownRoute(t *testing.T) {
	fake := chatbottest.StartAimylogic(t)
	ans := alCall(t, fake, http.MethodGet, "/nothing", "")
	assert.Equal(t, http.StatusNotFound, ans.Status)
	assert.Equal(t, "Not Found", ans.Body)
	ans = alCall(t, fake, http.MethodDelete, "/client/c/state", "")
	assert.Equal(t, http.StatusMethodNotAllowed, ans.Status)
	assert.Equal(t, "Method Not Allowed", ans.Body)
	assert.Equal(t, []string{"/chatapi/{token}/nothing", "/chatapi/{token}/client/c/state"},
		[]string{fake.Requests()[0].Path, fake.Requests()[1].Path})
}

func TestAimylogicFakeTokenAndPathRoot(t *testing.T) {
	const token = "my token+ü:1"
	fake := chatbottest.StartAimylogic(t, chatbottest.WithAimylogicToken(token), chatbottest.WithAimylogicPathRoot("chatapi/bot/"))
	assert.Equal(t, "/chatapi/bot", fake.Root)
	assert.Equal(t, token, fake.Token)

	res := alSend(t, fake, `{"clientId":"c","query":"hi"}`)
	assert.Equal(t, token, res.Token)
	ans := alRaw(t, http.MethodPost, fake.URL+"/chatapi/"+url.PathEscape(token), `{"clientId":"c","query":"hi"}`)
	assert.Equal(t, http.StatusNotFound, ans.Status, "the default root is not served")
	for _, r := range fake.Requests() {
		assert.NotContains(t, r.Path, "my token")
	}
	assert.Equal(t, 1, fake.CountRequests(http.MethodPost, "/chatapi/bot/{token}"))
}

func TestAimylogicFakeBlockFormAndCustomBot(t *testing.T) {
	var seen chatbottest.AimylogicQuery
	fake := chatbottest.StartAimylogic(t, chatbottest.WithAimylogicBlockForm(true),
		chatbottest.WithAimylogicBot(func(req chatbottest.AimylogicQuery) chatbottest.AimylogicAnswer {
			seen = req
			return chatbottest.AimylogicAnswer{NLPClass: "/Quiz", Replies: []chatbottest.AimylogicReply{
				{"type": "text", "text": "One"}, {"type": "location", "lat": 59.93, "lon": 30.33}, {"type": "text", "text": "Two"},
			}}
		}))
	res := alSend(t, fake, `{"clientId":"c","query":"q","cid":"t","data":{"k":"v"}}`)
	assert.True(t, res.BlockForm)
	assert.Equal(t, "One\n\nTwo", res.Data.Answer, "text replies joined by a blank line")
	assert.Len(t, res.Data.Replies, 3)
	assert.Equal(t, chatbottest.AimylogicQuery{ClientID: "c", Query: "q", CID: "t", Data: map[string]any{"k": "v"}}, seen)
}

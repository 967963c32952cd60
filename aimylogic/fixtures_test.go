package aimylogic

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Every JSON example of shared/api/aimylogic.md, aimylogic-wire.md and the
// seed capture is a fixture in testdata/aimylogic; each test below decodes
// one and checks every field it yields.

// assertDocumentedResult checks every field of the documented webhook /
// send-response example.
func assertDocumentedResult(t *testing.T, r *Response) {
	t.Helper()
	assert.Equal(t, "test", r.ClientID)
	assert.Equal(t, "12345", r.QuestionID)
	assert.Empty(t, r.CID, "the example has no cid")
	assert.Equal(t, "/CatchAll", r.Data.NLPClass)
	assert.Equal(t, -0.010999999999999979, r.Data.Confidence, "negative confidence kept as sent")
	assert.Equal(t, "Tell the bot something", r.Data.Answer)
	assert.False(t, r.Data.NewSessionStarted)
	assert.JSONEq(t, `[]`, string(r.Data.DebugData))
	assert.False(t, r.Data.EndSession)
	assert.Equal(t, Replies{&TextReply{Text: "Tell the bot something", State: "/CatchAll"}}, r.Data.Replies)
	assert.Equal(t, "2022-09-28T12:32:13.262", r.Timestamp.Raw)
	assert.Equal(t, documentedAt, r.Timestamp.Time)
	assert.False(t, r.BlockForm)
	assert.JSONEq(t, `{"nlpClass":"/CatchAll","confidence":-0.010999999999999979,
		"replies":[{"type":"text","text":"Tell the bot something","state":"/CatchAll"}],
		"answer":"Tell the bot something","newSessionStarted":false,"debugData":[],"endSession":false}`,
		string(r.Data.Raw))
}

func TestFixtureSendResponse(t *testing.T) {
	// The documented example is also the synchronous send's response.
	var r Response
	require.NoError(t, json.Unmarshal(fixture(t, "webhook_result.json"), &r))
	assertDocumentedResult(t, &r)
}

// documentedRaw is the documented result as WebhookResult.Raw keeps it:
// the token shown as "{token}".
func documentedRaw(t *testing.T) string {
	t.Helper()
	return strings.Replace(string(fixture(t, "webhook_result.json")), `"token": "token"`, `"token": "{token}"`, 1)
}

func TestFixtureWebhookSingleObject(t *testing.T) {
	got, err := decodeWebhook(fixture(t, "webhook_result.json"), nil)
	require.NoError(t, err)
	require.Len(t, got, 1)
	assertDocumentedResult(t, &got[0].Response)
	assert.True(t, got[0].HasToken("token"))
	assert.False(t, got[0].HasToken("other"))
	assert.JSONEq(t, documentedRaw(t), string(got[0].Raw))
}

func TestFixtureWebhookArray(t *testing.T) {
	got, err := decodeWebhook(fixture(t, "webhook_result_array.json"), nil)
	require.NoError(t, err)
	require.Len(t, got, 1)
	assertDocumentedResult(t, &got[0].Response)
	assert.True(t, got[0].HasToken("token"))
	assert.JSONEq(t, documentedRaw(t), string(got[0].Raw))
}

func TestFixtureWebhookDocumentedVerbatimIsRejected(t *testing.T) {
	// The documentation's example carries a // comment: not JSON. The
	// error says where, and does not quote the body (it holds the token).
	body := fixture(t, "webhook_documented.txt")
	got, err := decodeWebhook(body, nil)
	assert.Nil(t, got)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "not valid JSON at byte 149")
	assert.Equal(t, "/", string(body[148]), "byte 149 is the comment's first slash")
	assert.NotContains(t, err.Error(), "token")
}

func TestFixtureJAICFRawRequest(t *testing.T) {
	// What the platform forwards to a bot for a Chat API request: the
	// server-assigned questionId and an offset-less UTC timestamp.
	got, err := decodeWebhook(fixture(t, "jaicf_raw_request.json"), nil)
	require.NoError(t, err)
	require.Len(t, got, 1)
	r := got[0]
	assert.Equal(t, "test", r.ClientID)
	assert.Equal(t, "aaa99bea-aae1-41d2-aede-76e4f13b0ccc", r.QuestionID)
	assert.Empty(t, r.CID)
	assert.Equal(t, ResponseData{}, r.Data, "no data object")
	assert.Equal(t, "2020-03-09T15:25:19.497", r.Timestamp.Raw)
	// The same instant the fixture's bot request gives as epoch seconds.
	assert.Equal(t, time.Unix(1583767519, 497_000_000).UTC(), r.Timestamp.Time)
	assert.False(t, r.BlockForm)
	assert.True(t, r.HasToken("GNVXJdeo:718e36f7005fbba3e2a9696784b83dc3bd0f3d9a"))
	var extra struct {
		Query  string `json:"query"`
		UserID string `json:"userId"`
	}
	require.NoError(t, json.Unmarshal(r.Raw, &extra))
	assert.Equal(t, "/start", extra.Query)
	assert.Equal(t, "test", extra.UserID)
}

func TestFixtureJAICFResponseData(t *testing.T) {
	var d ResponseData
	require.NoError(t, json.Unmarshal(fixture(t, "jaicf_response_data.json"), &d))
	assert.Equal(t, Replies{&TextReply{Text: "You said: /start from ChatApiReactions", State: "/fallback"}}, d.Replies)
	assert.Equal(t, "You said: /start from ChatApiReactions", d.Answer)
	// Keys a JAICF bot leaves out decode as zero values.
	assert.Empty(t, d.NLPClass)
	assert.Zero(t, d.Confidence)
	assert.False(t, d.NewSessionStarted)
	assert.Nil(t, d.DebugData)
	assert.False(t, d.EndSession)
	assert.JSONEq(t, string(fixture(t, "jaicf_response_data.json")), string(d.Raw))
}

func TestFixtureEventsConstructed(t *testing.T) {
	var p EventsPage
	require.NoError(t, json.Unmarshal(fixture(t, "events_constructed.json"), &p))
	require.Len(t, p.Events, 1)
	e := p.Events[0]
	assert.Equal(t, EventBotResponse, e.Type)
	assert.Equal(t, "12345", e.QuestionID)
	assert.Equal(t, documentedAt, e.Timestamp.Time)
	assert.Equal(t, "2022-09-28T12:32:13.262", e.Timestamp.Raw)
	require.NotNil(t, e.Response)
	assert.Equal(t, "12345", e.Response.QuestionID)
	assert.Empty(t, e.Response.ClientID)
	assert.Equal(t, documentedAt, e.Response.Timestamp.Time)
	assert.Equal(t, Replies{&TextReply{Text: "Tell the bot something", State: "/CatchAll"}}, e.Response.Data.Replies)
	assert.Empty(t, e.Response.Data.Answer)
	assert.JSONEq(t, `{"questionId":"12345","timestamp":"2022-09-28T12:32:13.262",
		"data":{"replies":[{"type":"text","text":"Tell the bot something","state":"/CatchAll"}]}}`, string(e.Payload))
	assert.False(t, p.MaybeTruncated())
	assert.Equal(t, FormatTS(documentedAt), p.NextTS())
	assert.Equal(t, "1664368333262", p.NextTS())
}

func TestFixtureReplyText(t *testing.T) {
	var rs Replies
	require.NoError(t, json.Unmarshal(fixture(t, "reply_text.json"), &rs))
	// The documentation's placeholder markup passes through unchanged.
	assert.Equal(t, Replies{&TextReply{Text: "....", TTS: "....", Markup: "html|markdown|plain"}}, rs)
}

func TestFixtureReplyInlineButtons(t *testing.T) {
	var rs Replies
	require.NoError(t, json.Unmarshal(fixture(t, "reply_inline_buttons.json"), &rs))
	assert.Equal(t, Replies{&InlineButtonsReply{Buttons: []InlineButton{{Text: "button", URL: "https://example.com"}}}}, rs)
}

func TestFixtureReplyLocation(t *testing.T) {
	var rs Replies
	require.NoError(t, json.Unmarshal(fixture(t, "reply_location.json"), &rs))
	assert.Equal(t, Replies{&LocationReply{Lat: 59.934280, Lon: 30.335099}}, rs)
}

func TestFixtureReplyFile(t *testing.T) {
	var rs Replies
	require.NoError(t, json.Unmarshal(fixture(t, "reply_file.json"), &rs))
	assert.Equal(t, Replies{&FileReply{
		FileURL:  "https://example.com/file.xlsx",
		FileName: "file.xlsx",
		MimeType: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
	}}, rs)
}

func TestFixtureReplyAudio(t *testing.T) {
	var rs Replies
	require.NoError(t, json.Unmarshal(fixture(t, "reply_audio.json"), &rs))
	assert.Equal(t, Replies{&AudioReply{AudioURL: "https://example.com/example.mp3", AudioName: "Example"}}, rs)
}

func TestFixtureReplyRoundTrip(t *testing.T) {
	// Each documented reply is written back with the same members.
	for _, name := range []string{"reply_text.json", "reply_inline_buttons.json", "reply_location.json", "reply_file.json", "reply_audio.json"} {
		t.Run(name, func(t *testing.T) {
			var rs Replies
			require.NoError(t, json.Unmarshal(fixture(t, name), &rs))
			require.Len(t, rs, 1)
			out, err := json.Marshal(rs[0])
			require.NoError(t, err)
			assert.JSONEq(t, string(fixture(t, name)), string(out))
		})
	}
}

func TestFixtureSendRequest(t *testing.T) {
	p := SendParams{ClientID: "test", Query: "Hello", CID: "tab-1"}
	require.NoError(t, p.Validate())
	b, err := json.Marshal(p)
	require.NoError(t, err)
	assert.JSONEq(t, string(fixture(t, "send_request.json")), string(b))

	var back SendParams
	require.NoError(t, json.Unmarshal(fixture(t, "send_request.json"), &back))
	assert.Equal(t, p, back)
}

func TestFixtureStatusRequest(t *testing.T) {
	p := SetStatusParams{ClientID: "test", QuestionID: "12345", Status: StatusRead}
	require.NoError(t, p.Validate())
	b, err := json.Marshal(p)
	require.NoError(t, err)
	assert.JSONEq(t, string(fixture(t, "status_request.json")), string(b), "IDs travel in the path, not the body")
}

// fixture reads a file of testdata/aimylogic at the module root.
func fixture(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "testdata", "aimylogic", name))
	require.NoError(t, err)
	return b
}

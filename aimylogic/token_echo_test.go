package aimylogic_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	chatbot "github.com/chatbot-sdk/chatbot-go"
	"github.com/chatbot-sdk/chatbot-go/aimylogic"
	"github.com/chatbot-sdk/chatbot-go/internal/testkit"
)

// echoedData is a response's data object in which a bot repeats the
// channel token beyond the top-level "token" member, in several
// spellings: JAICF bots forward the raw request (which holds the token)
// in their debug data and response data, and a reply of a kind the SDK
// does not model may carry it too.
var echoedData = `{"answer":"ok",` +
	`"debugData":[{"rawRequest":{"token":"` + token + `","url":"/chatapi/` + url.PathEscape(token) + `?t=` + url.QueryEscape(token) + `"}}],` +
	`"responseData":{"echo":"` + token + `"},` +
	`"replies":[{"type":"switch","customData":{"channel":"` + token + `"}},{"type":"text","text":"` + token + `"}]}`

// echoedResponse is a whole response body echoing the token.
var echoedResponse = `{"token":"` + token + `","clientId":"u","questionId":"q","data":` + echoedData + `}`

// assertNoToken fails t if the token, in any spelling, shows in v encoded
// as JSON or printed with %+v, or in any of the raw JSON fields the
// encoding leaves out.
func assertNoToken(t *testing.T, v any, raws ...[]byte) {
	t.Helper()
	extras := []string{testkit.ToJSON(t, v), fmt.Sprintf("%+v", v)}
	for _, r := range raws {
		extras = append(extras, string(r))
	}
	testkit.AssertNoSecret(t, token, nil, extras...)
}

func TestSendResultHidesTheTokenTheBotEchoes(t *testing.T) {
	c, _ := replay(t, testkit.Exchange{
		Method: http.MethodPost, Path: root, JSON: `{"clientId":"u","query":"hi"}`,
		Reply: testkit.Reply{Body: echoedResponse},
	})
	resp, err := c.Messages.Send(context.Background(), &aimylogic.SendParams{ClientID: "u", Query: "hi"})
	require.NoError(t, err)
	assert.Equal(t, "ok", resp.Data.Answer)
	require.Len(t, resp.Data.Replies, 2)
	raw, ok := resp.Data.Replies[0].(*aimylogic.RawReply)
	require.True(t, ok, "a switch reply stays raw")
	assert.False(t, strings.Contains(string(resp.Data.Raw), token), "Data.Raw keeps the token")
	assert.False(t, strings.Contains(string(resp.Data.DebugData), token), "Data.DebugData keeps the token: %s", resp.Data.DebugData)
	assert.False(t, strings.Contains(string(raw.JSON), token), "RawReply.JSON keeps the token: %s", raw.JSON)
	assert.JSONEq(t, `{"type":"switch","customData":{"channel":"{token}"}}`, string(raw.JSON))
	assert.Equal(t, &aimylogic.TextReply{Text: "{token}"}, resp.Data.Replies[1])
	assertNoToken(t, resp, resp.Data.Raw, resp.Data.DebugData, raw.JSON)
}

func TestEventsHideTheTokenTheBotEchoes(t *testing.T) {
	c, _ := replay(t, testkit.Exchange{
		Method: http.MethodGet, Path: root + "/events", Query: url.Values{"clientId": {"u"}},
		Reply: testkit.Reply{Body: `{"events":[{"type":"botResponse","event":` + echoedResponse + `},` +
			`{"type":"operatorReply","event":{"questionId":"a1","data":` + echoedData + `}}]}`},
	})
	pg, err := c.Events.Poll(context.Background(), &aimylogic.EventsParams{ClientID: "u"})
	require.NoError(t, err)
	require.Len(t, pg.Events, 2)
	r := pg.Events[0].Response
	require.NotNil(t, r)
	assert.Equal(t, "ok", r.Data.Answer)
	raw, ok := r.Data.Replies[0].(*aimylogic.RawReply)
	require.True(t, ok)
	assertNoToken(t, pg, pg.Events[0].Payload, pg.Events[1].Payload, r.Data.Raw, r.Data.DebugData, raw.JSON)
}

func TestHistoryHidesTheTokenTheBotEchoes(t *testing.T) {
	c, _ := replay(t, testkit.Exchange{
		Method: http.MethodGet, Path: root + "/client/u/history",
		Reply: testkit.Reply{Body: `{"totalCount":1,"messages":[{"questionId":"q","author":"BOT",` +
			`"eventData":{"rawRequest":{"token":"` + token + `"}},` +
			`"replies":[{"type":"switch","customData":{"channel":"` + token + `"}}]}]}`},
	})
	h, err := c.History.List(context.Background(), &aimylogic.HistoryParams{ClientID: "u"})
	require.NoError(t, err)
	require.Len(t, h.Messages, 1)
	m := h.Messages[0]
	assert.JSONEq(t, `{"rawRequest":{"token":"{token}"}}`, string(m.EventData))
	require.Len(t, m.Replies, 1)
	raw, ok := m.Replies[0].(*aimylogic.RawReply)
	require.True(t, ok)
	assertNoToken(t, h, h.Raw, m.EventData, raw.JSON)
}

func TestWebhookResultHidesTheTokenTheBotEchoes(t *testing.T) {
	var got []*aimylogic.WebhookResult
	h, err := aimylogic.NewWebhookHandler(token, &aimylogic.WebhookOptions{
		OnResult: func(_ context.Context, r *aimylogic.WebhookResult) error { got = append(got, r); return nil },
	})
	require.NoError(t, err)
	body := `[` + echoedResponse + `,{"token":"` + token + `","clientId":"u","questionId":"q2","data":{"answer":"ok","responseData":{"echo":"` + token + `"}}}]`
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodPost, "/", strings.NewReader(body)))
	require.Equal(t, http.StatusOK, rec.Code, rec.Body.String())
	require.Len(t, got, 2)
	for _, r := range got {
		assert.True(t, r.HasToken(token), "the token check reads the body as delivered")
		assert.False(t, strings.Contains(string(r.Raw), token), "Raw keeps the token")
		assert.False(t, strings.Contains(string(r.Data.Raw), token), "WebhookResult.Data.Raw keeps the token: %s", r.Data.Raw)
		assertNoToken(t, r, r.Raw, r.Data.Raw, r.Data.DebugData)
	}
	raw, ok := got[0].Data.Replies[0].(*aimylogic.RawReply)
	require.True(t, ok)
	assertNoToken(t, raw, raw.JSON)
	assert.JSONEq(t, `{"echo":"{token}"}`, extractMember(t, got[1].Data.Raw, "responseData"))
}

// extractMember returns the JSON text of member name of the object raw.
func extractMember(t *testing.T, raw []byte, name string) string {
	t.Helper()
	var m map[string]any
	require.NoError(t, json.Unmarshal(raw, &m))
	return testkit.ToJSON(t, m[name])
}

func TestWebhookRefusesAResultShowingTheRedactedToken(t *testing.T) {
	// "{token}" is what the handler shows the token as; a delivery that
	// carries that text instead of the token is not from the channel.
	h, err := aimylogic.NewWebhookHandler(token, &aimylogic.WebhookOptions{
		OnResult: func(context.Context, *aimylogic.WebhookResult) error { return nil },
	})
	require.NoError(t, err)
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodPost, "/", strings.NewReader(`{"token":"{token}","clientId":"u","questionId":"q"}`)))
	assert.Equal(t, http.StatusForbidden, rec.Code)
}

func TestAnswerHoldingTheTokenOutsideAStringIsNotDecoded(t *testing.T) {
	// A token made of digits can show inside a number, where "{token}"
	// would not be JSON: the answer is refused rather than kept with the
	// token in it.
	srv := aimyWire.Serve(t, testkit.Exchange{
		Method: http.MethodPost, Path: "/chatapi/4242", JSON: `{"clientId":"u","query":"hi"}`,
		Reply: testkit.Reply{Body: `{"clientId":"u","questionId":"q","data":{"confidence":0.4242}}`},
	})
	c, err := aimylogic.NewClient("4242", chatbot.WithBaseURL(srv.URL()))
	require.NoError(t, err)
	defer c.Close()
	_, err = c.Messages.Send(context.Background(), &aimylogic.SendParams{ClientID: "u", Query: "hi"})
	var de *chatbot.DecodeError
	require.ErrorAs(t, err, &de)
	assert.Contains(t, err.Error(), "outside a JSON string")
	testkit.AssertNoSecret(t, "4242", err, de.Snippet)
}

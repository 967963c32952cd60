package aimylogic

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestResponseWithCIDAndExtras(t *testing.T) {
	in := `{
		"token": "secret-token",
		"clientId": "u1", "questionId": "q1", "cid": "tab-1",
		"data": {"nlpClass": "/Hello", "confidence": 0.93, "answer": "Hi",
			"replies": [{"type":"text","text":"Hi"}], "newSessionStarted": true, "endSession": true,
			"debugData": {"trace": [1, 2]}, "sessionId": "s-9", "responseData": {"k": "v"}},
		"timestamp": "2024-06-03T15:30:00.001",
		"blockForm": true
	}`
	var r Response
	require.NoError(t, json.Unmarshal([]byte(in), &r))
	assert.Equal(t, "u1", r.ClientID)
	assert.Equal(t, "q1", r.QuestionID)
	assert.Equal(t, "tab-1", r.CID)
	assert.Equal(t, "/Hello", r.Data.NLPClass)
	assert.Equal(t, 0.93, r.Data.Confidence)
	assert.Equal(t, "Hi", r.Data.Answer)
	assert.Equal(t, Replies{&TextReply{Text: "Hi"}}, r.Data.Replies)
	assert.True(t, r.Data.NewSessionStarted)
	assert.True(t, r.Data.EndSession)
	assert.JSONEq(t, `{"trace":[1,2]}`, string(r.Data.DebugData))
	assert.Equal(t, "2024-06-03T15:30:00.001", r.Timestamp.Raw)
	assert.True(t, r.BlockForm)

	var extra struct {
		SessionID    string            `json:"sessionId"`
		ResponseData map[string]string `json:"responseData"`
	}
	require.NoError(t, json.Unmarshal(r.Data.Raw, &extra), "bot-defined keys are in Raw")
	assert.Equal(t, "s-9", extra.SessionID)
	assert.Equal(t, map[string]string{"k": "v"}, extra.ResponseData)
}

func TestResponseNeverKeepsTheToken(t *testing.T) {
	var r Response
	require.NoError(t, json.Unmarshal([]byte(`{"token":"secret-token","clientId":"u1","data":{"answer":"a"}}`), &r))
	out, err := json.Marshal(r)
	require.NoError(t, err)
	assert.NotContains(t, string(out), "secret-token")
	assert.NotContains(t, string(out), `"token"`)
}

func TestResponseTopLevelRepliesFallback(t *testing.T) {
	var r Response
	require.NoError(t, json.Unmarshal([]byte(`{"clientId":"u1","replies":[{"type":"text","text":"top"}],"data":{"answer":"top"}}`), &r))
	assert.Equal(t, Replies{&TextReply{Text: "top"}}, r.Data.Replies)

	require.NoError(t, json.Unmarshal([]byte(`{"replies":[{"type":"text","text":"top"}],"data":{"replies":[{"type":"text","text":"inner"}]}}`), &r))
	assert.Equal(t, Replies{&TextReply{Text: "inner"}}, r.Data.Replies, "data.replies wins when present")

	require.NoError(t, json.Unmarshal([]byte(`{"replies":[{"type":"text","text":"top"}],"data":{"replies":[]}}`), &r))
	assert.Equal(t, Replies{&TextReply{Text: "top"}}, r.Data.Replies, "an empty data.replies falls back too")

	require.NoError(t, json.Unmarshal([]byte(`{"replies":[{"type":"text","text":"top"}]}`), &r))
	assert.Equal(t, Replies{&TextReply{Text: "top"}}, r.Data.Replies, "no data object at all")
	assert.Nil(t, r.Data.Raw)
}

func TestResponseNumericIDs(t *testing.T) {
	var r Response
	require.NoError(t, json.Unmarshal([]byte(`{"clientId":12345678901234567890,"questionId":7,"cid":null}`), &r))
	assert.Equal(t, "12345678901234567890", r.ClientID, "digits kept exactly, not through a float")
	assert.Equal(t, "7", r.QuestionID)
	assert.Empty(t, r.CID)
}

func TestResponseOddValues(t *testing.T) {
	var r Response
	require.NoError(t, json.Unmarshal([]byte(`{"timestamp":"not a time","data":null}`), &r), "an odd timestamp never fails the response")
	assert.Equal(t, "not a time", r.Timestamp.Raw)
	assert.False(t, r.Timestamp.Valid())
	assert.Equal(t, ResponseData{}, r.Data)

	for _, bad := range []string{`{"clientId":true}`, `{"data":"x"}`, `{"data":[1]}`, `{"data":{"confidence":"high"}}`, `{"data":{"replies":7}}`, `[]`} {
		assert.Error(t, json.Unmarshal([]byte(bad), &r), bad)
	}
}

func TestResponseTypeErrorsNameTheMember(t *testing.T) {
	var r Response
	var te *json.UnmarshalTypeError
	require.ErrorAs(t, json.Unmarshal([]byte(`{"data":{"answer":5}}`), &r), &te)
	assert.Equal(t, "data.answer", te.Field)
	require.ErrorAs(t, json.Unmarshal([]byte(`{"data":"x"}`), &r), &te)
	assert.Equal(t, "data", te.Field)
}

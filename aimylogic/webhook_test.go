package aimylogic

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	chatbot "github.com/chatbot-sdk/chatbot-go"
)

const realToken = "GNVXJdeo:718e36f7005fbba3e2a9696784b83dc3bd0f3d9a"

func TestWebhookSeveralResults(t *testing.T) {
	body := `[
		{"token":"` + realToken + `","clientId":"u1","questionId":"q1","data":{"answer":"one"},"timestamp":"2024-06-03T15:30:00.000"},
		{"token":"` + realToken + `","clientId":"u2","questionId":"q2","data":{"answer":"two"},"blockForm":true}
	]`
	got, err := decodeWebhook([]byte(body), nil)
	require.NoError(t, err)
	require.Len(t, got, 2)
	assert.Equal(t, "u1", got[0].ClientID)
	assert.Equal(t, "q1", got[0].QuestionID)
	assert.Equal(t, "one", got[0].Data.Answer)
	assert.Equal(t, "u2", got[1].ClientID)
	assert.Equal(t, "two", got[1].Data.Answer)
	assert.True(t, got[1].BlockForm)
	for _, r := range got {
		assert.True(t, r.HasToken(realToken))
		assert.False(t, r.HasToken(realToken[:len(realToken)-1]))
		assert.False(t, r.HasToken(""))
	}
}

func TestWebhookEmptyArray(t *testing.T) {
	got, err := decodeWebhook([]byte(" [ ] "), nil)
	require.NoError(t, err)
	assert.Empty(t, got)
}

func TestWebhookWithoutToken(t *testing.T) {
	for _, body := range []string{`{"clientId":"u1"}`, `{"token":"","clientId":"u1"}`, `{"token":42,"clientId":"u1"}`} {
		got, err := decodeWebhook([]byte(body), nil)
		require.NoError(t, err, body)
		require.Len(t, got, 1)
		assert.False(t, got[0].HasToken(""), body)
		assert.False(t, got[0].HasToken("42"), body)
	}
}

func TestWebhookTokenNeverPrinted(t *testing.T) {
	got, err := decodeWebhook([]byte(`{"token":"`+realToken+`","clientId":"u1"}`), nil)
	require.NoError(t, err)
	r := got[0]
	r.Raw = nil // Raw is the delivery itself; everything else must be clean
	for _, s := range []string{fmt.Sprintf("%+v", r), fmt.Sprintf("%#v", r), fmt.Sprint(r)} {
		assert.NotContains(t, s, realToken)
		assert.NotContains(t, s, "718e36f7")
	}
	out, err := json.Marshal(r)
	require.NoError(t, err)
	assert.NotContains(t, string(out), realToken)
}

func TestWebhookOtherCallbacksKeptRaw(t *testing.T) {
	// A text-campaign sending report has none of Response's fields.
	body := `{"status":"SENT","textCampaignId":12,"eventSendingInfoId":34}`
	got, err := decodeWebhook([]byte(body), nil)
	require.NoError(t, err)
	require.Len(t, got, 1)
	assert.Equal(t, Response{}, got[0].Response)
	assert.JSONEq(t, body, string(got[0].Raw))
}

func TestWebhookMalformed(t *testing.T) {
	secret := `"token":"` + realToken + `"`
	cases := map[string]string{
		"":                          "webhook body is empty",
		" \r\n\t":                   "webhook body is empty",
		"\ufeff":                    "webhook body is empty",
		"null":                      "must be a JSON object or an array of objects",
		`"text"`:                    "must be a JSON object or an array of objects",
		`42`:                        "must be a JSON object or an array of objects",
		`{` + secret + `,`:          "not valid JSON at byte 61: unexpected end",
		`{` + secret + `} trailing`: "not valid JSON at byte 63",
		`[{` + secret + `}, 5]`:     "item 1: not a JSON object",
		`[null]`:                    "item 0: not a JSON object",
		`{` + secret + `,"data":{"confidence":"high"}}`: `field "data.confidence": got a JSON string, want float64`,
		`{` + secret + `,"clientId":{"a":1}}`:           "want a string or a number",
		`{` + secret + `,"data":{"replies":"none"}}`:    "want an array of reply objects",
	}
	for body, reason := range cases {
		got, err := decodeWebhook([]byte(body), nil)
		assert.Nil(t, got, "%q", body)
		require.Error(t, err, "%q", body)
		assert.Contains(t, err.Error(), reason, "%q", body)
		assert.True(t, strings.HasPrefix(err.Error(), "aimylogic: webhook body"), err.Error())
		assert.NotContains(t, err.Error(), "718e36f7", "the body, and so the token, is never quoted")
	}
}

func TestWebhookSyntaxPositionCountsSkippedBytes(t *testing.T) {
	_, err := decodeWebhook([]byte("\ufeff \n{,}"), nil)
	require.Error(t, err)
	// BOM (3 bytes) + space + newline + "{" = 6 bytes before the comma.
	assert.Contains(t, err.Error(), "at byte 7")
}

func TestWebhookSizeBound(t *testing.T) {
	// A body of exactly MaxWebhookBody bytes is decoded; one byte more is
	// refused before any parsing. White space pads the body, which keeps
	// the test fast under the race detector.
	head, tail := []byte(`[{"clientId":"u1"},`), []byte(`{"clientId":"u2"}]`)
	pad := bytes.Repeat([]byte(" "), MaxWebhookBody-len(head)-len(tail))
	body := append(append(append([]byte{}, head...), pad...), tail...)
	require.Len(t, body, MaxWebhookBody)
	got, err := decodeWebhook(body, nil)
	require.NoError(t, err)
	require.Len(t, got, 2)
	assert.Equal(t, "u2", got[1].ClientID)

	big := append(append(append([]byte{}, head...), pad...), append([]byte(" "), tail...)...)
	got, err = decodeWebhook(big, nil)
	assert.Nil(t, got)
	require.ErrorIs(t, err, chatbot.ErrBodyTooLarge)
	assert.Contains(t, err.Error(), fmt.Sprintf("of %d bytes exceeds %d", MaxWebhookBody+1, MaxWebhookBody))
}

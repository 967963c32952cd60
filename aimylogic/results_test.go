package aimylogic

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestAsyncBodyShapes(t *testing.T) {
	const id = "aaa99bea-aae1-41d2-aede-76e4f13b0ccc"
	for _, body := range []string{
		`"` + id + `"`,
		`{"questionId":"` + id + `"}`,
		`{"id":"` + id + `"}`,
		`{"questionId":"` + id + `","id":"other"}`,
		id,
		"\ufeff " + id + "\r\n",
	} {
		got, err := decodeAsyncBody([]byte(body))
		require.NoError(t, err, body)
		assert.Equal(t, &AsyncResult{QuestionID: id}, got, body)
	}
	got, err := decodeAsyncBody([]byte(`12345`))
	require.NoError(t, err)
	assert.Equal(t, "12345", got.QuestionID, "a numeric ID keeps its digits")

	for body, reason := range map[string]string{
		"":                        "empty body",
		"  \n":                    "empty body",
		`{}`:                      "no questionId",
		`{"questionId":""}`:       "no questionId",
		`""`:                      "empty request ID",
		`null`:                    "empty request ID",
		`true`:                    "want a string or a number",
		"<html>busy</html>":       "neither JSON nor",
		"two words":               "neither JSON nor",
		"{broken":                 "neither JSON nor",
		string(make([]byte, 300)): "neither JSON nor",
		"id\xff":                  "neither JSON nor",
	} {
		_, err := decodeAsyncBody([]byte(body))
		require.Error(t, err, "%q", body)
		assert.Contains(t, err.Error(), reason, "%q", body)
	}
}

func TestStatusBodyShapes(t *testing.T) {
	for body, want := range map[string]StatusResult{
		`"READ"`:                              {Status: StatusRead},
		`{"status":"DELIVERED"}`:              {Status: StatusDelivered},
		`{"questionId":"q1","status":"SENT"}`: {QuestionID: "q1", Status: StatusSent},
		`{"status":"ARCHIVED"}`:               {Status: "ARCHIVED"},
		"NOT_SENT\n":                          {Status: StatusNotSent},
	} {
		got, err := decodeStatusBody([]byte(body))
		require.NoError(t, err, body)
		assert.Equal(t, &want, got, body)
	}
	for _, body := range []string{``, `{}`, `""`, `null`, `{"status":5}`, `7`, `READ it`, "<html>", `{bad`} {
		_, err := decodeStatusBody([]byte(body))
		assert.Error(t, err, "%q", body)
	}
}

func TestMessageStatusKnown(t *testing.T) {
	for _, s := range []MessageStatus{StatusSent, StatusDelivered, StatusRead, StatusNotSent, StatusNotDelivered} {
		assert.True(t, s.Known(), s)
	}
	for _, s := range []MessageStatus{"", "read", "SEEN"} {
		assert.False(t, s.Known(), s)
	}
}

func TestUnreadCountShapes(t *testing.T) {
	for body, want := range map[string]int{
		`3`:                           3,
		`0`:                           0,
		`"12"`:                        12,
		`4.0`:                         4,
		`{"count":5}`:                 5,
		`{"count":"6","other":1}`:     6,
		`{"notReadCount":7}`:          7,
		`{"clientId":"c","unread":8}`: 8,
	} {
		var u UnreadCount
		require.NoError(t, json.Unmarshal([]byte(body), &u), body)
		assert.Equal(t, want, u.Count, body)
	}
	for body, reason := range map[string]string{
		`-1`:                 "non-negative whole number",
		`2.5`:                "non-negative whole number",
		`1e12`:               "non-negative whole number",
		`null`:               "not a number",
		`"x"`:                "not a number",
		`true`:               "not a number",
		`{}`:                 "no number in the object",
		`{"a":null,"b":"x"}`: "no number in the object",
		`{"a":1,"b":2}`:      "several numbers",
		`{"count":null}`:     "not a number",
	} {
		var u UnreadCount
		err := json.Unmarshal([]byte(body), &u)
		require.Error(t, err, body)
		assert.Contains(t, err.Error(), reason, body)
	}
}

func TestClientStateBody(t *testing.T) {
	s, err := decodeStateBody([]byte(` {"widget":{"open":true}} `))
	require.NoError(t, err)
	assert.False(t, s.Empty())
	assert.Equal(t, `{"widget":{"open":true}}`, string(s.JSON))
	var v struct {
		Widget struct {
			Open bool `json:"open"`
		} `json:"widget"`
	}
	require.NoError(t, s.Decode(&v))
	assert.True(t, v.Widget.Open)
	out, err := json.Marshal(s)
	require.NoError(t, err)
	assert.Equal(t, `{"widget":{"open":true}}`, string(out))

	for _, body := range []string{"", " \n", "null"} {
		s, err := decodeStateBody([]byte(body))
		require.NoError(t, err, "%q", body)
		assert.True(t, s.Empty(), "%q", body)
		assert.ErrorContains(t, s.Decode(&v), "nothing saved")
		out, err := json.Marshal(s)
		require.NoError(t, err)
		assert.Equal(t, "null", string(out))
	}
	_, err = decodeStateBody([]byte("<html>"))
	assert.ErrorContains(t, err, "not JSON")

	var viaJSON ClientState
	require.NoError(t, json.Unmarshal([]byte(`{"a":1}`), &viaJSON))
	assert.Equal(t, `{"a":1}`, string(viaJSON.JSON))
}

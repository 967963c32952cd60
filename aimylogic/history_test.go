package aimylogic

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// historyBody follows JAICP's ChatHistoryDto, the closest published model
// of a stored chat message.
const historyBody = `{
	"totalCount": 42,
	"messages": [
		{"questionId": "q1", "textMessage": "Hello", "author": "CLIENT", "status": "READ",
		 "timestamp": "2024-06-03T15:30:00Z"},
		{"questionId": "q2", "author": "BOT", "status": "DELIVERED",
		 "replies": [{"type":"text","text":"Hi!"}], "timestamp": "2024-06-03T15:30:01.5"},
		{"questionId": "q3", "author": "OPERATOR", "status": "SEEN_BY_ROBOT",
		 "eventData": {"name": "start"}, "replies": "not a list", "timestamp": "bad"},
		{"questionId": 4, "author": "NEW_AUTHOR"}
	]
}`

func TestHistoryDecoding(t *testing.T) {
	var h History
	require.NoError(t, json.Unmarshal([]byte(historyBody), &h))
	assert.Equal(t, 42, h.TotalCount)
	assert.JSONEq(t, historyBody, string(h.Raw))
	require.Len(t, h.Messages, 4)

	m := h.Messages[0]
	assert.Equal(t, "q1", m.QuestionID)
	assert.Equal(t, "Hello", m.TextMessage)
	assert.Equal(t, AuthorClient, m.Author)
	assert.Equal(t, StatusRead, m.Status)
	assert.Nil(t, m.EventData)
	assert.Nil(t, m.Replies)
	assert.Equal(t, time.Date(2024, 6, 3, 15, 30, 0, 0, time.UTC), m.Timestamp.Time)

	m = h.Messages[1]
	assert.Equal(t, "q2", m.QuestionID)
	assert.Empty(t, m.TextMessage)
	assert.Equal(t, AuthorBot, m.Author)
	assert.Equal(t, StatusDelivered, m.Status)
	assert.Equal(t, Replies{&TextReply{Text: "Hi!"}}, m.Replies)
	assert.Equal(t, time.Date(2024, 6, 3, 15, 30, 1, 500_000_000, time.UTC), m.Timestamp.Time)

	m = h.Messages[2]
	assert.Equal(t, AuthorOperator, m.Author)
	assert.Equal(t, MessageStatus("SEEN_BY_ROBOT"), m.Status, "unknown statuses pass through")
	assert.False(t, m.Status.Known())
	assert.JSONEq(t, `{"name":"start"}`, string(m.EventData))
	assert.Nil(t, m.Replies, "replies that are not a list are left to Raw")
	assert.Equal(t, "bad", m.Timestamp.Raw)
	assert.False(t, m.Timestamp.Valid())

	m = h.Messages[3]
	assert.Equal(t, "4", m.QuestionID)
	assert.Equal(t, Author("NEW_AUTHOR"), m.Author)
	assert.Empty(t, m.Status)
}

func TestHistoryBareArray(t *testing.T) {
	var h History
	require.NoError(t, json.Unmarshal([]byte(`[{"questionId":"q1"},{"questionId":"q2"}]`), &h))
	require.Len(t, h.Messages, 2)
	assert.Equal(t, "q2", h.Messages[1].QuestionID)
	assert.Zero(t, h.TotalCount, "no total given")
	assert.Equal(t, `[{"questionId":"q1"},{"questionId":"q2"}]`, string(h.Raw))

	require.NoError(t, json.Unmarshal([]byte(`null`), &h))
	assert.Equal(t, History{}, h)
	assert.Error(t, json.Unmarshal([]byte(`"history"`), &h))
	assert.Error(t, json.Unmarshal([]byte(`{"messages":{"a":1}}`), &h))
}

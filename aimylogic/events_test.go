package aimylogic

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestEventsPageShapes(t *testing.T) {
	var p EventsPage
	require.NoError(t, json.Unmarshal([]byte(`{"events":[]}`), &p))
	assert.Empty(t, p.Events)
	assert.Equal(t, "", p.NextTS(), "no event, no new ts")

	require.NoError(t, json.Unmarshal([]byte(`null`), &p))
	assert.Empty(t, p.Events)

	require.NoError(t, json.Unmarshal([]byte(`[{"type":"botResponse","event":{"questionId":"q1"}}]`), &p))
	require.Len(t, p.Events, 1, "a bare array is accepted too")
	assert.Equal(t, "q1", p.Events[0].QuestionID)

	for _, bad := range []string{`"events"`, `5`, `{"events":5}`, `{"events":[5]}`} {
		assert.Error(t, json.Unmarshal([]byte(bad), &p), bad)
	}
}

func TestEventsUnknownTypesKeepTheirPayload(t *testing.T) {
	in := `{"events":[
		{"type":"operatorReply","event":{"questionId":"q2","timestamp":"2022-09-28T12:32:14.000","text":"agent here"}},
		{"type":"botResponse","event":"not an object"},
		{"type":5,"event":{"timestamp":1664368335000}},
		{"type":"widgetState"}
	]}`
	var p EventsPage
	require.NoError(t, json.Unmarshal([]byte(in), &p), "odd events never fail the page")
	require.Len(t, p.Events, 4)

	e := p.Events[0]
	assert.Equal(t, EventType("operatorReply"), e.Type)
	assert.Nil(t, e.Response, "only botResponse payloads are decoded as a Response")
	assert.Equal(t, "q2", e.QuestionID)
	assert.Equal(t, "2022-09-28T12:32:14.000", e.Timestamp.Raw)
	assert.JSONEq(t, `{"questionId":"q2","timestamp":"2022-09-28T12:32:14.000","text":"agent here"}`, string(e.Payload))

	e = p.Events[1]
	assert.Equal(t, EventBotResponse, e.Type)
	assert.Nil(t, e.Response)
	assert.Empty(t, e.QuestionID)
	assert.Equal(t, `"not an object"`, string(e.Payload))

	e = p.Events[2]
	assert.Equal(t, EventType(""), e.Type, "a type that is not a string")
	assert.Equal(t, "1664368335000", e.Timestamp.Raw)

	assert.Nil(t, p.Events[3].Payload)
	assert.Equal(t, "1664368335000", p.NextTS(), "the newest timestamp of any event")

	out, err := json.Marshal(p.Events[0])
	require.NoError(t, err)
	assert.JSONEq(t, `{"type":"operatorReply","event":{"questionId":"q2","timestamp":"2022-09-28T12:32:14.000","text":"agent here"}}`, string(out))
}

func TestEventsMaybeTruncated(t *testing.T) {
	item := `{"type":"botResponse","event":{"questionId":"q"}}`
	for _, n := range []int{MaxEvents - 1, MaxEvents} {
		body := fmt.Sprintf(`{"events":[%s]}`, strings.TrimSuffix(strings.Repeat(item+",", n), ","))
		var p EventsPage
		require.NoError(t, json.Unmarshal([]byte(body), &p))
		require.Len(t, p.Events, n)
		assert.Equal(t, n == MaxEvents, p.MaybeTruncated(), n)
	}
}

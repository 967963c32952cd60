package chatbot_test

import (
	"context"
	"encoding/json"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	chatbot "github.com/chatbot-sdk/chatbot-go"
	"github.com/chatbot-sdk/chatbot-go/internal/testkit"
)

func TestTimeDecodesLeniently(t *testing.T) {
	cases := []struct {
		in    string
		raw   string
		want  time.Time
		valid bool
	}{
		{`"2024-01-27T15:02:51.970Z"`, "2024-01-27T15:02:51.970Z", time.Date(2024, 1, 27, 15, 2, 51, 970e6, time.UTC), true},
		{`"2024-16-01T10:07:04.296Z"`, "2024-16-01T10:07:04.296Z", time.Date(2024, 1, 16, 10, 7, 4, 296e6, time.UTC), true},
		{`"2024-16-13T10:07:04Z"`, "2024-16-13T10:07:04Z", time.Time{}, false},
		{`"yesterday"`, "yesterday", time.Time{}, false},
		{`null`, "", time.Time{}, false},
		{`12345`, "12345", time.Time{}, false},
	}
	for _, c := range cases {
		var v struct {
			At chatbot.Time `json:"at"`
		}
		require.NoError(t, json.Unmarshal([]byte(`{"at":`+c.in+`}`), &v), c.in)
		assert.Equal(t, c.raw, v.At.Raw, c.in)
		assert.True(t, c.want.Equal(v.At.Time), c.in)
		assert.Equal(t, c.valid, v.At.Valid(), c.in)
	}
}

func TestTimeRoundTrips(t *testing.T) {
	var v struct{ At, Null chatbot.Time }
	require.NoError(t, json.Unmarshal([]byte(`{"At":"2024-16-01T10:07:04.296Z","Null":null}`), &v))
	out, err := json.Marshal(v)
	require.NoError(t, err)
	assert.JSONEq(t, `{"At":"2024-16-01T10:07:04.296Z","Null":null}`, string(out))
	out, err = json.Marshal(chatbot.Time{Time: time.Date(2025, 2, 3, 4, 5, 6, 0, time.UTC)})
	require.NoError(t, err)
	assert.Equal(t, `"2025-02-03T04:05:06Z"`, string(out))
}

func TestOneBadDateDoesNotFailAResponse(t *testing.T) {
	body := `{"success":true,"conversations":[{"id":"a","createdAt":"garbage"},{"id":"b","createdAt":"2024-01-01T00:00:00Z"}],"pagination":{"total":2,"last":"b"}}`
	rec := serveChatThing(t, listChatsExchange(testkit.Reply{Body: body}))
	page, err := rec.client(t).Chats.List(context.Background(), nil)
	require.NoError(t, err)
	assert.False(t, page.Conversations[0].CreatedAt.Valid())
	assert.Equal(t, "garbage", page.Conversations[0].CreatedAt.Raw)
	assert.True(t, page.Conversations[1].CreatedAt.Valid())
}

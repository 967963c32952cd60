package botuj_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/chatbot-sdk/chatbot-go/botuj"
)

// fixture reads a file of testdata/botuj at the module root.
func fixture(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "testdata", "botuj", name))
	require.NoError(t, err)
	return b
}

func TestFixtureMessages(t *testing.T) {
	cases := []struct{ file, text string }{
		{"message.json", "Who are you"},
		{"message_pl.json", "Kim jesteś"},
	}
	for _, tc := range cases {
		t.Run(tc.file, func(t *testing.T) {
			var m botuj.Message
			require.NoError(t, json.Unmarshal(fixture(t, tc.file), &m))
			assert.Equal(t, botuj.ID(10906), m.ID)
			assert.Equal(t, tc.text, m.Message)
			assert.Equal(t, "781a207d-8ca7-44e5-9939-03d18e9a99a8", m.UserID)
			assert.True(t, m.IsUser)
			assert.Equal(t, botuj.TypeFreeshot, m.Type)
			assert.Equal(t, "2024-06-23T11:58:10.169778Z", m.CreatedOn.Raw)
			assert.True(t, m.CreatedOn.Valid())
			assert.True(t, time.Date(2024, 6, 23, 11, 58, 10, 169778000, time.UTC).Equal(m.CreatedOn.Time))
		})
	}
}

func TestFixtureConversations(t *testing.T) {
	cases := []struct{ file, raw, text string }{
		{"conversation.json", `{"message":"Hej! W czym moge Ci dzisiaj pomoc"}`, "Hej! W czym moge Ci dzisiaj pomoc"},
		{"conversation_pl.json", `{"message":"Hej! W czym mogę Ci dzisiaj pomóc"}`, "Hej! W czym mogę Ci dzisiaj pomóc"},
	}
	for _, tc := range cases {
		t.Run(tc.file, func(t *testing.T) {
			var c botuj.Conversation
			require.NoError(t, json.Unmarshal(fixture(t, tc.file), &c))
			assert.Equal(t, botuj.ID(7202), c.ID)
			assert.Equal(t, botuj.TypeFreeshot, c.Type)
			assert.Equal(t, 10, c.Count)
			assert.Equal(t, "tC4lQY781a207d-8ca7-44e5-9939-03d18e9a99a8", c.SessionID)
			assert.Equal(t, "Hej", c.FirstUserMessage)
			assert.Equal(t, tc.raw, c.FirstBotMessage)
			assert.Equal(t, "2024-06-23T11:34:35.397713Z", c.CreatedOn.Raw)
			assert.True(t, time.Date(2024, 6, 23, 11, 34, 35, 397713000, time.UTC).Equal(c.CreatedOn.Time))

			bot, err := c.DecodeFirstBotMessage()
			require.NoError(t, err)
			assert.Equal(t, tc.text, bot.Message)
			assert.Equal(t, map[string]json.RawMessage{"message": json.RawMessage(mustQuote(t, tc.text))}, bot.Fields)
			assert.Equal(t, tc.text, c.FirstBotText())
		})
	}
}

// TestFixturesRoundTrip checks that encoding a decoded item gives back the
// documented JSON: no field is lost or renamed on the way.
func TestFixturesRoundTrip(t *testing.T) {
	for _, name := range []string{"message.json", "message_pl.json"} {
		var m botuj.Message
		require.NoError(t, json.Unmarshal(fixture(t, name), &m))
		out, err := json.Marshal(m)
		require.NoError(t, err)
		assert.JSONEq(t, string(fixture(t, name)), string(out), name)
	}
	for _, name := range []string{"conversation.json", "conversation_pl.json"} {
		var c botuj.Conversation
		require.NoError(t, json.Unmarshal(fixture(t, name), &c))
		out, err := json.Marshal(c)
		require.NoError(t, err)
		assert.JSONEq(t, string(fixture(t, name)), string(out), name)
	}
}

func mustQuote(t *testing.T, s string) string {
	t.Helper()
	b, err := json.Marshal(s)
	require.NoError(t, err)
	return string(b)
}

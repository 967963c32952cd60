package botuj

import (
	"encoding/json"
	"errors"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	chatbot "github.com/chatbot-sdk/chatbot-go"
)

func TestIDDecodes(t *testing.T) {
	cases := []struct {
		in   string
		want ID
	}{
		{`7202`, 7202},
		{`"1234"`, 1234},
		{`0`, 0},
		{`-5`, -5},
		{`"9223372036854775807"`, 9223372036854775807},
	}
	for _, tc := range cases {
		var id ID
		require.NoError(t, json.Unmarshal([]byte(tc.in), &id), tc.in)
		assert.Equal(t, tc.want, id, tc.in)
	}

	id := ID(42)
	require.NoError(t, json.Unmarshal([]byte(`null`), &id))
	assert.Equal(t, ID(42), id, "null leaves the id as it was")
}

func TestIDRejects(t *testing.T) {
	for _, in := range []string{`1.5`, `1e3`, `"abc"`, `""`, `" 12"`, `true`, `{}`, `[]`, `9223372036854775808`, `"0x10"`} {
		var id ID
		err := json.Unmarshal([]byte(in), &id)
		assert.Error(t, err, in)
		assert.Equal(t, ID(0), id, in)
	}
}

// TestIDErrorDoesNotRepeatTheValue checks that a server echoing a secret
// into an id cannot put it into an error.
func TestIDErrorDoesNotRepeatTheValue(t *testing.T) {
	var id ID
	err := json.Unmarshal([]byte(`"sk-live-SECRET"`), &id)
	assert.EqualError(t, err, "botuj: id is a 14-byte string that is not a 64-bit integer")
	err = json.Unmarshal([]byte(`12345678901234567890123`), &id)
	assert.EqualError(t, err, "botuj: id is a number that is not a 64-bit integer")

	c := Conversation{FirstBotMessage: "sk-live-SECRET"}
	_, err = c.DecodeFirstBotMessage()
	assert.NotContains(t, err.Error(), "SECRET")
}

func TestIDStringAndMarshal(t *testing.T) {
	assert.Equal(t, "1234", ID(1234).String())
	b, err := json.Marshal(struct {
		ID ID `json:"id"`
	}{7202})
	require.NoError(t, err)
	assert.JSONEq(t, `{"id":7202}`, string(b), "an ID encodes as a JSON number")
}

func TestTimeParses(t *testing.T) {
	cases := []struct {
		in   string
		want time.Time
	}{
		{"2024-06-23T11:58:10.169778Z", time.Date(2024, 6, 23, 11, 58, 10, 169778000, time.UTC)},
		{"2024-06-23T11:58:10Z", time.Date(2024, 6, 23, 11, 58, 10, 0, time.UTC)},
		{"2024-06-23T11:58:10.1Z", time.Date(2024, 6, 23, 11, 58, 10, 100000000, time.UTC)},
		{"2024-06-23T11:58:10.123456789Z", time.Date(2024, 6, 23, 11, 58, 10, 123456789, time.UTC)},
		{"2024-06-23T13:58:10.169778+02:00", time.Date(2024, 6, 23, 11, 58, 10, 169778000, time.UTC)},
		{"2024-06-23T11:58:10.169778", time.Date(2024, 6, 23, 11, 58, 10, 169778000, time.UTC)},
		{"2024-06-23T11:58:10", time.Date(2024, 6, 23, 11, 58, 10, 0, time.UTC)},
	}
	for _, tc := range cases {
		var ts Time
		require.NoError(t, json.Unmarshal([]byte(`"`+tc.in+`"`), &ts), tc.in)
		assert.True(t, ts.Valid(), tc.in)
		assert.True(t, tc.want.Equal(ts.Time), "%s: got %v", tc.in, ts.Time)
		assert.Equal(t, tc.in, ts.Raw)
	}
}

// TestTimeNeverFails checks that an odd createdOn keeps its text and
// leaves the time zero instead of failing the item.
func TestTimeNeverFails(t *testing.T) {
	cases := []struct{ in, raw string }{
		{`"yesterday"`, "yesterday"},
		{`"2024-16-01T10:07:04Z"`, "2024-16-01T10:07:04Z"}, // no month/day swap, unlike chatbot.Time
		{`"2024-06-23 11:58:10"`, "2024-06-23 11:58:10"},
		{`""`, ""},
		{`1719143890`, "1719143890"},
		{`{"a":1}`, `{"a":1}`},
		{`null`, ""},
	}
	for _, tc := range cases {
		var m Message
		err := json.Unmarshal([]byte(`{"id":1,"createdOn":`+tc.in+`}`), &m)
		require.NoError(t, err, tc.in)
		assert.False(t, m.CreatedOn.Valid(), tc.in)
		assert.True(t, m.CreatedOn.Time.IsZero(), tc.in)
		assert.Equal(t, tc.raw, m.CreatedOn.Raw, tc.in)
		assert.Equal(t, ID(1), m.ID, "the rest of the item decodes")
	}
}

func TestTimeMarshal(t *testing.T) {
	b, err := json.Marshal(Time{Raw: "2024-06-23T11:58:10.169778Z"})
	require.NoError(t, err)
	assert.Equal(t, `"2024-06-23T11:58:10.169778Z"`, string(b), "the raw text goes back out")

	b, err = json.Marshal(Time{})
	require.NoError(t, err)
	assert.Equal(t, `null`, string(b))

	b, err = json.Marshal(Time{Time: time.Date(2024, 6, 23, 13, 0, 0, 5000, time.FixedZone("CEST", 7200))})
	require.NoError(t, err)
	assert.Equal(t, `"2024-06-23T11:00:00.000005Z"`, string(b), "a time built in code is written in UTC")
}

func TestListParamsCheck(t *testing.T) {
	valid := []*ListParams{nil, {}, {Page: 1}, {Page: 1 << 30, Limit: 100}, {Limit: 1}, {Limit: 20}}
	for _, p := range valid {
		assert.NoError(t, p.check(), "%+v", p)
	}
	invalid := []struct {
		p     ListParams
		field string
	}{
		{ListParams{Page: -1}, "Page"},
		{ListParams{Limit: -1}, "Limit"},
		{ListParams{Limit: 101}, "Limit"},
		{ListParams{Page: -1, Limit: 500}, "Page"},
	}
	for _, tc := range invalid {
		err := tc.p.check()
		var ve *chatbot.ValidationError
		require.True(t, errors.As(err, &ve), "%+v: %v", tc.p, err)
		assert.Equal(t, tc.field, ve.Field)
		assert.NotEmpty(t, ve.Reason)
	}
	err := (&ListParams{Limit: 101}).check()
	assert.Contains(t, err.Error(), "between 1 and 100")
}

func TestConversationSessionIDSpellings(t *testing.T) {
	for _, key := range []string{"sessionid", "sessionId", "SessionID"} {
		var c Conversation
		require.NoError(t, json.Unmarshal([]byte(`{"id":1,"`+key+`":"abc"}`), &c))
		assert.Equal(t, "abc", c.SessionID, key)
	}
}

func TestConversationFirstBotMessageForms(t *testing.T) {
	cases := []struct {
		name, in, raw, text string
		decodeErr           bool
		message             string
	}{
		{"documented string", `"{\"message\":\"Hej\"}"`, `{"message":"Hej"}`, "Hej", false, "Hej"},
		{"document sent as an object", `{"message":"Hej","buttons":["a"]}`, `{"message":"Hej","buttons":["a"]}`, "Hej", false, "Hej"},
		{"plain text", `"Hej! W czym mogę pomóc"`, "Hej! W czym mogę pomóc", "Hej! W czym mogę pomóc", true, ""},
		{"null", `null`, "", "", false, ""},
		{"empty", `""`, "", "", false, ""},
		{"document without message", `"{\"text\":\"Hej\"}"`, `{"text":"Hej"}`, `{"text":"Hej"}`, false, ""},
		{"message not a string", `"{\"message\":{\"a\":1}}"`, `{"message":{"a":1}}`, `{"message":{"a":1}}`, false, ""},
		{"empty message", `"{\"message\":\"\"}"`, `{"message":""}`, "", false, ""},
		{"JSON array", `"[1,2]"`, `[1,2]`, `[1,2]`, true, ""},
		{"JSON null document", `"null"`, `null`, `null`, true, ""},
		{"number", `12`, `12`, `12`, true, ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var c Conversation
			require.NoError(t, json.Unmarshal([]byte(`{"id":1,"firstBotMessage":`+tc.in+`}`), &c))
			assert.Equal(t, ID(1), c.ID)
			assert.Equal(t, tc.raw, c.FirstBotMessage)
			assert.Equal(t, tc.text, c.FirstBotText())
			bot, err := c.DecodeFirstBotMessage()
			if tc.decodeErr {
				assert.ErrorIs(t, err, errNotBotDocument)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tc.message, bot.Message)
		})
	}
}

func TestConversationFirstBotMessageExtraFields(t *testing.T) {
	c := Conversation{FirstBotMessage: `{"message":"Hej","buttons":[{"title":"Tak"}]}`}
	bot, err := c.DecodeFirstBotMessage()
	require.NoError(t, err)
	assert.Equal(t, "Hej", bot.Message)
	assert.JSONEq(t, `[{"title":"Tak"}]`, string(bot.Fields["buttons"]))
}

func TestConversationDecodeErrors(t *testing.T) {
	for _, in := range []string{`{"id":"x"}`, `{"count":"ten"}`, `[]`} {
		var c Conversation
		assert.Error(t, json.Unmarshal([]byte(in), &c), in)
	}
	c := Conversation{ID: 3}
	require.NoError(t, json.Unmarshal([]byte(`null`), &c))
	assert.Equal(t, ID(3), c.ID, "null leaves the conversation as it was")
}

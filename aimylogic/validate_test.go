package aimylogic

import (
	"encoding/json"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/google/go-querystring/query"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	chatbot "github.com/chatbot-sdk/chatbot-go"
)

// validator is any params struct of the package.
type validator interface{ Validate() error }

// assertInvalid checks that err is a *chatbot.ValidationError for field
// whose reason contains reason.
func assertInvalid(t *testing.T, err error, field, reason string) {
	t.Helper()
	var ve *chatbot.ValidationError
	require.ErrorAs(t, err, &ve)
	assert.Equal(t, field, ve.Field)
	assert.Contains(t, ve.Reason, reason)
}

// badIDs are client IDs every call refuses, with the reason given.
var badIDs = []struct{ id, reason string }{
	{"", "must not be empty"},
	{"  ", "must not be empty"},
	{".", `must not be "."`},
	{"..", `must not be ".."`},
	{"a/b", `must not contain "/"`},
	{"a?b", `must not contain "/"`},
	{"a#b", `must not contain "/"`},
	{"a%2Fb", `must not contain "/"`},
	{"a\nb", "control characters"},
	{"a\x00b", "control characters"},
	{"a\x7fb", "control characters"},
	{"a\u0085b", "control characters"},
	{"a\xffb", "valid UTF-8"},
	{strings.Repeat("x", MaxIDBytes+1), "is 1025 bytes long; IDs are at most 1024"},
}

// goodIDs are client IDs every call accepts.
var goodIDs = []string{"test", "user 42", "Пользователь", "a.b", "x@example.com", strings.Repeat("x", MaxIDBytes), "+7 (900) 000-00-00"}

func TestClientIDRulesOnEveryCall(t *testing.T) {
	withID := map[string]func(id string) validator{
		"SendParams":       func(id string) validator { return &SendParams{ClientID: id, Query: "hi"} },
		"SimpleSendParams": func(id string) validator { return &SimpleSendParams{ClientID: id, Event: "start"} },
		"EventsParams":     func(id string) validator { return &EventsParams{ClientID: id} },
		"HistoryParams":    func(id string) validator { return &HistoryParams{ClientID: id} },
		"SaveStateParams":  func(id string) validator { return &SaveStateParams{ClientID: id, State: map[string]int{"a": 1}} },
		"SetStatusParams":  func(id string) validator { return &SetStatusParams{ClientID: id, QuestionID: "q", Status: StatusRead} },
		"SetStatusesParams": func(id string) validator {
			return &SetStatusesParams{ClientID: id, Statuses: []StatusUpdate{{"q", StatusRead}}}
		},
	}
	for name, build := range withID {
		t.Run(name, func(t *testing.T) {
			for _, bad := range badIDs {
				assertInvalid(t, build(bad.id).Validate(), "ClientID", bad.reason)
			}
			for _, id := range goodIDs {
				assert.NoError(t, build(id).Validate(), id)
			}
		})
	}
}

func TestNilParamsAreRefused(t *testing.T) {
	for _, v := range []validator{
		(*SendParams)(nil), (*SimpleSendParams)(nil), (*EventsParams)(nil), (*HistoryParams)(nil),
		(*SaveStateParams)(nil), (*SetStatusParams)(nil), (*SetStatusesParams)(nil),
	} {
		assertInvalid(t, v.Validate(), "params", "must not be nil")
	}
}

func TestSendParamsQueryOrEvent(t *testing.T) {
	for _, build := range []func(q, e string) validator{
		func(q, e string) validator { return &SendParams{ClientID: "c", Query: q, Event: e} },
		func(q, e string) validator { return &SimpleSendParams{ClientID: "c", Query: q, Event: e} },
	} {
		assertInvalid(t, build("", "").Validate(), "Query", "one of Query or Event is required")
		assertInvalid(t, build("hi", "start").Validate(), "Event", "must be empty when Query is set")
		assertInvalid(t, build(" \t", "").Validate(), "Query", "only whitespace")
		assertInvalid(t, build("", " ").Validate(), "Event", "only whitespace")
		assertInvalid(t, build("", "st\nart").Validate(), "Event", "control characters")
		assert.NoError(t, build("hi\nthere", "").Validate(), "a query may span lines")
		assert.NoError(t, build("", "start").Validate())
	}
}

func TestSendParamsCID(t *testing.T) {
	assert.NoError(t, (&SendParams{ClientID: "c", Query: "q"}).Validate(), "CID is optional")
	assertInvalid(t, (&SendParams{ClientID: "c", Query: "q", CID: "tab\r1"}).Validate(), "CID", "control characters")
	assertInvalid(t, (&SimpleSendParams{ClientID: "c", Query: "q", CID: strings.Repeat("c", MaxIDBytes+1)}).Validate(), "CID", "at most 1024")
	assertInvalid(t, (&EventsParams{ClientID: "c", CID: "  "}).Validate(), "CID", "must not be empty")
}

func TestSendParamsBody(t *testing.T) {
	p := SendParams{ClientID: "c", Event: "start", Data: map[string]any{"plan": "pro", "n": 2}}
	require.NoError(t, p.Validate())
	b, err := json.Marshal(p)
	require.NoError(t, err)
	assert.JSONEq(t, `{"clientId":"c","event":"start","data":{"plan":"pro","n":2}}`, string(b))
}

func TestSimpleSendParamsQuery(t *testing.T) {
	v, err := query.Values(SimpleSendParams{ClientID: "user 1", Query: "Hi & bye?"})
	require.NoError(t, err)
	assert.Equal(t, "clientId=user+1&query=Hi+%26+bye%3F", v.Encode())
	v, err = query.Values(SimpleSendParams{ClientID: "c", Event: "start", CID: "tab-1"})
	require.NoError(t, err)
	assert.Equal(t, "cid=tab-1&clientId=c&event=start", v.Encode())
}

func TestEventsParams(t *testing.T) {
	assert.NoError(t, (&EventsParams{ClientID: "c", TS: "1664368333262"}).Validate())
	assert.NoError(t, (&EventsParams{ClientID: "c", TS: "2022-09-28T12:32:13.262"}).Validate())
	assert.NoError(t, (&EventsParams{ClientID: "c", TS: "2024-06-03T15:30:00Z"}).Validate())
	assertInvalid(t, (&EventsParams{ClientID: "c", TS: "yesterday"}).Validate(), "TS", "epoch milliseconds or a date-time")
	assertInvalid(t, (&EventsParams{ClientID: "c", TS: "-5"}).Validate(), "TS", "epoch milliseconds")

	v, err := query.Values(EventsParams{ClientID: "c", All: true, CID: "tab-1", TS: FormatTS(documentedAt)})
	require.NoError(t, err)
	assert.Equal(t, "all=true&cid=tab-1&clientId=c&ts=1664368333262", v.Encode())
	v, err = query.Values(EventsParams{ClientID: "c"})
	require.NoError(t, err)
	assert.Equal(t, url.Values{"clientId": {"c"}}, v, "defaults are left to the server")
}

func TestHistoryParams(t *testing.T) {
	from := time.Date(2024, 6, 1, 0, 0, 0, 0, time.UTC)
	to := from.Add(24 * time.Hour)
	assert.NoError(t, (&HistoryParams{ClientID: "c", From: &from, To: &to, Limit: 20, Offset: 40}).Validate())
	assert.NoError(t, (&HistoryParams{ClientID: "c", From: &from, To: &from}).Validate(), "an instant is a range")
	assertInvalid(t, (&HistoryParams{ClientID: "c", From: &to, To: &from}).Validate(), "From", "must not be after To")
	assertInvalid(t, (&HistoryParams{ClientID: "c", Limit: -1}).Validate(), "Limit", "between 1 and 1000")
	assertInvalid(t, (&HistoryParams{ClientID: "c", Limit: MaxHistoryLimit + 1}).Validate(), "Limit", "between 1 and 1000")
	assertInvalid(t, (&HistoryParams{ClientID: "c", Offset: -1}).Validate(), "Offset", "negative")

	v, err := query.Values(HistoryParams{ClientID: "c", From: &from, To: &to, Limit: 20, Offset: 40})
	require.NoError(t, err)
	assert.Equal(t, "fromTimestamp=1717200000&limit=20&offset=40&toTimestamp=1717286400", v.Encode(), "the client ID goes in the path")
	v, err = query.Values(HistoryParams{ClientID: "c"})
	require.NoError(t, err)
	assert.Empty(t, v, "no range and no paging: all history")
}

func TestSetStatusParams(t *testing.T) {
	for _, s := range []MessageStatus{StatusSent, StatusDelivered, StatusRead, StatusNotSent, StatusNotDelivered} {
		assert.NoError(t, (&SetStatusParams{ClientID: "c", QuestionID: "q", Status: s}).Validate(), s)
	}
	assertInvalid(t, (&SetStatusParams{ClientID: "c", QuestionID: "q", Status: "read"}).Validate(), "Status", `"read" is not one of SENT`)
	assertInvalid(t, (&SetStatusParams{ClientID: "c", QuestionID: "q"}).Validate(), "Status", `"" is not one of`)
	assertInvalid(t, (&SetStatusParams{ClientID: "c", QuestionID: "a/b", Status: StatusRead}).Validate(), "QuestionID", `"/"`)
	assertInvalid(t, (&SetStatusParams{ClientID: "c", Status: StatusRead}).Validate(), "QuestionID", "must not be empty")
}

func TestSetStatusesParams(t *testing.T) {
	ok := []StatusUpdate{{"q1", StatusDelivered}, {"q2", StatusRead}}
	p := SetStatusesParams{ClientID: "c", Statuses: ok}
	require.NoError(t, p.Validate())
	b, err := json.Marshal(p)
	require.NoError(t, err)
	assert.JSONEq(t, `{"statuses":[{"questionId":"q1","status":"DELIVERED"},{"questionId":"q2","status":"READ"}]}`, string(b))

	assertInvalid(t, (&SetStatusesParams{ClientID: "c"}).Validate(), "Statuses", "at least one")
	assertInvalid(t, (&SetStatusesParams{ClientID: "c", Statuses: []StatusUpdate{ok[0], {"", StatusRead}}}).Validate(), "Statuses[1].QuestionID", "must not be empty")
	assertInvalid(t, (&SetStatusesParams{ClientID: "c", Statuses: []StatusUpdate{ok[0], ok[1], {"q3", "SEEN"}}}).Validate(), "Statuses[2].Status", `"SEEN"`)
}

func TestSaveStateParams(t *testing.T) {
	type widget struct {
		Open bool `json:"open"`
	}
	for _, state := range []any{widget{true}, &widget{}, map[string]any{}, json.RawMessage(` {"a":[1]} `), []byte(`{}`)} {
		p := SaveStateParams{ClientID: "c", State: state}
		assert.NoError(t, p.Validate(), "%#v", state)
	}
	b, err := (&SaveStateParams{ClientID: "c", State: json.RawMessage(" {\"a\":[1]}\n")}).body()
	require.NoError(t, err)
	assert.Equal(t, `{"a":[1]}`, string(b), "the state is the whole body, sent as given")

	for _, state := range []any{nil, (*widget)(nil), []int{1}, "text", 5, json.RawMessage(`{"a":`), json.RawMessage(nil), []byte("[]")} {
		assertInvalid(t, (&SaveStateParams{ClientID: "c", State: state}).Validate(), "State", "")
	}
	assertInvalid(t, (&SaveStateParams{ClientID: "c", State: map[string]any{"ch": make(chan int)}}).Validate(), "State", "does not encode as JSON")
}

func TestEventsParamsRefuseTSInSeconds(t *testing.T) {
	// ts is in milliseconds: seconds would be read as a moment in early
	// 1970 and ask for every event there is.
	for _, ts := range []string{"1583767519", "1583767519.497", "1", "0.5", "99999999999"} {
		p := &EventsParams{ClientID: "u", TS: ts}
		assertInvalid(t, p.Validate(), "TS", "looks like seconds")
		assertInvalid(t, p.Validate(), "TS", "in milliseconds")
	}
	assert.NoError(t, (&EventsParams{ClientID: "u", TS: "100000000000"}).Validate(), "1973-03-03 in milliseconds")
	assert.NoError(t, (&EventsParams{ClientID: "u", TS: "0"}).Validate(), "the epoch in either unit")
}

func TestFormatTSAlwaysValidates(t *testing.T) {
	ms := func(n int64) time.Time { return time.UnixMilli(n) }
	for _, at := range []time.Time{{}, ms(0), ms(1), ms(epochMillisFrom - 1), ms(epochMillisFrom), documentedAt, time.Date(9999, 12, 31, 0, 0, 0, 0, time.UTC)} {
		ts := FormatTS(at)
		assert.NoError(t, (&EventsParams{ClientID: "u", TS: ts}).Validate(), "FormatTS(%v) = %q", at, ts)
	}
	assert.Empty(t, FormatTS(ms(epochMillisFrom-1)), "its milliseconds would read as seconds")
	assert.Equal(t, "100000000000", FormatTS(ms(epochMillisFrom)))
	assert.Equal(t, "0", FormatTS(ms(0)))
}

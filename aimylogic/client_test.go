package aimylogic_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	chatbot "github.com/chatbot-sdk/chatbot-go"
	"github.com/chatbot-sdk/chatbot-go/aimylogic"
	"github.com/chatbot-sdk/chatbot-go/internal/testkit"
)

// token is a channel token that changes under every escaping: a space, a
// colon, a non-ASCII letter and a plus.
const token = "tok en:ü+1"

// root is the path every call of a default client starts with: the token
// path-escaped.
const root = "/chatapi/tok%20en:%C3%BC+1"

// documentedAt is the documented example's timestamp, read as UTC.
var documentedAt = time.Date(2022, 9, 28, 12, 32, 13, 262e6, time.UTC)

// aimyWire is what every Chat API request carries: it accepts JSON and
// names the SDK; only a request with a body has a Content-Type.
var aimyWire = testkit.Defaults{
	Header:   map[string]string{"Accept": "application/json"},
	NoHeader: []string{"Content-Type", "Authorization", "Cookie"},
	Check: func(t testing.TB, r *testkit.Request) {
		ua := r.Header.Get("User-Agent")
		assert.True(t, strings.HasPrefix(ua, "chatbot-go/"+chatbot.Version+" go/"), ua)
	},
}

// replay starts a replay server for exchanges and returns a client for it
// with fast retries.
func replay(t *testing.T, exchanges ...testkit.Exchange) (*aimylogic.Client, *testkit.Server) {
	t.Helper()
	srv := aimyWire.Serve(t, exchanges...)
	return clientFor(t, srv.URL()), srv
}

// clientFor returns a client for baseURL with fast retries and no poll
// pacing, closed when the test ends.
func clientFor(t *testing.T, baseURL string, opts ...chatbot.Option) *aimylogic.Client {
	t.Helper()
	c, err := aimylogic.NewClient(token, append([]chatbot.Option{
		chatbot.WithBaseURL(baseURL),
		chatbot.WithBackoff(time.Millisecond, 5*time.Millisecond),
		aimylogic.WithPollInterval(0),
	}, opts...)...)
	require.NoError(t, err)
	t.Cleanup(func() { _ = c.Close() })
	return c
}

// assertDocumented checks every field of the documented response example
// (testdata/aimylogic/webhook_result.json).
func assertDocumented(t *testing.T, r *aimylogic.Response) {
	t.Helper()
	assert.Equal(t, "test", r.ClientID)
	assert.Equal(t, "12345", r.QuestionID)
	assert.Empty(t, r.CID)
	assert.Equal(t, "/CatchAll", r.Data.NLPClass)
	assert.Equal(t, -0.010999999999999979, r.Data.Confidence)
	assert.Equal(t, aimylogic.Replies{&aimylogic.TextReply{Text: "Tell the bot something", State: "/CatchAll"}}, r.Data.Replies)
	assert.Equal(t, "Tell the bot something", r.Data.Answer)
	assert.False(t, r.Data.NewSessionStarted)
	assert.JSONEq(t, `[]`, string(r.Data.DebugData))
	assert.False(t, r.Data.EndSession)
	assert.Contains(t, string(r.Data.Raw), `"nlpClass": "/CatchAll"`)
	assert.Equal(t, "2022-09-28T12:32:13.262", r.Timestamp.Raw)
	assert.Equal(t, documentedAt, r.Timestamp.Time)
	assert.False(t, r.BlockForm)
}

func TestSend(t *testing.T) {
	c, _ := replay(t, testkit.Exchange{
		Method: http.MethodPost, Path: root,
		JSON:  `{"clientId": "test", "query": "Hello", "cid": "tab-1", "data": {"plan": "pro"}}`,
		Reply: testkit.Reply{File: "testdata/aimylogic/webhook_result.json"},
	})
	resp, err := c.Messages.Send(context.Background(), &aimylogic.SendParams{
		ClientID: "test", Query: "Hello", CID: "tab-1", Data: map[string]any{"plan": "pro"},
	})
	require.NoError(t, err)
	assertDocumented(t, resp)
}

func TestSendFixtureBody(t *testing.T) {
	// The request fixture is exactly what Send writes for these params.
	c, _ := replay(t, testkit.Exchange{
		Method: http.MethodPost, Path: root,
		JSON:  string(testkit.Fixture(t, "testdata/aimylogic/send_request.json")),
		Reply: testkit.Reply{File: "testdata/aimylogic/webhook_result.json"},
	})
	_, err := c.Messages.Send(context.Background(), &aimylogic.SendParams{ClientID: "test", Query: "Hello", CID: "tab-1"})
	require.NoError(t, err)
}

func TestSendEvent(t *testing.T) {
	c, _ := replay(t, testkit.Exchange{
		Method: http.MethodPost, Path: root, JSON: `{"clientId": "u 1", "event": "start"}`,
		Reply: testkit.Reply{Body: `{"clientId":"u 1","questionId":"q","data":{"replies":[],"answer":""},"timestamp":"2024-01-01T00:00:00.000","blockForm":true}`},
	})
	resp, err := c.Messages.Send(context.Background(), &aimylogic.SendParams{ClientID: "u 1", Event: "start"})
	require.NoError(t, err)
	assert.Equal(t, "u 1", resp.ClientID)
	assert.True(t, resp.BlockForm)
	assert.Empty(t, resp.Data.Replies)
}

func TestSendSimple(t *testing.T) {
	c, _ := replay(t, testkit.Exchange{
		Method: http.MethodGet, Path: root,
		Query: url.Values{"clientId": {"test"}, "query": {"Hello there"}, "cid": {"tab-1"}},
		Reply: testkit.Reply{File: "testdata/aimylogic/webhook_result.json"},
	})
	resp, err := c.Messages.SendSimple(context.Background(), &aimylogic.SimpleSendParams{ClientID: "test", Query: "Hello there", CID: "tab-1"})
	require.NoError(t, err)
	assertDocumented(t, resp)
}

func TestSendAsyncBodies(t *testing.T) {
	const id = "5b0e4b7e-3f4e-4c38-9a55-1f0d2f6a8c11"
	for name, reply := range map[string]testkit.Reply{
		"object":      {File: "testdata/aimylogic/client_async.json"},
		"id field":    {Body: `{"id": "` + id + `"}`},
		"JSON string": {Body: `"` + id + `"`},
		"plain text":  {Body: id + "\n", Header: http.Header{"Content-Type": {"text/plain"}}},
	} {
		t.Run(name, func(t *testing.T) {
			c, _ := replay(t, testkit.Exchange{
				Method: http.MethodPost, Path: root + "/async", JSON: `{"clientId": "test", "query": "Hello"}`, Reply: reply,
			})
			res, err := c.Messages.SendAsync(context.Background(), &aimylogic.SendParams{ClientID: "test", Query: "Hello"})
			require.NoError(t, err)
			assert.Equal(t, id, res.QuestionID)
		})
	}
}

func TestSendAsyncRefusesAPage(t *testing.T) {
	c, _ := replay(t, testkit.Exchange{
		Method: http.MethodPost, Path: root + "/async", JSON: `{"clientId": "test", "query": "Hello"}`,
		Reply: testkit.Reply{Body: "<html>maintenance</html>", Header: http.Header{"Content-Type": {"text/html"}}},
	})
	_, err := c.Messages.SendAsync(context.Background(), &aimylogic.SendParams{ClientID: "test", Query: "Hello"})
	var de *chatbot.DecodeError
	require.ErrorAs(t, err, &de)
	assert.Equal(t, "Messages.SendAsync", de.Op)
	assert.True(t, strings.HasPrefix(err.Error(), "aimylogic: Messages.SendAsync: decoding response: async response:"), err.Error())
}

func TestSendIsNotRepeatedAfterServerError(t *testing.T) {
	// A 502 may come after the bot saw the message: a send is not retried.
	c, _ := replay(t, testkit.Exchange{
		Method: http.MethodPost, Path: root, JSON: `{"clientId": "test", "query": "Hello"}`,
		Reply: testkit.Reply{Status: http.StatusBadGateway, Body: "Bad gateway"},
	})
	_, err := c.Messages.Send(context.Background(), &aimylogic.SendParams{ClientID: "test", Query: "Hello"})
	var api *chatbot.APIError
	require.ErrorAs(t, err, &api)
	assert.Equal(t, http.StatusBadGateway, api.StatusCode)
	assert.Equal(t, 1, api.Attempts)
}

func TestSendRequestTimeout(t *testing.T) {
	// A bot that does not answer in time makes the server answer 408.
	c, _ := replay(t, testkit.Exchange{
		Method: http.MethodPost, Path: root, JSON: `{"clientId": "test", "query": "Hello"}`,
		Reply: testkit.Reply{Status: http.StatusRequestTimeout, Body: "Request timeout", Header: http.Header{"Content-Type": {"text/plain"}}},
	})
	_, err := c.Messages.Send(context.Background(), &aimylogic.SendParams{ClientID: "test", Query: "Hello"})
	var api *chatbot.APIError
	require.ErrorAs(t, err, &api)
	assert.Equal(t, http.StatusRequestTimeout, api.StatusCode)
	assert.Equal(t, "Request timeout", api.Message)
	assert.True(t, api.Temporary())
}

func TestEventsPoll(t *testing.T) {
	c, _ := replay(t, testkit.Exchange{
		Method: http.MethodGet, Path: root + "/events",
		Query: url.Values{"clientId": {"test"}, "all": {"true"}, "cid": {"tab-1"}, "ts": {"1664368333262"}},
		Reply: testkit.Reply{File: "testdata/aimylogic/events_constructed.json"},
	})
	pg, err := c.Events.Poll(context.Background(), &aimylogic.EventsParams{
		ClientID: "test", All: true, CID: "tab-1", TS: aimylogic.FormatTS(documentedAt),
	})
	require.NoError(t, err)
	require.Len(t, pg.Events, 1)
	e := pg.Events[0]
	assert.Equal(t, aimylogic.EventBotResponse, e.Type)
	assert.Equal(t, "12345", e.QuestionID)
	assert.Equal(t, documentedAt, e.Timestamp.Time)
	assert.Nil(t, e.Gap)
	require.NotNil(t, e.Response)
	assert.Equal(t, "12345", e.Response.QuestionID)
	assert.Equal(t, aimylogic.Replies{&aimylogic.TextReply{Text: "Tell the bot something", State: "/CatchAll"}}, e.Response.Data.Replies)
	assert.Contains(t, string(e.Payload), `"questionId": "12345"`)
	assert.False(t, pg.MaybeTruncated())
	assert.Equal(t, "1664368333262", pg.NextTS())
}

func TestEventsPollFindingNothing(t *testing.T) {
	for name, reply := range map[string]testkit.Reply{
		"empty list": {Body: `{"events":[]}`},
		"empty body": {},
		"408":        {Status: http.StatusRequestTimeout, Body: "Request timeout"},
	} {
		t.Run(name, func(t *testing.T) {
			times := 1
			if reply.Status == http.StatusRequestTimeout {
				times = 4 // a poll is idempotent: the engine asks again first
			}
			c, _ := replay(t, testkit.Exchange{
				Method: http.MethodGet, Path: root + "/events", Query: url.Values{"clientId": {"test"}}, Reply: reply, Times: times,
			})
			pg, err := c.Events.Poll(context.Background(), &aimylogic.EventsParams{ClientID: "test"})
			require.NoError(t, err)
			assert.Empty(t, pg.Events)
		})
	}
}

func TestEventsPollTimeoutIsNoEvents(t *testing.T) {
	// A server that holds the poll past the poll timeout found nothing.
	release := make(chan struct{})
	srv := aimyWire.Serve(t, testkit.Exchange{
		Method: http.MethodGet, Path: root + "/events", Query: url.Values{"clientId": {"test"}},
		Check: func(testing.TB, *testkit.Request) { <-release },
		Reply: testkit.Reply{Body: `{"events":[]}`},
	})
	defer close(release)
	c := clientFor(t, srv.URL(), aimylogic.WithPollTimeout(50*time.Millisecond), chatbot.WithMaxAttempts(1))
	pg, err := c.Events.Poll(context.Background(), &aimylogic.EventsParams{ClientID: "test"})
	require.NoError(t, err)
	assert.Empty(t, pg.Events)

	// The caller's own deadline is an error, not an empty page.
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err = c.Events.Poll(ctx, &aimylogic.EventsParams{ClientID: "test"})
	require.ErrorIs(t, err, context.Canceled)
}

func TestHistoryList(t *testing.T) {
	from := time.Date(2024, 6, 3, 0, 0, 0, 0, time.UTC)
	to := from.Add(24 * time.Hour)
	c, _ := replay(t, testkit.Exchange{
		Method: http.MethodGet, Path: root + "/client/user%2042/history",
		Query: url.Values{"fromTimestamp": {"1717372800"}, "toTimestamp": {"1717459200"}, "limit": {"20"}, "offset": {"40"}},
		Reply: testkit.Reply{File: "testdata/aimylogic/client_history.json"},
	})
	h, err := c.History.List(context.Background(), &aimylogic.HistoryParams{ClientID: "user 42", From: &from, To: &to, Limit: 20, Offset: 40})
	require.NoError(t, err)
	assert.Equal(t, 2, h.TotalCount)
	require.Len(t, h.Messages, 2)
	m := h.Messages[0]
	assert.Equal(t, "q-1", m.QuestionID)
	assert.Equal(t, "Hello", m.TextMessage)
	assert.Equal(t, aimylogic.AuthorClient, m.Author)
	assert.Equal(t, aimylogic.StatusRead, m.Status)
	assert.JSONEq(t, `{"name":"start"}`, string(m.EventData))
	assert.Nil(t, m.Replies)
	assert.Equal(t, time.Date(2024, 6, 3, 15, 30, 0, 0, time.UTC), m.Timestamp.Time)
	m = h.Messages[1]
	assert.Equal(t, "q-2", m.QuestionID)
	assert.Empty(t, m.TextMessage)
	assert.Equal(t, aimylogic.AuthorBot, m.Author)
	assert.Equal(t, aimylogic.StatusSent, m.Status)
	assert.Empty(t, m.EventData)
	assert.Equal(t, aimylogic.Replies{&aimylogic.TextReply{Text: "Hi! How can I help?", State: "/Start"}}, m.Replies)
	assert.Equal(t, time.Date(2024, 6, 3, 15, 30, 1, 250e6, time.UTC), m.Timestamp.Time)
	assert.JSONEq(t, string(testkit.Fixture(t, "testdata/aimylogic/client_history.json")), string(h.Raw))
}

func TestHistoryListAll(t *testing.T) {
	msg := func(id string) string {
		return `{"questionId":"` + id + `","author":"BOT","status":"SENT","timestamp":"2024-06-03T15:30:00.000"}`
	}
	c, _ := replay(t,
		testkit.Exchange{
			Method: http.MethodGet, Path: root + "/client/test/history", Query: url.Values{"limit": {"2"}, "offset": {"1"}},
			Reply: testkit.Reply{Body: `{"totalCount":6,"messages":[` + msg("b") + `,` + msg("c") + `]}`},
		},
		testkit.Exchange{
			Method: http.MethodGet, Path: root + "/client/test/history", Query: url.Values{"limit": {"2"}, "offset": {"3"}},
			Reply: testkit.Reply{Body: `{"totalCount":6,"messages":[` + msg("d") + `,` + msg("e") + `]}`},
		},
		testkit.Exchange{
			Method: http.MethodGet, Path: root + "/client/test/history", Query: url.Values{"limit": {"2"}, "offset": {"5"}},
			Reply: testkit.Reply{Body: `{"totalCount":6,"messages":[` + msg("f") + `]}`},
		},
	)
	var ids []string
	for m, err := range c.History.ListAll(context.Background(), &aimylogic.HistoryParams{ClientID: "test", Limit: 2, Offset: 1}) {
		require.NoError(t, err)
		ids = append(ids, m.QuestionID)
	}
	assert.Equal(t, []string{"b", "c", "d", "e", "f"}, ids)
}

func TestHistoryListAllStopsOnShortPage(t *testing.T) {
	msg := func(id string) string { return `{"questionId":"` + id + `"}` }
	c, _ := replay(t, testkit.Exchange{
		Method: http.MethodGet, Path: root + "/client/test/history", Query: url.Values{"limit": {"100"}},
		Reply: testkit.Reply{Body: `[` + msg("a") + `,` + msg("b") + `]`},
	})
	n := 0
	for _, err := range c.History.ListAll(context.Background(), &aimylogic.HistoryParams{ClientID: "test"}) {
		require.NoError(t, err)
		n++
	}
	assert.Equal(t, 2, n, "a short page ends the walk")
}

func TestStateSave(t *testing.T) {
	state := string(testkit.Fixture(t, "testdata/aimylogic/client_state.json"))
	c, _ := replay(t, testkit.Exchange{
		Method: http.MethodPost, Path: root + "/client/test/state", JSON: state,
	})
	err := c.State.Save(context.Background(), &aimylogic.SaveStateParams{ClientID: "test", State: map[string]any{
		"panel": "open", "draft": "Where is my order?", "step": 2,
	}})
	require.NoError(t, err)
}

func TestStateLoad(t *testing.T) {
	state := testkit.Fixture(t, "testdata/aimylogic/client_state.json")
	c, _ := replay(t,
		testkit.Exchange{Method: http.MethodGet, Path: root + "/client/test/state", Reply: testkit.Reply{Body: string(state)}},
		testkit.Exchange{Method: http.MethodGet, Path: root + "/client/new/state"},
	)
	got, err := c.State.Load(context.Background(), "test")
	require.NoError(t, err)
	assert.False(t, got.Empty())
	assert.JSONEq(t, string(state), string(got.JSON))
	var v struct {
		Panel string `json:"panel"`
		Draft string `json:"draft"`
		Step  int    `json:"step"`
	}
	require.NoError(t, got.Decode(&v))
	assert.Equal(t, "open", v.Panel)
	assert.Equal(t, "Where is my order?", v.Draft)
	assert.Equal(t, 2, v.Step)

	none, err := c.State.Load(context.Background(), "new")
	require.NoError(t, err)
	assert.True(t, none.Empty(), "an empty body is no state")
	assert.Error(t, none.Decode(&v))
}

func TestStatePathOption(t *testing.T) {
	srv := aimyWire.Serve(t,
		testkit.Exchange{Method: http.MethodGet, Path: root + "/clients/test/app-state", Reply: testkit.Reply{Body: `{}`}},
		testkit.Exchange{Method: http.MethodPost, Path: root + "/clients/test/app-state", JSON: `{"a":1}`},
	)
	c := clientFor(t, srv.URL(), aimylogic.WithStatePath("/clients/{clientId}/app-state/"))
	_, err := c.State.Load(context.Background(), "test")
	require.NoError(t, err)
	require.NoError(t, c.State.Save(context.Background(), &aimylogic.SaveStateParams{ClientID: "test", State: []byte(`{"a":1}`)}))
}

func TestStatusGet(t *testing.T) {
	c, _ := replay(t,
		testkit.Exchange{
			Method: http.MethodGet, Path: root + "/client/test/message/q-2/status",
			Reply: testkit.Reply{File: "testdata/aimylogic/client_status.json"},
		},
		testkit.Exchange{
			Method: http.MethodGet, Path: root + "/client/test/message/q-3/status",
			Reply: testkit.Reply{Body: "ARCHIVED", Header: http.Header{"Content-Type": {"text/plain"}}},
		},
	)
	st, err := c.Statuses.Get(context.Background(), "test", "q-2")
	require.NoError(t, err)
	assert.Equal(t, "q-2", st.QuestionID)
	assert.Equal(t, aimylogic.StatusDelivered, st.Status)

	st, err = c.Statuses.Get(context.Background(), "test", "q-3")
	require.NoError(t, err)
	assert.Empty(t, st.QuestionID)
	assert.Equal(t, aimylogic.MessageStatus("ARCHIVED"), st.Status, "an unknown status is kept")
	assert.False(t, st.Status.Known())
}

func TestStatusSet(t *testing.T) {
	c, _ := replay(t, testkit.Exchange{
		Method: http.MethodPost, Path: root + "/client/test/message/q-2/status",
		JSON: string(testkit.Fixture(t, "testdata/aimylogic/status_request.json")),
	})
	require.NoError(t, c.Statuses.Set(context.Background(), &aimylogic.SetStatusParams{ClientID: "test", QuestionID: "q-2", Status: aimylogic.StatusRead}))
}

func TestStatusSetMany(t *testing.T) {
	c, _ := replay(t, testkit.Exchange{
		Method: http.MethodPost, Path: root + "/client/test/message-statuses",
		JSON:  `{"statuses":[{"questionId":"q-1","status":"DELIVERED"},{"questionId":"q-2","status":"READ"}]}`,
		Reply: testkit.Reply{Body: `{"ok":true}`},
	})
	require.NoError(t, c.Statuses.SetMany(context.Background(), &aimylogic.SetStatusesParams{ClientID: "test", Statuses: []aimylogic.StatusUpdate{
		{QuestionID: "q-1", Status: aimylogic.StatusDelivered},
		{QuestionID: "q-2", Status: aimylogic.StatusRead},
	}}))
}

func TestUnreadCount(t *testing.T) {
	c, _ := replay(t,
		testkit.Exchange{
			Method: http.MethodGet, Path: root + "/client/test/message-not-read-count",
			Reply: testkit.Reply{File: "testdata/aimylogic/client_unread.json"},
		},
		testkit.Exchange{Method: http.MethodGet, Path: root + "/client/test/message-not-read-count", Reply: testkit.Reply{Body: `7`}},
		testkit.Exchange{Method: http.MethodGet, Path: root + "/client/test/message-not-read-count"},
		testkit.Exchange{Method: http.MethodGet, Path: root + "/client/test/history", Reply: testkit.Reply{Body: "null"}},
	)
	n, err := c.Statuses.UnreadCount(context.Background(), "test")
	require.NoError(t, err)
	assert.Equal(t, 3, n.Count)
	n, err = c.Statuses.UnreadCount(context.Background(), "test")
	require.NoError(t, err)
	assert.Equal(t, 7, n.Count)

	_, err = c.Statuses.UnreadCount(context.Background(), "test")
	var de *chatbot.DecodeError
	require.ErrorAs(t, err, &de, "an empty body is not a count of zero")
	assert.Contains(t, err.Error(), "empty body")

	_, err = c.History.List(context.Background(), &aimylogic.HistoryParams{ClientID: "test"})
	require.ErrorAs(t, err, &de, "null is not an empty history")
}

func TestRetriesIdempotentCalls(t *testing.T) {
	c, _ := replay(t,
		testkit.Exchange{
			Method: http.MethodGet, Path: root + "/client/test/message-not-read-count",
			Reply: testkit.Reply{Status: http.StatusBadGateway}, Times: 2,
		},
		testkit.Exchange{Method: http.MethodGet, Path: root + "/client/test/message-not-read-count", Reply: testkit.Reply{Body: `{"count":0}`}},
	)
	n, err := c.Statuses.UnreadCount(context.Background(), "test")
	require.NoError(t, err)
	assert.Equal(t, 0, n.Count)
}

package botuj_test

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	chatbot "github.com/chatbot-sdk/chatbot-go"
	"github.com/chatbot-sdk/chatbot-go/botuj"
	"github.com/chatbot-sdk/chatbot-go/internal/testkit"
)

// testKey is the API key of the replay tests. Its "/", "+", "&" and "="
// escape differently in a path, a query and JSON, so that AssertNoSecret
// has every form to look for.
const testKey = "bj_live/K3y+with&odd=chars"

// botujWire is what every botuj request carries: the bearer key, JSON
// accepted, the SDK's User-Agent, and no body type (all calls are GETs).
var botujWire = testkit.Defaults{
	Header:   map[string]string{"Authorization": "Bearer " + testKey, "Accept": "application/json"},
	NoHeader: []string{"Content-Type", "Cookie"},
	Check: func(t testing.TB, r *testkit.Request) {
		ua := r.Header.Get("User-Agent")
		assert.True(t, strings.HasPrefix(ua, "chatbot-go/"+chatbot.Version+" go/"), ua)
	},
}

// replayClient starts a replay server for exchanges and returns a client
// for it with fast retries.
func replayClient(t *testing.T, exchanges ...testkit.Exchange) (*botuj.Client, *testkit.Server) {
	t.Helper()
	srv := botujWire.Serve(t, exchanges...)
	c, err := botuj.NewClient(testKey, chatbot.WithBaseURL(srv.URL()), chatbot.WithBackoff(time.Millisecond, 5*time.Millisecond))
	require.NoError(t, err)
	t.Cleanup(func() { _ = c.Close() })
	return c, srv
}

// documented is the documented example request's query (page 2, 50 a
// page), as the client must send it.
var documented = &botuj.ListParams{Page: 2, Limit: 50}

const documentedQuery = "page=2&per_page=50"

// fixtureBody is a fixture of testdata/botuj as a string.
func fixtureBody(t *testing.T, name string) string {
	t.Helper()
	return string(testkit.Fixture(t, "testdata/botuj/"+name))
}

// shapes are the page envelopes each fixture is replayed in: the item
// alone (the documentation shows nothing more), a bare array, and arrays
// under "data" and under the resource's own key with metadata.
func shapes(item, resourceKey string) map[string]string {
	return map[string]string{
		"single item":  item,
		"bare array":   "[" + item + "]",
		"data":         `{"data":[` + item + `],"page":2,"per_page":50,"total":51,"last_page":2}`,
		"resource key": `{"` + resourceKey + `":[` + item + `],"meta":{"current_page":"2","per_page":50,"total":51},"links":{"next":null}}`,
	}
}

// wantMeta is the Pagination each shape gives for the documented request.
func wantMeta(shape string) botuj.Pagination {
	no := false
	switch shape {
	case "data":
		return botuj.Pagination{Page: 2, Limit: 50, Total: 51, LastPage: 2}
	case "resource key":
		return botuj.Pagination{Page: 2, Limit: 50, Total: 51, HasMore: &no}
	}
	return botuj.Pagination{Page: 2, Limit: 50}
}

func wantConversation(botText string) botuj.Conversation {
	return botuj.Conversation{
		ID:               7202,
		Type:             botuj.TypeFreeshot,
		Count:            10,
		SessionID:        "tC4lQY781a207d-8ca7-44e5-9939-03d18e9a99a8",
		FirstUserMessage: "Hej",
		FirstBotMessage:  `{"message":"` + botText + `"}`,
		CreatedOn: botuj.Time{
			Time: time.Date(2024, 6, 23, 11, 34, 35, 397713000, time.UTC),
			Raw:  "2024-06-23T11:34:35.397713Z",
		},
	}
}

func wantMessage(text string) botuj.Message {
	return botuj.Message{
		ID:      10906,
		Message: text,
		UserID:  "781a207d-8ca7-44e5-9939-03d18e9a99a8",
		IsUser:  true,
		Type:    botuj.TypeFreeshot,
		CreatedOn: botuj.Time{
			Time: time.Date(2024, 6, 23, 11, 58, 10, 169778000, time.UTC),
			Raw:  "2024-06-23T11:58:10.169778Z",
		},
	}
}

func TestConversationsListReplaysFixtures(t *testing.T) {
	fixtures := map[string]string{
		"conversation.json":    "Hej! W czym moge Ci dzisiaj pomoc",
		"conversation_pl.json": "Hej! W czym mogę Ci dzisiaj pomóc",
	}
	for file, botText := range fixtures {
		for shape, body := range shapes(fixtureBody(t, file), "conversations") {
			t.Run(file+"/"+shape, func(t *testing.T) {
				c, srv := replayClient(t, testkit.Exchange{
					Method: http.MethodGet, Path: "/v1/api/conversations", RawQuery: documentedQuery,
					Reply: testkit.Reply{Body: body},
				})
				page, err := c.Conversations.List(context.Background(), documented)
				require.NoError(t, err)
				require.Len(t, page.Items, 1)
				assert.Equal(t, wantConversation(botText), page.Items[0])
				assert.Equal(t, botText, page.Items[0].FirstBotText())
				assert.Equal(t, wantMeta(shape), page.Pagination)
				assert.False(t, page.More(), "one item of 50 is the last page")
				require.Len(t, srv.Requests(), 1)
			})
		}
	}
}

func TestMessagesListReplaysFixtures(t *testing.T) {
	fixtures := map[string]string{"message.json": "Who are you", "message_pl.json": "Kim jesteś"}
	for file, text := range fixtures {
		for shape, body := range shapes(fixtureBody(t, file), "messages") {
			t.Run(file+"/"+shape, func(t *testing.T) {
				// The documented example: conversation 1234, page 2, 50 a page.
				c, _ := replayClient(t, testkit.Exchange{
					Method: http.MethodGet, Path: "/v1/api/conversation-messages/1234", RawQuery: documentedQuery,
					Reply: testkit.Reply{Body: body},
				})
				page, err := c.Messages.List(context.Background(), 1234, documented)
				require.NoError(t, err)
				require.Len(t, page.Items, 1)
				assert.Equal(t, wantMessage(text), page.Items[0])
				assert.Equal(t, wantMeta(shape), page.Pagination)
			})
		}
	}
}

// TestListWithoutParamsSendsNoQuery checks that nil params leave paging to
// the server's defaults, and that the page then says so.
func TestListWithoutParamsSendsNoQuery(t *testing.T) {
	c, _ := replayClient(t,
		testkit.Exchange{Method: http.MethodGet, Path: "/v1/api/conversations", Reply: testkit.Reply{Body: `[]`}},
		testkit.Exchange{Method: http.MethodGet, Path: "/v1/api/conversation-messages/7202", Reply: testkit.Reply{Body: `null`}},
		testkit.Exchange{Method: http.MethodGet, Path: "/v1/api/conversations", RawQuery: "per_page=100", Reply: testkit.Reply{Body: `{"data":null}`}},
	)
	ctx := context.Background()
	convs, err := c.Conversations.List(ctx, nil)
	require.NoError(t, err)
	assert.Equal(t, &botuj.ConversationPage{Items: []botuj.Conversation{}, Pagination: botuj.Pagination{Page: 1, Limit: botuj.DefaultPageLimit}}, convs)
	assert.False(t, convs.More())

	msgs, err := c.Messages.List(ctx, 7202, &botuj.ListParams{})
	require.NoError(t, err)
	assert.NotNil(t, msgs.Items, "an empty page has an empty, non-nil slice")
	assert.Empty(t, msgs.Items)

	convs, err = c.Conversations.List(ctx, &botuj.ListParams{Limit: 100})
	require.NoError(t, err)
	assert.Empty(t, convs.Items)
	assert.Equal(t, botuj.Pagination{Page: 1, Limit: 100}, convs.Pagination)
}

// TestListAllReadsMetadata replays a walk whose envelope carries paging
// metadata: the walk ends where the metadata says, without asking for the
// empty page that a bare array would need.
func TestListAllReadsMetadata(t *testing.T) {
	item := func(id string) string { return `{"id":` + id + `,"message":"m` + id + `"}` }
	c, srv := replayClient(t,
		testkit.Exchange{Method: http.MethodGet, Path: "/v1/api/conversation-messages/7", RawQuery: "page=1&per_page=2",
			Reply: testkit.Reply{Body: `{"messages":[` + item("1") + `,` + item("2") + `],"has_more":true}`}},
		testkit.Exchange{Method: http.MethodGet, Path: "/v1/api/conversation-messages/7", RawQuery: "page=2&per_page=2",
			Reply: testkit.Reply{Body: `{"messages":[` + item("3") + `,` + item("4") + `],"has_more":false}`}},
	)
	var got []string
	for m, err := range c.Messages.ListAll(context.Background(), 7, &botuj.ListParams{Limit: 2}) {
		require.NoError(t, err)
		got = append(got, m.Message)
	}
	assert.Equal(t, []string{"m1", "m2", "m3", "m4"}, got)
	assert.Len(t, srv.Requests(), 2)
}

func TestListReplaysErrorStatuses(t *testing.T) {
	c, _ := replayClient(t,
		testkit.Exchange{Method: http.MethodGet, Path: "/v1/api/conversations",
			Reply: testkit.Reply{Status: http.StatusUnauthorized, Body: `{"message":"invalid API key"}`}},
		testkit.Exchange{Method: http.MethodGet, Path: "/v1/api/conversation-messages/1234",
			Reply: testkit.Reply{Status: http.StatusNotFound, Body: `{"message":"invalid conversation ID"}`}},
		testkit.Exchange{Method: http.MethodGet, Path: "/v1/api/conversations", Times: 2,
			Reply: testkit.Reply{Status: http.StatusInternalServerError, Body: `<html>oops</html>`, Header: http.Header{"Content-Type": {"text/html"}}}},
	)
	ctx := context.Background()

	_, err := c.Conversations.List(ctx, nil)
	api := requireAPIError(t, err, http.StatusUnauthorized, "invalid API key")
	assert.ErrorIs(t, err, chatbot.ErrUnauthorized)
	assert.Equal(t, "Conversations.List", api.Op)
	assert.Equal(t, http.MethodGet, api.Method)
	assert.True(t, strings.HasSuffix(api.URL, "/v1/api/conversations"), api.URL)
	assert.Equal(t, 1, api.Attempts, "a 401 is not retried")
	testkit.AssertNoSecret(t, testKey, err, api.URL)

	_, err = c.Messages.List(ctx, 1234, nil)
	requireAPIError(t, err, http.StatusNotFound, "invalid conversation ID")
	assert.ErrorIs(t, err, chatbot.ErrNotFound)
	assert.Contains(t, err.Error(), "botuj: Messages.List: GET ")

	// A 500 is returned as it is, not retried; the second exchange is a
	// fresh call.
	for range 2 {
		_, err = c.Conversations.List(ctx, nil)
		requireAPIError(t, err, http.StatusInternalServerError, "Internal Server Error")
		assert.ErrorIs(t, err, chatbot.ErrServer)
	}
}

func requireAPIError(t *testing.T, err error, status int, message string) *chatbot.APIError {
	t.Helper()
	var api *chatbot.APIError
	require.ErrorAs(t, err, &api)
	assert.Equal(t, status, api.StatusCode)
	assert.Equal(t, message, api.Message)
	return api
}

// TestListRefusesOtherShapes replays bodies that are no page: each is a
// *chatbot.DecodeError that names the call and says what was found.
func TestListRefusesOtherShapes(t *testing.T) {
	tooMany := "[" + strings.Repeat(`{"id":1},`, botuj.MaxPageLimit) + `{"id":2}]`
	cases := []struct{ name, body, says string }{
		{"empty body", ``, "empty response body"},
		{"a string", `"conversations"`, "the body is a JSON string"},
		{"a number", `42`, "the body is a JSON number"},
		{"no list and no id", `{"status":"ok","count":3}`, `the body is an object with no "id" and none of the keys "data", "items", "results" or "conversations"`},
		{"another resource's key", `{"messages":[]}`, `none of the keys`},
		{"two lists", `{"data":[],"items":[]}`, `ambiguous list: the body has both "data" and "items"`},
		{"list key holds a string", `{"data":"none"}`, `"data" is a JSON string`},
		{"nested three deep", `{"data":{"data":{"data":[]}}}`, "list nested too deep"},
		{"too many items", tooMany, "more than 100 items"},
		{"an item that is no conversation", `[{"id":"seven"}]`, "item 0: botuj: id is a 5-byte string that is not a 64-bit integer"},
		{"broken JSON", `[{"id":1}`, "invalid JSON"},
		{"HTML", `<html>maintenance</html>`, "invalid JSON"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c, _ := replayClient(t, testkit.Exchange{
				Method: http.MethodGet, Path: "/v1/api/conversations", Reply: testkit.Reply{Body: tc.body},
			})
			page, err := c.Conversations.List(context.Background(), nil)
			assert.Nil(t, page)
			var de *chatbot.DecodeError
			require.ErrorAs(t, err, &de)
			assert.Equal(t, "Conversations.List", de.Op)
			assert.Contains(t, err.Error(), "botuj: Conversations.List: decoding response: ")
			assert.Contains(t, err.Error(), tc.says)
		})
	}
}

// TestDecodeErrorNeverShowsTheKey replays a body that quotes the key, in
// every escaping, and an id that holds it: the snippet is redacted and no
// error repeats a value.
func TestDecodeErrorNeverShowsTheKey(t *testing.T) {
	bodies := []string{
		`{"error":"bad key ` + testKey + `","echo":"` + url.QueryEscape(testKey) + `","path":"` + url.PathEscape(testKey) + `"}`,
		`[{"id":"` + testKey + `"}]`,
		`{"data":"` + testKey + `"}`,
	}
	for _, body := range bodies {
		c, _ := replayClient(t, testkit.Exchange{
			Method: http.MethodGet, Path: "/v1/api/conversation-messages/5", Reply: testkit.Reply{Body: body},
		})
		_, err := c.Messages.List(context.Background(), 5, nil)
		var de *chatbot.DecodeError
		require.True(t, errors.As(err, &de), "%v", err)
		testkit.AssertNoSecret(t, testKey, err, de.Snippet)
	}
}

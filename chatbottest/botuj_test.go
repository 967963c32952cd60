package chatbottest_test

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/chatbot-sdk/chatbot-go/chatbottest"
)

// bjGet sends a GET with the fake's key (auth "" means that key; "-" sends
// no Authorization header; anything else is sent as the header).
func bjGet(t *testing.T, fake *chatbottest.Botuj, path, auth string) (*http.Response, []byte) {
	t.Helper()
	return bjDo(t, fake, http.MethodGet, path, auth)
}

func bjDo(t *testing.T, fake *chatbottest.Botuj, method, path, auth string) (*http.Response, []byte) {
	t.Helper()
	req, err := http.NewRequest(method, fake.URL+path, nil)
	require.NoError(t, err)
	switch auth {
	case "":
		req.Header.Set("Authorization", "Bearer "+fake.APIKey)
	case "-":
	default:
		req.Header.Set("Authorization", auth)
	}
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	return resp, body
}

// bjItem is the part of an item the paging tests look at.
type bjItem struct {
	ID      int64  `json:"id"`
	Message string `json:"message"`
}

// bjWalk reads every page of path with perPage, stopping at the first
// short page as the reference tells clients to, and returns the items and
// the number of requests made.
func bjWalk(t *testing.T, fake *chatbottest.Botuj, path string, perPage int) ([]bjItem, int) {
	t.Helper()
	var all []bjItem
	for page := 1; page < 1000; page++ {
		resp, body := bjGet(t, fake, fmt.Sprintf("%s?page=%d&per_page=%d", path, page, perPage), "")
		require.Equal(t, http.StatusOK, resp.StatusCode, string(body))
		var items []bjItem
		require.NoError(t, json.Unmarshal(body, &items))
		require.NotNil(t, items, "an empty page is [], not null")
		require.LessOrEqual(t, len(items), perPage)
		all = append(all, items...)
		if len(items) < perPage {
			return all, page
		}
	}
	t.Fatal("paging never ended")
	return nil, 0
}

func TestBotujFakePagesConversations(t *testing.T) {
	fake := chatbottest.StartBotuj(t)
	ids := fake.Seed(253)
	require.Len(t, ids, 253)
	assert.Equal(t, int64(7202), ids[0], "ids start at the documented example's")
	for i, id := range ids {
		require.Equal(t, int64(7202+i), id)
	}

	for _, tc := range []struct{ perPage, requests int }{{10, 26}, {100, 3}, {1, 254}} {
		items, requests := bjWalk(t, fake, "/v1/api/conversations", tc.perPage)
		got := make([]int64, len(items))
		for i, it := range items {
			got[i] = it.ID
		}
		assert.Equal(t, ids, got, "per_page %d: every conversation once, oldest first", tc.perPage)
		assert.Equal(t, tc.requests, requests, "per_page %d", tc.perPage)
	}

	// The defaults: page 1, 20 per page.
	_, body := bjGet(t, fake, "/v1/api/conversations", "")
	var items []bjItem
	require.NoError(t, json.Unmarshal(body, &items))
	require.Len(t, items, 20)
	assert.Equal(t, ids[0], items[0].ID)
	_, body = bjGet(t, fake, "/v1/api/conversations?page=2", "")
	require.NoError(t, json.Unmarshal(body, &items))
	require.Len(t, items, 20)
	assert.Equal(t, ids[20], items[0].ID)
	_, body = bjGet(t, fake, "/v1/api/conversations?per_page=100&page=3", "")
	require.NoError(t, json.Unmarshal(body, &items))
	assert.Len(t, items, 53)
}

func TestBotujFakePagesMessages(t *testing.T) {
	fake := chatbottest.StartBotuj(t)
	fake.Seed(2) // other conversations' messages must not leak in
	var in []chatbottest.BotujMessage
	for i := range 257 {
		in = append(in, chatbottest.BotujMessage{IsUser: i%2 == 0, Message: fmt.Sprintf("wiadomość %d", i)})
	}
	conv := fake.AddConversation(in...)
	fake.Seed(1)
	stored := fake.Messages(conv.ID)
	require.Len(t, stored, 257)
	assert.Equal(t, 257, conv.Count)

	for _, tc := range []struct{ perPage, requests int }{{10, 26}, {100, 3}} {
		items, requests := bjWalk(t, fake, fmt.Sprintf("/v1/api/conversation-messages/%d", conv.ID), tc.perPage)
		require.Len(t, items, 257, "per_page %d", tc.perPage)
		for i, it := range items {
			assert.Equal(t, stored[i].ID, it.ID)
			assert.Equal(t, fmt.Sprintf("wiadomość %d", i), it.Message)
		}
		assert.Equal(t, tc.requests, requests)
	}

	// A count that fills its last page exactly ends on an empty page.
	exact := fake.AddConversation(in[:250]...)
	items, requests := bjWalk(t, fake, fmt.Sprintf("/v1/api/conversation-messages/%d", exact.ID), 10)
	assert.Len(t, items, 250)
	assert.Equal(t, 26, requests)
	resp, body := bjGet(t, fake, fmt.Sprintf("/v1/api/conversation-messages/%d?page=26&per_page=10", exact.ID), "")
	assert.Equal(t, http.StatusOK, resp.StatusCode)
	assert.Equal(t, "[]", string(body))

	// The default page size.
	_, body = bjGet(t, fake, fmt.Sprintf("/v1/api/conversation-messages/%d?page=13", conv.ID), "")
	require.NoError(t, json.Unmarshal(body, &items))
	require.Len(t, items, 17)
	assert.Equal(t, "wiadomość 240", items[0].Message)
}

var bjTimestamp = regexp.MustCompile(`^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$`)

func TestBotujFakeItemsAreDocumentedShape(t *testing.T) {
	fake := chatbottest.StartBotuj(t)
	conv := fake.AddConversation(
		chatbottest.BotujMessage{IsUser: true, Message: "Hej"},
		chatbottest.BotujMessage{Message: "Hej! W czym mogę Ci dzisiaj pomóc <&>"},
		chatbottest.BotujMessage{IsUser: true, Message: "Kim jesteś"},
		chatbottest.BotujMessage{Message: "Botem"},
	)

	_, body := bjGet(t, fake, "/v1/api/conversations", "")
	var convs []map[string]any
	require.NoError(t, json.Unmarshal(body, &convs))
	require.Len(t, convs, 1)
	c := convs[0]
	assert.ElementsMatch(t, []string{"id", "type", "count", "sessionid", "firstUserMessage", "firstBotMessage", "createdOn"}, keys(c))
	assert.Equal(t, float64(7202), c["id"])
	assert.Equal(t, "freeshot", c["type"])
	assert.Equal(t, float64(4), c["count"])
	assert.Equal(t, "Hej", c["firstUserMessage"])
	assert.Equal(t, `{"message":"Hej! W czym mogę Ci dzisiaj pomóc <&>"}`, c["firstBotMessage"])
	assert.Equal(t, "2024-06-23T11:34:35.397713Z", c["createdOn"], "the clock starts at the documented createdOn")
	assert.Regexp(t, `^[a-zA-Z]{6}781a207d-8ca7-44e5-9939-[0-9a-f]{12}$`, c["sessionid"])
	assert.Equal(t, conv.SessionID, c["sessionid"])
	assert.True(t, strings.HasSuffix(conv.SessionID, conv.UserID))
	assert.Contains(t, string(body), `pomóc <&>`, "text is not HTML-escaped")

	_, body = bjGet(t, fake, fmt.Sprintf("/v1/api/conversation-messages/%d", conv.ID), "")
	var msgs []map[string]any
	require.NoError(t, json.Unmarshal(body, &msgs))
	require.Len(t, msgs, 4)
	for i, m := range msgs {
		assert.ElementsMatch(t, []string{"id", "message", "userId", "isUser", "type", "createdOn"}, keys(m))
		assert.Equal(t, float64(10906+i), m["id"])
		assert.Equal(t, "freeshot", m["type"])
		assert.Regexp(t, bjTimestamp, m["createdOn"])
	}
	assert.Equal(t, "Hej", msgs[0]["message"])
	assert.Equal(t, true, msgs[0]["isUser"])
	assert.Equal(t, conv.UserID, msgs[0]["userId"])
	assert.Equal(t, false, msgs[1]["isUser"])
	assert.Nil(t, msgs[1]["userId"], "a bot message has a null userId")
	assert.Less(t, msgs[0]["createdOn"], msgs[1]["createdOn"], "the clock moves on")
}

func TestBotujFakeDataEnvelope(t *testing.T) {
	fake := chatbottest.StartBotuj(t, chatbottest.WithBotujEnvelope(chatbottest.BotujDataEnvelope))
	type page struct {
		Data     []bjItem `json:"data"`
		Page     int      `json:"page"`
		PerPage  int      `json:"per_page"`
		Total    int      `json:"total"`
		LastPage int      `json:"last_page"`
	}
	read := func(path string) page {
		t.Helper()
		resp, body := bjGet(t, fake, path, "")
		require.Equal(t, http.StatusOK, resp.StatusCode)
		var p page
		require.NoError(t, json.Unmarshal(body, &p))
		require.NotNil(t, p.Data, "data is [], never null")
		return p
	}

	assert.Equal(t, page{Data: []bjItem{}, Page: 1, PerPage: 20, Total: 0, LastPage: 1}, read("/v1/api/conversations"))
	ids := fake.Seed(45)
	p := read("/v1/api/conversations?page=3")
	assert.Equal(t, 3, p.Page)
	assert.Equal(t, 20, p.PerPage)
	assert.Equal(t, 45, p.Total)
	assert.Equal(t, 3, p.LastPage)
	require.Len(t, p.Data, 5)
	assert.Equal(t, ids[40], p.Data[0].ID)

	p = read(fmt.Sprintf("/v1/api/conversation-messages/%d?per_page=3&page=2", ids[3]))
	assert.Equal(t, page{Data: p.Data, Page: 2, PerPage: 3, Total: 8, LastPage: 3}, p)
	assert.Len(t, p.Data, 3)
}

func TestBotujFakeWantsTheBearerKey(t *testing.T) {
	fake := chatbottest.StartBotuj(t, chatbottest.WithBotujAPIKey("sekret-klucz-123"))
	id := fake.Seed(1)[0]
	paths := []string{"/v1/api/conversations", fmt.Sprintf("/v1/api/conversation-messages/%d", id), "/v1/api/conversation-messages/1"}
	rejected := []string{"-", "Bearer", "Bearer ", "Bearer wrong", "Bearer sekret-klucz-12", "Bearer sekret-klucz-1234",
		"Basic sekret-klucz-123", "sekret-klucz-123", "Token sekret-klucz-123"}
	for _, path := range paths {
		for _, auth := range rejected {
			resp, body := bjGet(t, fake, path, auth)
			assert.Equal(t, http.StatusUnauthorized, resp.StatusCode, "%s with %q", path, auth)
			assert.Equal(t, "application/json", resp.Header.Get("Content-Type"))
			assert.Equal(t, `Bearer realm="botuj"`, resp.Header.Get("WWW-Authenticate"))
			assert.JSONEq(t, `{"message":"invalid or missing API key"}`, string(body))
		}
	}
	for _, auth := range []string{"Bearer sekret-klucz-123", "bearer sekret-klucz-123", "BEARER  sekret-klucz-123 "} {
		resp, _ := bjGet(t, fake, paths[0], auth)
		assert.Equal(t, http.StatusOK, resp.StatusCode, auth)
	}
}

func TestBotujFakeNotFound(t *testing.T) {
	fake := chatbottest.StartBotuj(t)
	fake.Seed(1)
	for _, id := range []string{"1", "7203", "0", "-7202", "abc", "7202.0", "99999999999999999999", "%20"} {
		resp, body := bjGet(t, fake, "/v1/api/conversation-messages/"+id, "")
		assert.Equal(t, http.StatusNotFound, resp.StatusCode, id)
		assert.JSONEq(t, `{"message":"conversation not found"}`, string(body), id)
	}
	resp, _ := bjGet(t, fake, "/v1/api/conversation-messages/7202", "")
	assert.Equal(t, http.StatusOK, resp.StatusCode, "the seeded conversation exists")

	for _, path := range []string{"/v1/api/nope", "/v1/api/conversations/", "/v1/api/conversation-messages/", "/v1/api/conversation-messages/7202/x", "/"} {
		resp, body := bjGet(t, fake, path, "")
		assert.Equal(t, http.StatusNotFound, resp.StatusCode, path)
		assert.Equal(t, "application/json", resp.Header.Get("Content-Type"), path)
		assert.JSONEq(t, `{"message":"not found"}`, string(body), path)
	}
	for _, path := range []string{"/v1/api/conversations", "/v1/api/conversation-messages/7202"} {
		resp, body := bjDo(t, fake, http.MethodPost, path, "")
		assert.Equal(t, http.StatusMethodNotAllowed, resp.StatusCode, path)
		assert.Equal(t, "GET, HEAD", resp.Header.Get("Allow"))
		assert.JSONEq(t, `{"message":"method not allowed"}`, string(body))
	}
}

func TestBotujFakeRejectsBadPaging(t *testing.T) {
	fake := chatbottest.StartBotuj(t)
	fake.Seed(3)
	cases := []struct{ query, message string }{
		{"page=0", "page must be a whole number of 1 or more"},
		{"page=-1", "page must be a whole number of 1 or more"},
		{"page=x", "page must be a whole number of 1 or more"},
		{"page=1.5", "page must be a whole number of 1 or more"},
		{"per_page=0", "per_page must be a whole number from 1 to 100"},
		{"per_page=101", "per_page must be a whole number from 1 to 100"},
		{"per_page=-5", "per_page must be a whole number from 1 to 100"},
		{"per_page=ten", "per_page must be a whole number from 1 to 100"},
	}
	for _, path := range []string{"/v1/api/conversations", "/v1/api/conversation-messages/7202"} {
		for _, tc := range cases {
			resp, body := bjGet(t, fake, path+"?"+tc.query, "")
			assert.Equal(t, http.StatusBadRequest, resp.StatusCode, tc.query)
			assert.JSONEq(t, fmt.Sprintf(`{"message":%q}`, tc.message), string(body), tc.query)
		}
	}
	for _, q := range []string{"per_page=100", "page=9223372036854775807&per_page=1", "page=9223372036854775807&per_page=100", "page=&per_page="} {
		resp, body := bjGet(t, fake, "/v1/api/conversations?"+q, "")
		assert.Equal(t, http.StatusOK, resp.StatusCode, q)
		assert.NotEqual(t, "null", string(body), q)
	}
	_, body := bjGet(t, fake, "/v1/api/conversations?page=9223372036854775807&per_page=100", "")
	assert.Equal(t, "[]", string(body), "a page far past the end is empty")
}

func TestBotujFakeInjectsRateLimits(t *testing.T) {
	fake := chatbottest.StartBotuj(t)
	id := fake.Seed(1)[0]
	fake.Faults.FailNext(2, http.StatusTooManyRequests, chatbottest.WithRetryAfter("1"), chatbottest.OnPath("/conversations"))

	msgPath := fmt.Sprintf("/v1/api/conversation-messages/%d", id)
	resp, _ := bjGet(t, fake, msgPath, "")
	assert.Equal(t, http.StatusOK, resp.StatusCode, "the rule is for another path")
	for range 2 {
		resp, body := bjGet(t, fake, "/v1/api/conversations?page=1", "")
		assert.Equal(t, http.StatusTooManyRequests, resp.StatusCode)
		assert.Equal(t, "1", resp.Header.Get("Retry-After"))
		assert.Equal(t, "application/json", resp.Header.Get("Content-Type"))
		assert.Contains(t, string(body), "injected fault")
	}
	resp, _ = bjGet(t, fake, "/v1/api/conversations?page=1", "")
	assert.Equal(t, http.StatusOK, resp.StatusCode, "the rule is used up")

	// Faults come before authentication, as a gateway's would.
	fake.Faults.FailNext(1, http.StatusServiceUnavailable)
	resp, _ = bjGet(t, fake, "/v1/api/conversations", "-")
	assert.Equal(t, http.StatusServiceUnavailable, resp.StatusCode)

	var statuses []int
	for _, r := range fake.Requests() {
		statuses = append(statuses, r.Status)
	}
	assert.Equal(t, []int{200, 429, 429, 200, 503}, statuses)
	r := fake.Requests()[1]
	assert.Equal(t, chatbottest.BotujRequest{Method: "GET", Path: "/v1/api/conversations", Query: "page=1", Status: 429},
		chatbottest.BotujRequest{Method: r.Method, Path: r.Path, Query: r.Query, Status: r.Status})
	assert.Equal(t, "[redacted]", r.Header.Get("Authorization"), "the log never keeps the key")
	assert.Equal(t, 4, fake.CountRequests("GET", "/v1/api/conversations"))
}

func TestBotujFakeSeedAndAdd(t *testing.T) {
	fake := chatbottest.StartBotuj(t)
	ids := fake.Seed(5)
	convs := fake.Conversations()
	require.Len(t, convs, 5)
	for i, c := range convs {
		assert.Equal(t, ids[i], c.ID)
		assert.Equal(t, "freeshot", c.Type)
		assert.Equal(t, 2*(i%4+1), c.Count, "conversation %d", i)
		assert.Equal(t, fmt.Sprintf("Pytanie %d.1: czy możesz mi pomóc?", i+1), c.FirstUserMessage)
		assert.Equal(t, fmt.Sprintf(`{"message":"Odpowiedź %d.1: oczywiście, chętnie pomogę."}`, i+1), c.FirstBotMessage)
		msgs := fake.Messages(c.ID)
		require.Len(t, msgs, c.Count)
		for j, m := range msgs {
			assert.Equal(t, j%2 == 0, m.IsUser)
			assert.Equal(t, c.ID, m.ConversationID)
			if m.IsUser {
				assert.Equal(t, c.UserID, m.UserID)
			} else {
				assert.Empty(t, m.UserID)
			}
		}
	}
	assert.Empty(t, fake.Seed(0))
	assert.Empty(t, fake.Seed(-3))
	assert.Len(t, fake.Conversations(), 5, "seeding nothing adds nothing")

	empty := fake.AddConversation()
	assert.Equal(t, ids[4]+1, empty.ID)
	assert.Zero(t, empty.Count)
	assert.Empty(t, empty.FirstUserMessage)
	assert.Empty(t, empty.FirstBotMessage)
	assert.Empty(t, fake.Messages(empty.ID))
	assert.NotNil(t, fake.Messages(empty.ID), "a known conversation without messages is not nil")

	added, err := fake.AddMessages(empty.ID,
		chatbottest.BotujMessage{ID: 1, ConversationID: 2, Message: "bot first", Type: "button"},
		chatbottest.BotujMessage{Message: "user", IsUser: true, UserID: "custom"},
	)
	require.NoError(t, err)
	require.Len(t, added, 2)
	assert.NotEqual(t, int64(1), added[0].ID, "the fake gives ids")
	assert.Equal(t, added[0].ID+1, added[1].ID)
	assert.Equal(t, empty.ID, added[0].ConversationID)
	assert.Equal(t, "button", added[0].Type)
	assert.Equal(t, "freeshot", added[1].Type)
	assert.Equal(t, "custom", added[1].UserID)
	assert.True(t, added[0].CreatedOn.Before(added[1].CreatedOn))
	assert.Equal(t, added, fake.Messages(empty.ID))
	c := fake.Conversations()[5]
	assert.Equal(t, 2, c.Count)
	assert.Equal(t, "user", c.FirstUserMessage)
	assert.Equal(t, `{"message":"bot first"}`, c.FirstBotMessage)

	_, err = fake.AddMessages(1, chatbottest.BotujMessage{Message: "x"})
	assert.EqualError(t, err, "chatbottest: botuj: no conversation 1")
	assert.Nil(t, fake.Messages(1))
}

// TestBotujFakeIsDeterministic checks that two fakes seeded alike answer
// byte for byte alike, however the seeding is split.
func TestBotujFakeIsDeterministic(t *testing.T) {
	a, b := chatbottest.StartBotuj(t), chatbottest.StartBotuj(t)
	a.Seed(7)
	b.Seed(3)
	b.Seed(4)
	for _, path := range []string{"/v1/api/conversations", "/v1/api/conversation-messages/7206"} {
		_, ba := bjGet(t, a, path, "")
		_, bb := bjGet(t, b, path, "")
		assert.Equal(t, string(ba), string(bb), path)
		assert.Greater(t, len(ba), 100, path)
	}
}

func TestBotujFakeHandlerServesWithoutItsServer(t *testing.T) {
	fake := chatbottest.StartBotuj(t)
	fake.Seed(2)
	rec := httptest.NewRecorder()
	req := httptest.NewRequest(http.MethodGet, "/v1/api/conversations?per_page=1&page=2", nil)
	req.Header.Set("Authorization", "Bearer "+fake.APIKey)
	fake.Handler().ServeHTTP(rec, req)
	assert.Equal(t, http.StatusOK, rec.Code)
	var items []bjItem
	require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &items))
	require.Len(t, items, 1)
	assert.Equal(t, int64(7203), items[0].ID)
	assert.Len(t, fake.Requests(), 1, "the handler logs like the server")
}

// TestBotujFakeConcurrentUse reads pages while conversations and messages
// are added; under the race detector this proves the locking, and the
// counts prove nothing is lost.
func TestBotujFakeConcurrentUse(t *testing.T) {
	fake := chatbottest.StartBotuj(t)
	id := fake.Seed(1)[0]
	var wg sync.WaitGroup
	for w := range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 25 {
				_, err := fake.AddMessages(id, chatbottest.BotujMessage{Message: fmt.Sprintf("%d-%d", w, i)})
				assert.NoError(t, err)
				fake.AddConversation()
			}
		}()
	}
	for range 2 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range 10 {
				resp, _ := bjGet(t, fake, fmt.Sprintf("/v1/api/conversation-messages/%d?per_page=100", id), "")
				assert.Equal(t, http.StatusOK, resp.StatusCode)
				resp, _ = bjGet(t, fake, "/v1/api/conversations?per_page=100", "")
				assert.Equal(t, http.StatusOK, resp.StatusCode)
			}
		}()
	}
	wg.Wait()
	assert.Len(t, fake.Messages(id), 2+100)
	assert.Len(t, fake.Conversations(), 1+100)
	assert.Len(t, fake.Requests(), 40)
	seen := map[int64]bool{}
	for _, m := range fake.Messages(id) {
		assert.False(t, seen[m.ID], "id %d given twice", m.ID)
		seen[m.ID] = true
	}
}

func TestBotujFakeCloseTwice(t *testing.T) {
	fake := chatbottest.NewBotuj()
	fake.Close()
	fake.Close()
	_, err := http.Get(fake.URL + "/v1/api/conversations")
	assert.Error(t, err, "the server is gone")
}

package botuj_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	chatbot "github.com/chatbot-sdk/chatbot-go"
	"github.com/chatbot-sdk/chatbot-go/botuj"
	"github.com/chatbot-sdk/chatbot-go/chatbottest"
)

const (
	conversationsPath = "/v1/api/conversations"
	fakeKey           = "bj-fake/key+1&x=y"
)

// envelopes are the two page shapes the fake offers; every walk runs on
// both.
var envelopes = map[string]chatbottest.BotujEnvelope{
	"bare array":    chatbottest.BotujBareArray,
	"data envelope": chatbottest.BotujDataEnvelope,
}

// startFake starts a fake with the test key.
func startFake(t *testing.T, env chatbottest.BotujEnvelope) *chatbottest.Botuj {
	t.Helper()
	return chatbottest.StartBotuj(t, chatbottest.WithBotujAPIKey(fakeKey), chatbottest.WithBotujEnvelope(env))
}

// fakeClient returns a client for baseURL with fast retries, closed when
// the test ends.
func fakeClient(t *testing.T, baseURL string, opts ...chatbot.Option) *botuj.Client {
	t.Helper()
	opts = append([]chatbot.Option{chatbot.WithBaseURL(baseURL), chatbot.WithBackoff(time.Millisecond, 5*time.Millisecond)}, opts...)
	c, err := botuj.NewClient(fakeKey, opts...)
	require.NoError(t, err)
	t.Cleanup(func() { _ = c.Close() })
	return c
}

// collect ranges over seq, failing the test on an error.
func collect[T any](t *testing.T, seq func(func(T, error) bool)) []T {
	t.Helper()
	var out []T
	for v, err := range seq {
		require.NoError(t, err)
		out = append(out, v)
	}
	return out
}

func messagesPath(id int64) string { return fmt.Sprintf("/v1/api/conversation-messages/%d", id) }

// TestListAllWalksEverything walks 253 conversations and all their
// messages with 10 and 100 a page, in both envelopes, and counts the
// requests: one per page, the last one short.
func TestListAllWalksEverything(t *testing.T) {
	for name, env := range envelopes {
		t.Run(name, func(t *testing.T) {
			fake := startFake(t, env)
			ids := fake.Seed(253)
			c := fakeClient(t, fake.URL)
			ctx := context.Background()

			for _, tc := range []struct{ limit, requests int }{{10, 26}, {100, 3}} {
				before := fake.CountRequests(http.MethodGet, conversationsPath)
				convs := collect(t, c.Conversations.ListAll(ctx, &botuj.ListParams{Limit: tc.limit}))
				assert.Equal(t, tc.requests, fake.CountRequests(http.MethodGet, conversationsPath)-before, "Limit %d", tc.limit)
				require.Len(t, convs, 253)
				stored := fake.Conversations()
				for i, conv := range convs {
					require.Equal(t, botuj.ID(ids[i]), conv.ID, "every conversation once, in order")
					assert.Equal(t, stored[i].Count, conv.Count)
					assert.Equal(t, stored[i].SessionID, conv.SessionID)
					assert.Equal(t, stored[i].FirstUserMessage, conv.FirstUserMessage)
					assert.True(t, stored[i].CreatedOn.Equal(conv.CreatedOn.Time))
				}
			}

			// Every conversation's messages, each a page of its own.
			convs := collect(t, c.Conversations.ListAll(ctx, &botuj.ListParams{Limit: 100}))
			total := 0
			for _, conv := range convs {
				msgs := collect(t, c.Messages.ListAll(ctx, conv.ID, &botuj.ListParams{Limit: 10}))
				stored := fake.Messages(int64(conv.ID))
				require.Len(t, msgs, len(stored))
				require.Equal(t, conv.Count, len(msgs))
				for i, m := range msgs {
					assert.Equal(t, botuj.ID(stored[i].ID), m.ID)
					assert.Equal(t, stored[i].Message, m.Message)
					assert.Equal(t, stored[i].IsUser, m.IsUser)
					assert.Equal(t, stored[i].UserID, m.UserID, "null for bot messages reads as empty")
				}
				assert.Equal(t, 1, fake.CountRequests(http.MethodGet, messagesPath(int64(conv.ID))), "fewer than 10 messages: one page")
				total += len(msgs)
			}
			assert.Equal(t, 63*20+2, total, "2, 4, 6 or 8 messages each, in turn")
		})
	}
}

// TestListAllWalksLongConversations pages through 257 messages of one
// conversation with 10 and 100 a page.
func TestListAllWalksLongConversations(t *testing.T) {
	for name, env := range envelopes {
		t.Run(name, func(t *testing.T) {
			fake := startFake(t, env)
			fake.Seed(2)
			var in []chatbottest.BotujMessage
			for i := range 257 {
				in = append(in, chatbottest.BotujMessage{IsUser: i%2 == 0, Message: fmt.Sprintf("wiadomość %d", i)})
			}
			conv := fake.AddConversation(in...)
			c := fakeClient(t, fake.URL)

			for _, tc := range []struct{ limit, requests int }{{10, 26}, {100, 3}} {
				before := fake.CountRequests(http.MethodGet, messagesPath(conv.ID))
				msgs := collect(t, c.Messages.ListAll(context.Background(), botuj.ID(conv.ID), &botuj.ListParams{Limit: tc.limit}))
				require.Len(t, msgs, 257)
				for i, m := range msgs {
					assert.Equal(t, fmt.Sprintf("wiadomość %d", i), m.Message)
				}
				assert.Equal(t, tc.requests, fake.CountRequests(http.MethodGet, messagesPath(conv.ID))-before, "Limit %d", tc.limit)
			}
		})
	}
}

// TestListAllStopsByMetadata fills the last page exactly: a bare array
// needs one more request to see the empty page, the data envelope's
// last_page saves it.
func TestListAllStopsByMetadata(t *testing.T) {
	for name, tc := range map[string]struct {
		env      chatbottest.BotujEnvelope
		requests int
	}{"bare array": {chatbottest.BotujBareArray, 26}, "data envelope": {chatbottest.BotujDataEnvelope, 25}} {
		t.Run(name, func(t *testing.T) {
			fake := startFake(t, tc.env)
			fake.Seed(250)
			c := fakeClient(t, fake.URL)
			convs := collect(t, c.Conversations.ListAll(context.Background(), &botuj.ListParams{Limit: 10}))
			assert.Len(t, convs, 250)
			assert.Equal(t, tc.requests, fake.CountRequests(http.MethodGet, conversationsPath))
		})
	}
}

// TestListPagesOneAtATime reads the fake page by page with List and More.
func TestListPagesOneAtATime(t *testing.T) {
	for name, env := range envelopes {
		t.Run(name, func(t *testing.T) {
			fake := startFake(t, env)
			ids := fake.Seed(45)
			c := fakeClient(t, fake.URL)
			var got []botuj.ID
			params := &botuj.ListParams{Page: 1, Limit: 20}
			for {
				p, err := c.Conversations.List(context.Background(), params)
				require.NoError(t, err)
				assert.Equal(t, params.Page, p.Page)
				assert.Equal(t, 20, p.Limit)
				if env == chatbottest.BotujDataEnvelope {
					assert.Equal(t, 45, p.Total)
					assert.Equal(t, 3, p.LastPage)
				}
				for _, conv := range p.Items {
					got = append(got, conv.ID)
				}
				if !p.More() {
					break
				}
				params.Page++
			}
			assert.Equal(t, 3, params.Page)
			require.Len(t, got, 45)
			assert.Equal(t, botuj.ID(ids[44]), got[44])
		})
	}
}

// TestListAllStartsAtPage begins a walk at a later page.
func TestListAllStartsAtPage(t *testing.T) {
	fake := startFake(t, chatbottest.BotujBareArray)
	ids := fake.Seed(253)
	c := fakeClient(t, fake.URL)
	convs := collect(t, c.Conversations.ListAll(context.Background(), &botuj.ListParams{Page: 3, Limit: 100}))
	require.Len(t, convs, 53)
	assert.Equal(t, botuj.ID(ids[200]), convs[0].ID)
	require.Len(t, fake.Requests(), 1)
	assert.Equal(t, "page=3&per_page=100", fake.Requests()[0].Query)
}

// TestListAllAsksForTheDefaultPageSize checks that a walk without a Limit
// sends the documented default explicitly: the short-page rule needs to
// know the size.
func TestListAllAsksForTheDefaultPageSize(t *testing.T) {
	fake := startFake(t, chatbottest.BotujBareArray)
	fake.Seed(45)
	c := fakeClient(t, fake.URL)
	assert.Len(t, collect(t, c.Conversations.ListAll(context.Background(), nil)), 45)
	var queries []string
	for _, r := range fake.Requests() {
		queries = append(queries, r.Query)
	}
	assert.Equal(t, []string{"page=1&per_page=20", "page=2&per_page=20", "page=3&per_page=20"}, queries)
}

// TestListAllIsLazy breaks out of a walk: no page past the one being read
// is fetched.
func TestListAllIsLazy(t *testing.T) {
	fake := startFake(t, chatbottest.BotujBareArray)
	fake.Seed(253)
	c := fakeClient(t, fake.URL)
	n := 0
	for _, err := range c.Conversations.ListAll(context.Background(), &botuj.ListParams{Limit: 10}) {
		require.NoError(t, err)
		if n++; n == 15 {
			break
		}
	}
	assert.Equal(t, 2, fake.CountRequests(http.MethodGet, conversationsPath))

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	n = 0
	var last error
	for _, err := range c.Conversations.ListAll(ctx, &botuj.ListParams{Limit: 10}) {
		if last = err; err != nil {
			break
		}
		if n++; n == 10 {
			cancel()
		}
	}
	assert.ErrorIs(t, last, context.Canceled)
	assert.Equal(t, 10, n, "the first page only")
}

// ignoringPage serves fake behind a proxy that drops the page parameter,
// as a server that does not page would.
func ignoringPage(t *testing.T, fake *chatbottest.Botuj) string {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		q := r.URL.Query()
		q.Del("page")
		r.URL.RawQuery = q.Encode()
		fake.Handler().ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	return srv.URL
}

// TestListAllStopsOnARepeatedPage walks a server that ignores page: the
// second page equals the first, and the walk ends with ErrPageRepeated
// instead of looping.
func TestListAllStopsOnARepeatedPage(t *testing.T) {
	for name, env := range envelopes {
		t.Run(name, func(t *testing.T) {
			fake := startFake(t, env)
			ids := fake.Seed(253)
			c := fakeClient(t, ignoringPage(t, fake))

			var got []botuj.ID
			var last error
			for conv, err := range c.Conversations.ListAll(context.Background(), &botuj.ListParams{Limit: 10}) {
				if err != nil {
					last = err
					continue
				}
				got = append(got, conv.ID)
			}
			require.Error(t, last)
			assert.ErrorIs(t, last, botuj.ErrPageRepeated)
			assert.EqualError(t, last, "botuj: Conversations.ListAll: the server sent the same page again; it seems to ignore the page number (page 2)")
			require.Len(t, got, 10, "the first page, once")
			assert.Equal(t, botuj.ID(ids[0]), got[0])
			assert.Equal(t, 2, fake.CountRequests(http.MethodGet, conversationsPath))

			conv := fake.AddConversation(make([]chatbottest.BotujMessage, 30)...)
			var msgErr error
			for _, err := range c.Messages.ListAll(context.Background(), botuj.ID(conv.ID), &botuj.ListParams{Limit: 10}) {
				msgErr = err
			}
			assert.ErrorIs(t, msgErr, botuj.ErrPageRepeated)
			assert.Contains(t, msgErr.Error(), "botuj: Messages.ListAll: ")
		})
	}
}

// TestListAllRetriesRateLimits makes the fake answer 429 with Retry-After
// twice in the middle of a walk: the walk retries and completes.
func TestListAllRetriesRateLimits(t *testing.T) {
	fake := startFake(t, chatbottest.BotujBareArray)
	fake.Seed(25)
	c := fakeClient(t, fake.URL)
	fake.Faults.FailNext(2, http.StatusTooManyRequests, chatbottest.WithRetryAfter("0"), chatbottest.OnPath("/conversations"))

	convs := collect(t, c.Conversations.ListAll(context.Background(), &botuj.ListParams{Limit: 10}))
	assert.Len(t, convs, 25)
	var statuses []int
	for _, r := range fake.Requests() {
		statuses = append(statuses, r.Status)
	}
	assert.Equal(t, []int{429, 429, 200, 200, 200}, statuses)

	// A wait longer than the client sits through ends the call at once,
	// with the server's wait in the error.
	id := fake.Conversations()[0].ID
	fake.Faults.FailNext(1, http.StatusTooManyRequests, chatbottest.WithRetryAfter("30"))
	slow := fakeClient(t, fake.URL, chatbot.WithMaxRetryAfter(time.Second))
	_, err := slow.Messages.List(context.Background(), botuj.ID(id), nil)
	api := requireAPIError(t, err, http.StatusTooManyRequests, "injected fault")
	assert.ErrorIs(t, err, chatbot.ErrRateLimited)
	assert.Equal(t, 30*time.Second, api.RetryAfter)
	assert.Equal(t, 1, api.Attempts)
	assert.True(t, api.Temporary())
}

func TestFakeErrorsAreTyped(t *testing.T) {
	fake := startFake(t, chatbottest.BotujBareArray)
	id := fake.Seed(1)[0]
	ctx := context.Background()

	wrong, err := botuj.NewClient("not-the-key", chatbot.WithBaseURL(fake.URL))
	require.NoError(t, err)
	defer wrong.Close()
	_, err = wrong.Conversations.List(ctx, nil)
	requireAPIError(t, err, http.StatusUnauthorized, "invalid or missing API key")
	assert.ErrorIs(t, err, chatbot.ErrUnauthorized)
	assertNoSecrets(t, err, "not-the-key", fakeKey)

	var seqErr error
	n := 0
	for _, err := range wrong.Messages.ListAll(ctx, botuj.ID(id), nil) {
		seqErr = err
		n++
	}
	assert.Equal(t, 1, n, "a failed walk yields its error once")
	assert.ErrorIs(t, seqErr, chatbot.ErrUnauthorized)
	assert.Contains(t, seqErr.Error(), "botuj: Messages.ListAll: GET ")

	c := fakeClient(t, fake.URL)
	_, err = c.Messages.List(ctx, 99999, nil)
	api := requireAPIError(t, err, http.StatusNotFound, "conversation not found")
	assert.ErrorIs(t, err, chatbot.ErrNotFound)
	assert.Contains(t, api.URL, "/v1/api/conversation-messages/99999")
	for _, err := range c.Messages.ListAll(ctx, 99999, nil) {
		assert.ErrorIs(t, err, chatbot.ErrNotFound)
	}
	assertNoSecrets(t, err, fakeKey)
}

// TestValidationSendsNothing checks every bad argument is refused before
// a request is made.
func TestValidationSendsNothing(t *testing.T) {
	fake := startFake(t, chatbottest.BotujBareArray)
	fake.Seed(3)
	c := fakeClient(t, fake.URL)
	ctx := context.Background()

	cases := []struct {
		field string
		call  func() error
	}{
		{"Limit", func() error { _, err := c.Conversations.List(ctx, &botuj.ListParams{Limit: 101}); return err }},
		{"Limit", func() error { _, err := c.Conversations.List(ctx, &botuj.ListParams{Limit: -1}); return err }},
		{"Page", func() error { _, err := c.Conversations.List(ctx, &botuj.ListParams{Page: -1}); return err }},
		{"Limit", func() error { return firstErr(c.Conversations.ListAll(ctx, &botuj.ListParams{Limit: 1000})) }},
		{"Page", func() error { return firstErr(c.Conversations.ListAll(ctx, &botuj.ListParams{Page: -2})) }},
		{"conversationID", func() error { _, err := c.Messages.List(ctx, 0, nil); return err }},
		{"conversationID", func() error { _, err := c.Messages.List(ctx, -7202, nil); return err }},
		{"Limit", func() error { _, err := c.Messages.List(ctx, 7202, &botuj.ListParams{Limit: 500}); return err }},
		{"conversationID", func() error { return firstErr(c.Messages.ListAll(ctx, 0, nil)) }},
		{"Page", func() error { return firstErr(c.Messages.ListAll(ctx, 7202, &botuj.ListParams{Page: -1})) }},
	}
	for i, tc := range cases {
		err := tc.call()
		var ve *chatbot.ValidationError
		require.True(t, errors.As(err, &ve), "case %d: %v", i, err)
		assert.Equal(t, tc.field, ve.Field, "case %d", i)
		assert.Contains(t, err.Error(), "botuj: invalid "+tc.field+": ", "case %d", i)
	}
	assert.Empty(t, fake.Requests(), "no request was sent")
}

// firstErr is the error of the first pair of seq.
func firstErr[T any](seq func(func(T, error) bool)) error {
	var first error
	for _, err := range seq {
		first = err
		break
	}
	return first
}

package aimylogic_test

// End-to-end tests: every call of the client against chatbottest's fake
// Chat API server over loopback HTTP, the asynchronous round trip through
// the client's own webhook handler, and the events follower.

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	chatbot "github.com/chatbot-sdk/chatbot-go"
	"github.com/chatbot-sdk/chatbot-go/aimylogic"
	"github.com/chatbot-sdk/chatbot-go/chatbottest"
	"github.com/chatbot-sdk/chatbot-go/internal/testkit"
)

// e2eToken escapes in a path (the space, the ü) and in a query (the +),
// so that every spelling of it is checked for leaks.
const e2eToken = "e2e bot+ü:5f0c2d8e"

// e2eStart starts a fake with e2eToken and a client for it with quick
// retries; both end with the test.
func e2eStart(t *testing.T, fakeOpts []chatbottest.AimylogicOption, opts ...chatbot.Option) (*chatbottest.Aimylogic, *aimylogic.Client) {
	t.Helper()
	fake := chatbottest.StartAimylogic(t, append([]chatbottest.AimylogicOption{chatbottest.WithAimylogicToken(e2eToken)}, fakeOpts...)...)
	return fake, e2eClient(t, fake, fake.Token, opts...)
}

// e2eClient is a client of fake's server with token.
func e2eClient(t *testing.T, fake *chatbottest.Aimylogic, token string, opts ...chatbot.Option) *aimylogic.Client {
	t.Helper()
	opts = append([]chatbot.Option{chatbot.WithBaseURL(fake.URL), chatbot.WithBackoff(time.Millisecond, 5*time.Millisecond)}, opts...)
	client, err := aimylogic.NewClient(token, opts...)
	require.NoError(t, err)
	t.Cleanup(func() { _ = client.Close() })
	return client
}

// e2eHook serves a webhook handler for fake's channel that hands the
// results no SendAndWait waits for to the returned channel, and points the
// fake's webhook at it.
func e2eHook(t *testing.T, fake *chatbottest.Aimylogic) (*aimylogic.WebhookHandler, <-chan *aimylogic.WebhookResult) {
	t.Helper()
	results := make(chan *aimylogic.WebhookResult, 8)
	hook, err := aimylogic.NewWebhookHandler(fake.Token, &aimylogic.WebhookOptions{Results: results})
	require.NoError(t, err)
	receiver := httptest.NewServer(hook)
	t.Cleanup(receiver.Close)
	fake.SetWebhook(receiver.URL)
	return hook, results
}

func TestE2ESends(t *testing.T) {
	fake, client := e2eStart(t, nil)
	ctx := context.Background()

	hello, err := client.Messages.Send(ctx, &aimylogic.SendParams{ClientID: "user-1", Query: "hello", CID: "tab-1"})
	require.NoError(t, err)
	assert.Equal(t, "user-1", hello.ClientID)
	assert.Equal(t, "tab-1", hello.CID)
	assert.NotEmpty(t, hello.QuestionID)
	assert.True(t, hello.Timestamp.Valid(), "the offset-less timestamp reads as UTC")
	assert.True(t, hello.Data.NewSessionStarted)
	assert.Equal(t, "Hello! What would you like to see?", hello.Data.Answer)
	require.Len(t, hello.Data.Replies, 2)
	assert.Equal(t, &aimylogic.TextReply{Text: "Hello! What would you like to see?", State: "/Hello"}, hello.Data.Replies[0])
	assert.Equal(t, &aimylogic.ButtonsReply{Buttons: []aimylogic.Button{{Text: "image"}, {Text: "file"}}, State: "/Hello"}, hello.Data.Replies[1])
	assert.NotContains(t, string(hello.Data.Raw), e2eToken)

	image, err := client.Messages.SendSimple(ctx, &aimylogic.SimpleSendParams{ClientID: "user-1", Query: "image"})
	require.NoError(t, err)
	require.Len(t, image.Data.Replies, 1)
	assert.Equal(t, &aimylogic.ImageReply{ImageURL: "https://example.com/images/cat.png", Text: "A cat", State: "/Image"}, image.Data.Replies[0])
	assert.False(t, image.Data.NewSessionStarted)

	file, err := client.Messages.Send(ctx, &aimylogic.SendParams{ClientID: "user-1", Query: "file"})
	require.NoError(t, err)
	require.Len(t, file.Data.Replies, 1)
	fr, ok := file.Data.Replies[0].(*aimylogic.FileReply)
	require.True(t, ok, "%T", file.Data.Replies[0])
	assert.Equal(t, "https://example.com/files/report.pdf", fr.FileURL)
	assert.Equal(t, "report.pdf", fr.FileName)

	start, err := client.Messages.SendSimple(ctx, &aimylogic.SimpleSendParams{ClientID: "user-2", Event: "start"})
	require.NoError(t, err)
	assert.Equal(t, "/Start", start.Data.NLPClass)
	echo, err := client.Messages.Send(ctx, &aimylogic.SendParams{ClientID: "user-2", Query: "¿Qué tal? 1+1=2 & more"})
	require.NoError(t, err)
	assert.Equal(t, "You said: ¿Qué tal? 1+1=2 & more", echo.Data.Answer)
	assert.Negative(t, echo.Data.Confidence)

	_, err = client.Messages.Send(ctx, &aimylogic.SendParams{ClientID: "user-1", Query: "hi", Event: "start"})
	var verr *chatbot.ValidationError
	require.ErrorAs(t, err, &verr, "both query and event: refused before sending")
	assert.Len(t, fake.Requests(), 5, "one request per call, none for the refused one")
	for _, r := range fake.Requests() {
		assert.Equal(t, http.StatusOK, r.Status)
		assert.True(t, strings.HasPrefix(r.Path, "/chatapi/{token}"), r.Path)
	}
}

func TestE2EHistoryStateAndStatuses(t *testing.T) {
	fake, client := e2eStart(t, nil)
	ctx := context.Background()
	sent, err := client.Messages.Send(ctx, &aimylogic.SendParams{ClientID: "u", Query: "hello"})
	require.NoError(t, err)
	fake.AddEvents("u", 20) // 40 more messages
	fake.AddAgentReply("u", "An agent here.")

	page, err := client.History.List(ctx, &aimylogic.HistoryParams{ClientID: "u", Limit: 2})
	require.NoError(t, err)
	assert.Equal(t, 43, page.TotalCount)
	require.Len(t, page.Messages, 2)
	assert.Equal(t, sent.QuestionID, page.Messages[0].QuestionID, "the request keeps its send's ID")
	assert.Equal(t, aimylogic.AuthorClient, page.Messages[0].Author)
	bot := page.Messages[1]
	assert.Equal(t, aimylogic.AuthorBot, bot.Author)
	assert.Equal(t, aimylogic.StatusSent, bot.Status)
	assert.Len(t, bot.Replies, 2)
	assert.NotEqual(t, sent.QuestionID, bot.QuestionID, "the bot's message has its own ID")

	from := time.Now().Add(-time.Minute)
	var authors []aimylogic.Author
	for m, err := range client.History.ListAll(ctx, &aimylogic.HistoryParams{ClientID: "u", From: &from, Limit: 5}) {
		require.NoError(t, err)
		authors = append(authors, m.Author)
	}
	require.Len(t, authors, 43, "every page, through to the last")
	assert.Equal(t, aimylogic.AuthorOperator, authors[42])

	unread, err := client.Statuses.UnreadCount(ctx, "u")
	require.NoError(t, err)
	assert.Equal(t, 22, unread.Count, "21 bot messages and the agent's")

	require.NoError(t, client.Statuses.Set(ctx, &aimylogic.SetStatusParams{ClientID: "u", QuestionID: bot.QuestionID, Status: aimylogic.StatusRead}))
	got, err := client.Statuses.Get(ctx, "u", bot.QuestionID)
	require.NoError(t, err)
	assert.Equal(t, &aimylogic.StatusResult{QuestionID: bot.QuestionID, Status: aimylogic.StatusRead}, got)

	h := fake.History("u")
	require.NoError(t, client.Statuses.SetMany(ctx, &aimylogic.SetStatusesParams{ClientID: "u", Statuses: []aimylogic.StatusUpdate{
		{QuestionID: h[3].QuestionID, Status: aimylogic.StatusDelivered}, {QuestionID: h[42].QuestionID, Status: aimylogic.StatusRead},
	}}))
	unread, err = client.Statuses.UnreadCount(ctx, "u")
	require.NoError(t, err)
	assert.Equal(t, 20, unread.Count)
	assert.Equal(t, "DELIVERED", fake.History("u")[3].Status)

	_, err = client.Statuses.Get(ctx, "u", "no-such-message")
	assert.ErrorIs(t, err, chatbot.ErrNotFound)

	none, err := client.State.Load(ctx, "u")
	require.NoError(t, err)
	assert.True(t, none.Empty(), "nothing saved yet")
	type widget struct {
		Panel string `json:"panel"`
		Draft string `json:"draft"`
	}
	require.NoError(t, client.State.Save(ctx, &aimylogic.SaveStateParams{ClientID: "u", State: widget{"cart", "two apples"}}))
	state, err := client.State.Load(ctx, "u")
	require.NoError(t, err)
	var back widget
	require.NoError(t, state.Decode(&back))
	assert.Equal(t, widget{"cart", "two apples"}, back)
	saved, _ := fake.State("u")
	assert.JSONEq(t, `{"panel":"cart","draft":"two apples"}`, string(saved))
}

func TestE2EAsyncWebhookRoundTrip(t *testing.T) {
	fake, client := e2eStart(t, nil)
	hook, results := e2eHook(t, fake)
	ctx := context.Background()

	res, err := client.Messages.SendAndWait(ctx, hook, &aimylogic.SendParams{ClientID: "u", Query: "file", CID: "tab"})
	require.NoError(t, err)
	assert.True(t, res.HasToken(e2eToken))
	assert.Equal(t, fake.History("u")[0].QuestionID, res.QuestionID, "paired with its own request")
	assert.Equal(t, "tab", res.CID)
	require.Len(t, res.Data.Replies, 1)
	assert.IsType(t, &aimylogic.FileReply{}, res.Data.Replies[0])
	assert.NotContains(t, string(res.Raw), e2eToken, "the handler hides the token in Raw")

	// Pairing by hand: SendAsync's ID comes back with the result.
	sent, err := client.Messages.SendAsync(ctx, &aimylogic.SendParams{ClientID: "u", Event: "start"})
	require.NoError(t, err)
	mine := <-results
	assert.Equal(t, sent.QuestionID, mine.QuestionID)
	assert.Equal(t, "/Start", mine.Data.NLPClass)

	// A result nobody asked for: a live agent's reply.
	agentID := fake.AddAgentReply("u", "A person here.")
	agent := <-results
	assert.Equal(t, agentID, agent.QuestionID)
	assert.Equal(t, "A person here.", agent.Data.Answer)

	// A bot too slow for a sync send: 408, not retried, and the answer
	// arrives at the webhook later.
	fake.SetSlowBot(true)
	_, err = client.Messages.Send(ctx, &aimylogic.SendParams{ClientID: "u", Query: "image"})
	var apiErr *chatbot.APIError
	require.ErrorAs(t, err, &apiErr)
	assert.Equal(t, http.StatusRequestTimeout, apiErr.StatusCode)
	assert.Equal(t, "Request timeout", apiErr.Message)
	assert.Equal(t, 1, apiErr.Attempts, "a send the server may have acted on is not repeated")
	late := <-results
	assert.Equal(t, "/Image", late.Data.NLPClass)

	deliveries, err := fake.WaitDeliveries(ctx, 4)
	require.NoError(t, err)
	for _, d := range deliveries {
		assert.Equal(t, http.StatusOK, d.Status, "the handler accepted every delivery")
	}
}

// e2eWatch is a transport that reports each events poll as it is sent
// and again when its answer has come, so that a test can act between two
// polls without sleeping.
type e2eWatch struct {
	next           http.RoundTripper
	sent, answered chan struct{}
}

func newWatch(t *testing.T) *e2eWatch {
	next := &http.Transport{}
	t.Cleanup(next.CloseIdleConnections)
	return &e2eWatch{next: next, sent: make(chan struct{}, 64), answered: make(chan struct{}, 64)}
}

func (w *e2eWatch) RoundTrip(r *http.Request) (*http.Response, error) {
	poll := strings.HasSuffix(r.URL.Path, "/events")
	if poll {
		signal(w.sent)
	}
	resp, err := w.next.RoundTrip(r)
	if poll {
		signal(w.answered)
	}
	return resp, err
}

// signal notes an event on c without ever blocking the client.
func signal(c chan struct{}) {
	select {
	case c <- struct{}{}:
	default:
	}
}

func TestE2EEventsFollower(t *testing.T) {
	t.Run("a full answer", func(t *testing.T) {
		fake, client := e2eStart(t, []chatbottest.AimylogicOption{chatbottest.WithAimylogicEventsHold(time.Hour)})
		ids := fake.AddEvents("u", 300)
		ctx := context.Background()

		page, err := client.Events.Poll(ctx, &aimylogic.EventsParams{ClientID: "u", All: true, TS: "0"})
		require.NoError(t, err)
		assert.Len(t, page.Events, aimylogic.MaxEvents)
		assert.True(t, page.MaybeTruncated())

		var got []string
		var gaps []*aimylogic.Gap
		for e, err := range client.Events.Follow(ctx, &aimylogic.EventsParams{ClientID: "u", All: true, TS: "0"}) {
			require.NoError(t, err)
			assert.Equal(t, aimylogic.EventBotResponse, e.Type)
			require.NotNil(t, e.Response)
			assert.Equal(t, fmt.Sprintf("You said: message %d", len(got)+1), e.Response.Data.Answer, "oldest first")
			got = append(got, e.QuestionID)
			if e.Gap != nil {
				gaps = append(gaps, e.Gap)
			}
			if len(got) == len(ids) {
				break
			}
		}
		assert.Equal(t, ids, got, "each event once, in order, across the full answer")
		require.Len(t, gaps, 1, "the full answer is flagged once")
		assert.False(t, gaps[0].To.IsZero(), "the gap names where it ends")
		assert.Equal(t, 3, fake.CountRequests(http.MethodGet, "/chatapi/{token}/events"), "one Poll, then 250 and the 51 from ts")
	})

	t.Run("break", func(t *testing.T) {
		fake, client := e2eStart(t, nil)
		fake.AddEvents("u", 3)
		n := 0
		for _, err := range client.Events.Follow(context.Background(), &aimylogic.EventsParams{ClientID: "u", All: true}) {
			require.NoError(t, err)
			if n++; n == 2 {
				break
			}
		}
		assert.Equal(t, 2, n)
		assert.Equal(t, 1, fake.CountRequests(http.MethodGet, "/chatapi/{token}/events"), "no poll after the break")
	})

	t.Run("cancellation", func(t *testing.T) {
		watch := newWatch(t)
		_, client := e2eStart(t, []chatbottest.AimylogicOption{chatbottest.WithAimylogicEventsHold(time.Hour)}, chatbot.WithTransport(watch))
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		go func() {
			<-watch.sent // the poll is on its way: the server holds it
			cancel()
		}()
		var last error
		n := 0
		for _, err := range client.Events.Follow(ctx, &aimylogic.EventsParams{ClientID: "u", All: true}) {
			n++
			last = err
		}
		assert.Equal(t, 1, n, "only the error")
		assert.ErrorIs(t, last, context.Canceled)
	})

	t.Run("an empty poll", func(t *testing.T) {
		watch := newWatch(t)
		fake, client := e2eStart(t, []chatbottest.AimylogicOption{chatbottest.WithAimylogicEventsHold(time.Millisecond)},
			chatbot.WithTransport(watch), aimylogic.WithPollInterval(0))
		ctx := context.Background()

		page, err := client.Events.Poll(ctx, &aimylogic.EventsParams{ClientID: "u"})
		require.NoError(t, err, "a poll that found nothing is no error")
		assert.Empty(t, page.Events)
		<-watch.answered

		fake.Faults.FailNext(1, http.StatusRequestTimeout, chatbottest.OnPath("/events"))
		page, err = client.Events.Poll(ctx, &aimylogic.EventsParams{ClientID: "u"}, chatbot.WithCallMaxAttempts(1))
		require.NoError(t, err, "nor is the server's 408")
		assert.Empty(t, page.Events)
		<-watch.answered
		requests := fake.Requests()
		assert.Equal(t, http.StatusRequestTimeout, requests[len(requests)-1].Status)

		agentID := make(chan string, 1)
		go func() {
			<-watch.answered // the follower's first poll came back empty
			agentID <- fake.AddAgentReply("u", "Hello from a person.")
		}()
		for e, err := range client.Events.Follow(ctx, &aimylogic.EventsParams{ClientID: "u"}) {
			require.NoError(t, err)
			assert.Equal(t, aimylogic.EventType("operatorReply"), e.Type)
			assert.Equal(t, <-agentID, e.QuestionID, "the reply made after an empty poll")
			break
		}
		assert.GreaterOrEqual(t, fake.CountRequests(http.MethodGet, "/chatapi/{token}/events"), 4)
	})
}

func TestE2ERetriesThroughFaults(t *testing.T) {
	fake, client := e2eStart(t, nil)
	fake.Faults.FailNext(1, http.StatusTooManyRequests, chatbottest.WithRetryAfter("1"))
	fake.Faults.FailNext(1, http.StatusServiceUnavailable, chatbottest.WithRetryAfter("0"))
	started := time.Now()
	resp, err := client.Messages.Send(context.Background(), &aimylogic.SendParams{ClientID: "u", Query: "hello"})
	require.NoError(t, err, "429 and 503 mean the server did not act: a send is retried")
	assert.Equal(t, "/Hello", resp.Data.NLPClass)
	assert.GreaterOrEqual(t, time.Since(started), time.Second, "Retry-After is honoured")

	var statuses []int
	for _, r := range fake.Requests() {
		statuses = append(statuses, r.Status)
	}
	assert.Equal(t, []int{429, 503, 200}, statuses)
	assert.Len(t, fake.History("u"), 2, "the bot saw the message once")
}

func TestE2EWrongToken(t *testing.T) {
	const wrong = "wrong bot+ü:0000"
	fake := chatbottest.StartAimylogic(t, chatbottest.WithAimylogicToken(e2eToken))
	client := e2eClient(t, fake, wrong)
	ctx := context.Background()
	from := time.Now().Add(-time.Hour)
	calls := map[string]func() error{
		"Send": func() error {
			_, err := client.Messages.Send(ctx, &aimylogic.SendParams{ClientID: "u", Query: "hi"})
			return err
		},
		"SendSimple": func() error {
			_, err := client.Messages.SendSimple(ctx, &aimylogic.SimpleSendParams{ClientID: "u", Query: "hi"})
			return err
		},
		"SendAsync": func() error {
			_, err := client.Messages.SendAsync(ctx, &aimylogic.SendParams{ClientID: "u", Event: "start"})
			return err
		},
		"Poll": func() error {
			_, err := client.Events.Poll(ctx, &aimylogic.EventsParams{ClientID: "u", All: true, CID: "tab"})
			return err
		},
		"Follow": func() error {
			for _, err := range client.Events.Follow(ctx, &aimylogic.EventsParams{ClientID: "u"}) {
				return err
			}
			return errors.New("Follow ended without an error")
		},
		"History.List": func() error {
			_, err := client.History.List(ctx, &aimylogic.HistoryParams{ClientID: "u", From: &from})
			return err
		},
		"State.Save": func() error {
			return client.State.Save(ctx, &aimylogic.SaveStateParams{ClientID: "u", State: map[string]int{"a": 1}})
		},
		"State.Load": func() error {
			_, err := client.State.Load(ctx, "u")
			return err
		},
		"Statuses.Get": func() error {
			_, err := client.Statuses.Get(ctx, "u", "q")
			return err
		},
		"Statuses.Set": func() error {
			return client.Statuses.Set(ctx, &aimylogic.SetStatusParams{ClientID: "u", QuestionID: "q", Status: aimylogic.StatusRead})
		},
		"Statuses.SetMany": func() error {
			return client.Statuses.SetMany(ctx, &aimylogic.SetStatusesParams{ClientID: "u", Statuses: []aimylogic.StatusUpdate{{QuestionID: "q", Status: aimylogic.StatusRead}}})
		},
		"Statuses.UnreadCount": func() error {
			_, err := client.Statuses.UnreadCount(ctx, "u")
			return err
		},
	}
	for name, call := range calls {
		err := call()
		var apiErr *chatbot.APIError
		require.ErrorAs(t, err, &apiErr, name)
		assert.Equal(t, http.StatusNotFound, apiErr.StatusCode, name)
		assert.ErrorIs(t, err, chatbot.ErrNotFound, name)
		assert.Equal(t, "ChannelChat config not found for token {token} and channel CHATAPI", apiErr.Message,
			"%s: the server's text, with the token it echoes hidden", name)
		testkit.AssertNoSecret(t, wrong, err, apiErr.Message, apiErr.Body, apiErr.URL)
	}
	assert.Len(t, fake.Requests(), len(calls), "a 404 is not retried")
	assert.Nil(t, fake.History("u"))
}

func TestE2ESaluteBotPathRoot(t *testing.T) {
	fake, client := e2eStart(t, []chatbottest.AimylogicOption{chatbottest.WithAimylogicPathRoot("/chatapi/bot")}, aimylogic.WithPathRoot("chatapi/bot"))
	resp, err := client.Messages.Send(context.Background(), &aimylogic.SendParams{ClientID: "u", Query: "bye"})
	require.NoError(t, err)
	assert.True(t, resp.Data.EndSession)
	assert.Equal(t, 1, fake.CountRequests(http.MethodPost, "/chatapi/bot/{token}"))
}

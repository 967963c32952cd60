package chatbottest_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/chatbot-sdk/chatbot-go/chatbottest"
)

// alHookCall is a delivery a test receiver got.
type alHookCall struct {
	Method, ContentType string
	Results             []alResult
}

// alReceiver starts a webhook receiver that answers the n-th delivery
// (from 1) with status(n), and hands every delivery to the channel.
func alReceiver(t *testing.T, status func(n int) int) (*httptest.Server, <-chan alHookCall) {
	t.Helper()
	got := make(chan alHookCall, 16)
	var n atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		call := alHookCall{Method: r.Method, ContentType: r.Header.Get("Content-Type")}
		if err := json.Unmarshal(body, &call.Results); err != nil {
			call.Method = "not an array of results: " + string(body)
		}
		got <- call
		w.WriteHeader(status(int(n.Add(1))))
	}))
	t.Cleanup(srv.Close)
	return srv, got
}

func alOK(int) int { return http.StatusOK }

// alWaitDeliveries waits for n ended delivery attempts of fake.
func alWaitDeliveries(t *testing.T, fake *chatbottest.Aimylogic, n int) []chatbottest.AimylogicDelivery {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	d, err := fake.WaitDeliveries(ctx, n)
	require.NoError(t, err)
	return d
}

func TestAimylogicFakeAsyncDeliversToWebhook(t *testing.T) {
	hook, got := alReceiver(t, alOK)
	fake := chatbottest.StartAimylogic(t, chatbottest.WithAimylogicWebhook(hook.URL), chatbottest.WithAimylogicEventsHold(0))

	ans := alCall(t, fake, http.MethodPost, "/async", `{"clientId":"c","query":"image","cid":"tab"}`)
	require.Equal(t, http.StatusOK, ans.Status, ans.Body)
	assert.Equal(t, "application/json", ans.Header.Get("Content-Type"))
	id := alDecode[struct {
		QuestionID string `json:"questionId"`
	}](t, ans.Body).QuestionID
	assert.Regexp(t, alUUID, id)
	assert.JSONEq(t, `{"questionId":"`+id+`"}`, ans.Body, "only the request's ID")

	call := <-got
	assert.Equal(t, http.MethodPost, call.Method)
	assert.Equal(t, "application/json", call.ContentType)
	require.Len(t, call.Results, 1, "an array holding the one result")
	res := call.Results[0]
	assert.Equal(t, id, res.QuestionID)
	assert.Equal(t, fake.Token, res.Token, "the token lets a receiver check where it came from")
	assert.Equal(t, "tab", res.CID)
	assert.Equal(t, "/Image", res.Data.NLPClass)

	deliveries := alWaitDeliveries(t, fake, 1)
	require.Len(t, deliveries, 1)
	assert.Equal(t, chatbottest.AimylogicDelivery{
		URL: hook.URL, QuestionID: id, Body: deliveries[0].Body, Attempt: 1, Status: http.StatusOK,
	}, deliveries[0])
	assert.True(t, deliveries[0].Delivered())
	assert.Len(t, fake.History("c"), 2, "the async answer joins the history")
}

func TestAimylogicFakeWebhookRetries(t *testing.T) {
	hook, got := alReceiver(t, func(n int) int {
		if n == 1 {
			return http.StatusInternalServerError
		}
		return http.StatusNoContent
	})
	fake := chatbottest.StartAimylogic(t, chatbottest.WithAimylogicWebhookRetries(2, time.Millisecond))
	fake.SetWebhook(hook.URL)
	alCall(t, fake, http.MethodPost, "/async", `{"clientId":"c","query":"hi"}`)
	first, second := <-got, <-got
	assert.Equal(t, first, second, "a retry sends the same result")

	var attempts []int
	var statuses []int
	for _, d := range alWaitDeliveries(t, fake, 2) {
		attempts, statuses = append(attempts, d.Attempt), append(statuses, d.Status)
	}
	assert.Equal(t, []int{1, 2}, attempts)
	assert.Equal(t, []int{500, 204}, statuses, "no retry after a 2xx")
}

func TestAimylogicFakeWebhookGivesUp(t *testing.T) {
	var calls atomic.Int32
	hook, got := alReceiver(t, func(int) int { calls.Add(1); return http.StatusServiceUnavailable })
	fake := chatbottest.StartAimylogic(t, chatbottest.WithAimylogicWebhook(hook.URL), chatbottest.WithAimylogicWebhookRetries(2, time.Millisecond))
	id := fake.AddAgentReply("c", "Are you there?")
	for range 3 {
		call := <-got
		require.Len(t, call.Results, 1)
		assert.Equal(t, id, call.Results[0].QuestionID, "an agent's reply goes to the webhook too")
		assert.Equal(t, "Are you there?", call.Results[0].Data.Answer)
	}
	assert.Len(t, alWaitDeliveries(t, fake, 3), 3)
	fake.Close()
	assert.Equal(t, int32(3), calls.Load(), "one try and two retries, no more")
	assert.Len(t, fake.Deliveries(), 3)
}

func TestAimylogicFakeWebhookTransportError(t *testing.T) {
	arrived := make(chan struct{}, 1)
	hook := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		arrived <- struct{}{}
		conn, _, err := http.NewResponseController(w).Hijack()
		if err == nil {
			_ = conn.Close() // hang up without an answer
		}
	}))
	defer hook.Close()
	fake := chatbottest.StartAimylogic(t, chatbottest.WithAimylogicWebhook(hook.URL), chatbottest.WithAimylogicWebhookRetries(0, 0))
	alCall(t, fake, http.MethodPost, "/async", `{"clientId":"c","query":"hi"}`)
	<-arrived
	deliveries := alWaitDeliveries(t, fake, 1)
	fake.Close()
	assert.Len(t, fake.Deliveries(), 1, "no retries configured")
	assert.Zero(t, deliveries[0].Status)
	assert.NotEmpty(t, deliveries[0].Err)
	assert.False(t, deliveries[0].Delivered())
}

func TestAimylogicFakeSlowBot(t *testing.T) {
	hook, got := alReceiver(t, alOK)
	fake := chatbottest.StartAimylogic(t, chatbottest.WithAimylogicWebhook(hook.URL))
	fake.SetSlowBot(true)
	for _, send := range []func() alAnswer{
		func() alAnswer { return alCall(t, fake, http.MethodPost, "", `{"clientId":"c","query":"file"}`) },
		func() alAnswer { return alCall(t, fake, http.MethodGet, "?clientId=c&query=file", "") },
	} {
		ans := send()
		assert.Equal(t, http.StatusRequestTimeout, ans.Status)
		assert.Equal(t, "Request timeout", ans.Body)
		call := <-got
		require.Len(t, call.Results, 1, "the late answer goes to the webhook")
		assert.Equal(t, "/File", call.Results[0].Data.NLPClass)
	}

	alWaitDeliveries(t, fake, 2)
	fake.SetSlowBot(false)
	alSend(t, fake, `{"clientId":"c","query":"hi"}`)
	fake.Close()
	assert.Len(t, fake.History("c"), 6, "late answers join the history")
	assert.Len(t, fake.Deliveries(), 2, "an answer in time is not delivered")
}

func TestAimylogicFakeCloseDropsPendingDelivery(t *testing.T) {
	var calls atomic.Int32
	hook, _ := alReceiver(t, func(int) int { calls.Add(1); return http.StatusOK })
	fake := chatbottest.NewAimylogic(chatbottest.WithAimylogicWebhook(hook.URL))
	fake.SetBotDelay(time.Hour)
	ans := alCall(t, fake, http.MethodPost, "/async", `{"clientId":"c","query":"hi"}`)
	require.Equal(t, http.StatusOK, ans.Status, "an async send answers at once, whatever the bot's delay")
	fake.Close()
	assert.Zero(t, calls.Load())
	assert.Empty(t, fake.Deliveries())
	assert.Len(t, fake.History("c"), 1, "the bot never answered")
}

func TestAimylogicFakeCloseCancelsDeliveryUnderWay(t *testing.T) {
	arrived := make(chan struct{}, 1)
	hook := httptest.NewServer(http.HandlerFunc(func(_ http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body) // so that the server sees the client hang up
		arrived <- struct{}{}
		<-r.Context().Done() // never answers
	}))
	defer hook.Close()
	fake := chatbottest.NewAimylogic(chatbottest.WithAimylogicWebhook(hook.URL))
	alCall(t, fake, http.MethodPost, "/async", `{"clientId":"c","query":"hi"}`)
	<-arrived
	fake.Close() // returns: the delivery is cancelled
	deliveries := fake.Deliveries()
	require.Len(t, deliveries, 1, "no retry after Close")
	assert.Contains(t, deliveries[0].Err, "context canceled")
}

func TestAimylogicFakeBotDelayHoldsSyncSend(t *testing.T) {
	fake := chatbottest.StartAimylogic(t, chatbottest.WithAimylogicEventsHold(time.Hour))
	fake.SetBotDelay(time.Hour)
	req, err := http.NewRequest(http.MethodPost, fake.URL+"/chatapi/"+fake.Token, nil)
	require.NoError(t, err)
	client := &http.Client{Timeout: 20 * time.Millisecond}
	req.Body = io.NopCloser(strings.NewReader(`{"clientId":"c","query":"hi"}`))
	_, err = client.Do(req)
	require.Error(t, err, "the send waits for the bot")

	// The bot answered all the same: its answer is an event.
	events := alPoll(t, fake, "clientId=c&all=true")
	require.Len(t, events, 1)
	assert.Equal(t, "You said: hi", events[0].Event.Data.Answer)
}

func TestAimylogicFakeWaitDeliveriesEnds(t *testing.T) {
	fake := chatbottest.NewAimylogic()
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	got, err := fake.WaitDeliveries(ctx, 1)
	assert.ErrorIs(t, err, context.Canceled)
	assert.Empty(t, got)

	got, err = fake.WaitDeliveries(context.Background(), 0)
	assert.NoError(t, err, "nothing to wait for")
	assert.Empty(t, got)

	fake.Close()
	_, err = fake.WaitDeliveries(context.Background(), 1)
	assert.ErrorContains(t, err, "closed", "a closed fake delivers nothing more")
}

package chatbot_test

import (
	"context"
	"errors"
	"net"
	"net/http"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	chatbot "github.com/chatbot-sdk/chatbot-go"
	"github.com/chatbot-sdk/chatbot-go/internal/testkit"
)

var sendHello = &chatbot.SendParams{Message: "hello"}

func TestRetry503ThenSuccess(t *testing.T) {
	rec := serveChatThing(t,
		sendHelloExchange(testkit.Reply{Status: http.StatusServiceUnavailable, Body: "busy"}),
		sendHelloExchange(recorded("send_oneoff.json")))
	r, err := rec.client(t).Messages.Send(context.Background(), sendHello)
	require.NoError(t, err)
	assert.Equal(t, "ea74ba3d-6645-4a88-92d1-7f78b1f83688", r.ConversationID)
	reqs := rec.Requests()
	require.Len(t, reqs, 2, "a send may be retried after 503: the server did not act")
	assert.Equal(t, reqs[0].Body, reqs[1].Body, "the body is sent again whole")
}

func TestRetry429HonoursRetryAfter(t *testing.T) {
	rec := serveChatThing(t,
		startExchange(testkit.Reply{Status: http.StatusTooManyRequests, Header: http.Header{"Retry-After": {"1"}}, Body: `{"success":false}`}),
		startExchange(recorded("start_conversation.json")))
	start := time.Now()
	_, err := rec.client(t).Chats.Start(context.Background())
	require.NoError(t, err)
	elapsed := time.Since(start)
	assert.Len(t, rec.Requests(), 2)
	assert.GreaterOrEqual(t, elapsed, 900*time.Millisecond, "waited for Retry-After, not the 1ms backoff")
	assert.Less(t, elapsed, 3*time.Second)
}

func TestRetryAfterBeyondCapIsReturnedAtOnce(t *testing.T) {
	rec := serveChatThing(t, sendHelloExchange(testkit.Reply{Status: http.StatusTooManyRequests, Header: http.Header{"Retry-After": {"3600"}}, Body: `{"message":"out of credits"}`}))
	start := time.Now()
	_, err := rec.client(t, chatbot.WithMaxRetryAfter(time.Second)).Messages.Send(context.Background(), sendHello)
	var apiErr *chatbot.APIError
	require.ErrorAs(t, err, &apiErr)
	assert.ErrorIs(t, err, chatbot.ErrRateLimited)
	assert.Equal(t, time.Hour, apiErr.RetryAfter)
	assert.Equal(t, "out of credits", apiErr.Message)
	assert.Len(t, rec.Requests(), 1)
	assert.Less(t, time.Since(start), time.Second)
}

func TestSendGetting500IsAttemptedOnce(t *testing.T) {
	rec := serveChatThing(t, sendHelloExchange(testkit.Reply{Status: http.StatusInternalServerError, Body: `{"success":false,"message":"model crashed"}`}))
	_, err := rec.client(t).Messages.Send(context.Background(), sendHello)
	require.ErrorIs(t, err, chatbot.ErrServer)
	assert.Len(t, rec.Requests(), 1)
}

func TestSendIsNotRetriedOnGatewayErrors(t *testing.T) {
	for _, status := range []int{http.StatusBadGateway, http.StatusGatewayTimeout, http.StatusRequestTimeout} {
		rec := serveChatThing(t, sendHelloExchange(testkit.Reply{Status: status, Body: "gateway"}))
		_, err := rec.client(t).Messages.Send(context.Background(), sendHello)
		require.Error(t, err)
		assert.Len(t, rec.Requests(), 1, "status %d: the server may have generated a reply", status)
	}
}

func TestReadsAreRetriedOnGatewayErrors(t *testing.T) {
	rec := serveChatThing(t,
		listChatsExchange(testkit.Reply{Status: http.StatusBadGateway}),
		listChatsExchange(testkit.Reply{Status: http.StatusGatewayTimeout}),
		listChatsExchange(recorded("list_conversations.json")))
	_, err := rec.client(t).Chats.List(context.Background(), nil)
	require.NoError(t, err)
	assert.Len(t, rec.Requests(), 3)
}

func TestRetriesExhausted(t *testing.T) {
	rec := serveChatThing(t, times(3, listChatsExchange(testkit.Reply{Status: http.StatusServiceUnavailable, Body: "down"})))
	_, err := rec.client(t, chatbot.WithMaxAttempts(3)).Chats.List(context.Background(), nil)
	var apiErr *chatbot.APIError
	require.ErrorAs(t, err, &apiErr)
	assert.Equal(t, 3, apiErr.Attempts)
	assert.Equal(t, http.StatusServiceUnavailable, apiErr.StatusCode)
	assert.True(t, apiErr.Temporary())
	assert.Len(t, rec.Requests(), 3)
}

func TestCancelStopsBackoffImmediately(t *testing.T) {
	rec := serveChatThing(t, listChatsExchange(testkit.Reply{Status: http.StatusServiceUnavailable, Header: http.Header{"Retry-After": {"30"}}}))
	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(50*time.Millisecond, cancel)
	start := time.Now()
	_, err := rec.client(t).Chats.List(ctx, nil)
	require.ErrorIs(t, err, context.Canceled)
	assert.Less(t, time.Since(start), time.Second)
	assert.Len(t, rec.Requests(), 1)
}

// failingTransport fails the first n round trips before anything is
// written, as a refused connection does.
type failingTransport struct {
	n     int32
	calls atomic.Int32
	next  http.RoundTripper
}

func (f *failingTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	if f.calls.Add(1) <= f.n {
		return nil, &net.OpError{Op: "dial", Net: "tcp", Err: errors.New("connection refused")}
	}
	return f.next.RoundTrip(r)
}

func TestSendRetriedWhenNeverWritten(t *testing.T) {
	rec := serveChatThing(t, sendHelloExchange(recorded("send_oneoff.json")))
	ft := &failingTransport{n: 2, next: rec.Client().Transport}
	_, err := rec.client(t, chatbot.WithTransport(ft)).Messages.Send(context.Background(), sendHello)
	require.NoError(t, err)
	assert.EqualValues(t, 3, ft.calls.Load())
	assert.Len(t, rec.Requests(), 1)
}

func TestSendNotRetriedAfterRequestWasWritten(t *testing.T) {
	// The server reads each request whole and then drops the connection
	// without answering: it may have acted.
	hangup := testkit.Reply{Hangup: true}
	srv := serveChatThing(t, sendHelloExchange(hangup), times(4, listChatsExchange(hangup)))
	hits := func() int { return len(srv.Requests()) }
	c, err := chatbot.NewClient(testChannel, testSecret, chatbot.WithBaseURL(srv.URL()), chatbot.WithBackoff(time.Millisecond, time.Millisecond))
	require.NoError(t, err)
	_, err = c.Messages.Send(context.Background(), sendHello)
	var te *chatbot.TransportError
	require.ErrorAs(t, err, &te)
	assert.EqualValues(t, 1, hits(), "never a silent duplicate message")

	_, err = c.Chats.List(context.Background(), nil)
	require.Error(t, err)
	assert.EqualValues(t, 1+4, hits(), "reads are retried")
}

// scriptedTransport plays one step per round trip: "pass" sends the request
// for real, "refuse" fails as a refused connection would, before anything
// is written.
type scriptedTransport struct {
	steps []string
	calls atomic.Int32
	next  http.RoundTripper
}

func (s *scriptedTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	i := int(s.calls.Add(1)) - 1
	if i < len(s.steps) && s.steps[i] == "refuse" {
		return nil, &net.OpError{Op: "dial", Net: "tcp", Err: errors.New("connection refused")}
	}
	return s.next.RoundTrip(r)
}

func TestWrittenFlagIsPerAttempt(t *testing.T) {
	// Attempt 1 reaches the server (503), attempt 2 is refused before it is
	// written: the send may be retried, since this attempt never left.
	rec := serveChatThing(t, sendHelloExchange(testkit.Reply{Status: http.StatusServiceUnavailable}), sendHelloExchange(recorded("send_oneoff.json")))
	st := &scriptedTransport{steps: []string{"pass", "refuse", "pass"}, next: rec.Client().Transport}
	_, err := rec.client(t, chatbot.WithTransport(st)).Messages.Send(context.Background(), sendHello)
	require.NoError(t, err)
	assert.EqualValues(t, 3, st.calls.Load())
	assert.Len(t, rec.Requests(), 2)
}

func TestSyncRateLimitIsReturnedAtOnce(t *testing.T) {
	rec := serveChatThing(t, testkit.Exchange{Method: http.MethodPost, Path: prefix + "/data-sources/sync", JSON: `{"dataSourceId":"ds-1"}`,
		Reply: testkit.Reply{Status: http.StatusTooManyRequests, Body: `{"success":false,"message":"sync in progress"}`}})
	err := rec.client(t).DataSources.Sync(context.Background(), "ds-1")
	require.ErrorIs(t, err, chatbot.ErrRateLimited)
	assert.Len(t, rec.Requests(), 1, "a running sync does not end within a retry's wait")
}

func TestRetryAfterPastTheDeadlineIsReturnedAtOnce(t *testing.T) {
	rec := serveChatThing(t, listChatsExchange(testkit.Reply{Status: http.StatusServiceUnavailable, Header: http.Header{"Retry-After": {"5"}}}))
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	start := time.Now()
	_, err := rec.client(t).Chats.List(ctx, nil)
	var apiErr *chatbot.APIError
	require.ErrorAs(t, err, &apiErr, "the server's answer, not a bare DeadlineExceeded")
	assert.Equal(t, 5*time.Second, apiErr.RetryAfter)
	assert.Less(t, time.Since(start), 500*time.Millisecond)
	assert.Len(t, rec.Requests(), 1)
}

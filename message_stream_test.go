package chatbot_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"testing/iotest"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	chatbot "github.com/chatbot-sdk/chatbot-go"
	"github.com/chatbot-sdk/chatbot-go/chatbottest"
	"github.com/chatbot-sdk/chatbot-go/internal/testkit"
)

const sampleText = "The average distance from the Earth to the Moon is about 238,855 miles (384,400 kilometers)."

func sampleStream(t testing.TB) string {
	t.Helper()
	return string(testkit.Fixture(t, "testdata/sse/chatthing_sample.txt"))
}

// streamHi is the body of a stream of "hi" in conversation "c".
const streamHi = `{"conversationId":"c","message":"hi","stream":true}`

// streamExchange is a Messages.Stream request with this JSON body,
// answered with reply.
func streamExchange(body string, reply testkit.Reply) testkit.Exchange {
	return testkit.Exchange{
		Method: http.MethodPost, Path: prefix + "/message", JSON: body,
		Header: map[string]string{"Accept": "text/event-stream"},
		Reply:  reply,
	}
}

// sseReply answers with body as an event stream.
func sseReply(body string) testkit.Reply {
	return testkit.Reply{Header: http.Header{"Content-Type": {"text/event-stream"}}, Body: body}
}

// sampleEvents returns the sample's first n events (of 25, the last being
// [DONE]) in their wire form.
func sampleEvents(t testing.TB, n int) string {
	t.Helper()
	var b strings.Builder
	for _, p := range sampleLines(t)[:n] {
		b.WriteString("data: " + p + "\n\n")
	}
	return b.String()
}

// roundTripFunc answers requests without a network.
type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

// memClient returns a client whose /message requests are answered with 200
// and the body newBody makes; it counts them.
func memClient(t testing.TB, newBody func() io.Reader, opts ...chatbot.Option) (*chatbot.Client, *atomic.Int32) {
	t.Helper()
	var calls atomic.Int32
	rt := roundTripFunc(func(r *http.Request) (*http.Response, error) {
		if r.Body != nil {
			_, _ = io.Copy(io.Discard, r.Body)
			r.Body.Close()
		}
		calls.Add(1)
		return &http.Response{
			StatusCode: http.StatusOK, Status: "200 OK", Request: r,
			Header: http.Header{"Content-Type": {"text/event-stream"}},
			Body:   io.NopCloser(newBody()),
		}, nil
	})
	c, err := chatbot.NewClient(testChannel, testSecret, append([]chatbot.Option{chatbot.WithTransport(rt)}, opts...)...)
	require.NoError(t, err)
	return c, &calls
}

// streamOutcome is everything a finished stream tells.
type streamOutcome struct {
	chunks       int
	text, finish string
	role         chatbot.Role
	err          error
}

func drainStream(t testing.TB, c *chatbot.Client) streamOutcome {
	t.Helper()
	s, err := c.Messages.Stream(context.Background(), &chatbot.SendParams{ConversationID: "conv-1", Message: "hi"})
	require.NoError(t, err)
	defer s.Close()
	var o streamOutcome
	var text strings.Builder
	for s.Next() {
		o.chunks++
		text.WriteString(s.Current().Content())
	}
	o.text, o.finish, o.role, o.err = s.Text(), s.FinishReason(), s.Role(), s.Err()
	require.Equal(t, o.text, text.String(), "Text() is the sum of the chunks' Content()")
	require.Equal(t, o.err, s.Err(), "Err is stable")
	require.False(t, s.Next(), "Next stays false")
	return o
}

// eachBodySplit runs check on a stream whose body is input whole, one byte
// per Read, 1-64 bytes per Read, and split in two at every position.
func eachBodySplit(t *testing.T, input string, check func(t *testing.T, o streamOutcome), opts ...chatbot.Option) {
	t.Helper()
	run := func(t *testing.T, body func() io.Reader) {
		c, calls := memClient(t, body, opts...)
		check(t, drainStream(t, c))
		assert.Equal(t, int32(1), calls.Load(), "a stream is sent once")
	}
	t.Run("whole", func(t *testing.T) { run(t, func() io.Reader { return strings.NewReader(input) }) })
	t.Run("one-byte-reads", func(t *testing.T) {
		run(t, func() io.Reader { return iotest.OneByteReader(strings.NewReader(input)) })
	})
	t.Run("1-64-byte-reads", func(t *testing.T) {
		run(t, func() io.Reader { return testkit.SplitReader([]byte(input), []int{1, 64, 7, 33, 2, 50}...) })
	})
	for i := 1; i < len(input); i += max(1, len(input)/400) {
		t.Run(fmt.Sprintf("split-at-%d", i), func(t *testing.T) {
			run(t, func() io.Reader { return io.MultiReader(strings.NewReader(input[:i]), strings.NewReader(input[i:])) })
		})
	}
}

func TestStreamDocumentedSample(t *testing.T) {
	eachBodySplit(t, sampleStream(t), func(t *testing.T, o streamOutcome) {
		require.NoError(t, o.err)
		assert.Equal(t, streamOutcome{chunks: 24, text: sampleText, finish: "stop", role: chatbot.RoleAssistant}, o)
	})
}

func TestStreamChunkFields(t *testing.T) {
	c, _ := memClient(t, func() io.Reader { return strings.NewReader(sampleStream(t)) })
	s, err := c.Messages.Stream(context.Background(), &chatbot.SendParams{ConversationID: "conv-1", Message: "hi"})
	require.NoError(t, err)
	defer s.Close()
	var all []chatbot.ChatCompletionChunk
	for chunk, err := range s.All() {
		require.NoError(t, err)
		cp := *chunk
		cp.Choices = append([]chatbot.ChunkChoice(nil), chunk.Choices...)
		all = append(all, cp)
	}
	require.Len(t, all, 24)
	for _, ch := range all {
		assert.Equal(t, "chatcmpl-7MZUCOltFCEIMM1zJWdb2LI5teuCl", ch.ID)
		assert.Equal(t, "chat.completion.chunk", ch.Object)
		assert.Equal(t, int64(1685613980), ch.Created)
		assert.Equal(t, "gpt-3.5-turbo-0301", ch.Model)
		require.Len(t, ch.Choices, 1)
		assert.Equal(t, 0, ch.Choices[0].Index)
	}
	assert.Equal(t, chatbot.ChunkDelta{Role: chatbot.RoleAssistant}, all[0].Choices[0].Delta)
	assert.Equal(t, chatbot.ChunkDelta{Content: " average"}, all[2].Choices[0].Delta)
	assert.Equal(t, chatbot.ChunkDelta{Content: " "}, all[12].Choices[0].Delta)
	assert.Equal(t, "", all[22].Choices[0].FinishReason)
	assert.Equal(t, chatbot.ChunkChoice{FinishReason: "stop"}, all[23].Choices[0])
	assert.Equal(t, "conv-1", s.ConversationID())
}

func TestStreamEnds(t *testing.T) {
	partial := "The average distance from the Earth"
	cases := []struct {
		name, body string
		want       streamOutcome // err compared by check
		check      func(t *testing.T, err error)
	}{
		{"EOF after finish_reason is clean", sampleEvents(t, 24),
			streamOutcome{chunks: 24, text: sampleText, finish: "stop", role: "assistant"}, nil},
		{"EOF without either is truncation", sampleEvents(t, 7),
			streamOutcome{chunks: 7, text: partial, role: "assistant"}, func(t *testing.T, err error) {
				require.ErrorIs(t, err, io.ErrUnexpectedEOF)
				assert.Contains(t, err.Error(), "without [DONE] or a finish reason")
			}},
		{"cut inside an event is truncation", sampleEvents(t, 7) + "data: {\"id\":\"chatcmpl-7MZ",
			streamOutcome{chunks: 7, text: partial, role: "assistant"}, func(t *testing.T, err error) {
				require.ErrorIs(t, err, io.ErrUnexpectedEOF)
			}},
		{"empty body is truncation", "", streamOutcome{}, func(t *testing.T, err error) {
			require.ErrorIs(t, err, io.ErrUnexpectedEOF)
		}},
		{"error event", sampleEvents(t, 7) + "event: error\ndata: {\"message\":\"You have run out of credits\",\"code\":429}\n\n" + sampleEvents(t, 25),
			streamOutcome{chunks: 7, text: partial, role: "assistant"}, func(t *testing.T, err error) {
				var se *chatbot.StreamError
				require.ErrorAs(t, err, &se)
				assert.Equal(t, "You have run out of credits", se.Message)
				assert.Equal(t, "429", se.Code)
				assert.Contains(t, err.Error(), "You have run out of credits")
			}},
		{"error event with text data", "event: error\r\ndata: upstream overloaded\r\n\r\n",
			streamOutcome{}, func(t *testing.T, err error) {
				var se *chatbot.StreamError
				require.ErrorAs(t, err, &se)
				assert.Equal(t, "upstream overloaded", se.Message)
			}},
		{"payload with an error object", sampleEvents(t, 3) + `data: {"error":{"message":"The model is overloaded","type":"server_error"}}` + "\n\n",
			streamOutcome{chunks: 3, text: "The average", role: "assistant"}, func(t *testing.T, err error) {
				var se *chatbot.StreamError
				require.ErrorAs(t, err, &se)
				assert.Equal(t, "The model is overloaded", se.Message)
				assert.Equal(t, "server_error", se.Code)
				assert.Contains(t, se.Data, "overloaded")
			}},
		{"payload with an error string", `data: {"success":false,"error":"channel disabled"}` + "\n\n",
			streamOutcome{}, func(t *testing.T, err error) {
				var se *chatbot.StreamError
				require.ErrorAs(t, err, &se)
				assert.Equal(t, "channel disabled", se.Message)
			}},
		{"error null is no error", `data: {"error":null,"choices":[{"delta":{"content":"ok"},"finish_reason":"stop"}]}` + "\n\n",
			streamOutcome{chunks: 1, text: "ok", finish: "stop"}, nil},
		{"payload that is not JSON", sampleEvents(t, 2) + "data: <html>\n\n",
			streamOutcome{chunks: 2, text: "The", role: "assistant"}, func(t *testing.T, err error) {
				var de *chatbot.DecodeError
				require.ErrorAs(t, err, &de)
				assert.Equal(t, "Messages.Stream", de.Op)
				assert.Contains(t, de.Snippet, "<html>")
			}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			eachBodySplit(t, tc.body, func(t *testing.T, o streamOutcome) {
				if tc.check == nil {
					require.NoError(t, o.err)
				} else {
					tc.check(t, o.err)
				}
				o.err = nil
				assert.Equal(t, tc.want, o)
			})
		})
	}
}

func TestStreamWireVariants(t *testing.T) {
	lines := sampleLines(t)
	var single, crlf, chatty strings.Builder
	for _, p := range lines {
		single.WriteString("data: " + p + "\n") // events ended by one newline
		crlf.WriteString("data:" + p + "\r\n\r\n")
		chatty.WriteString(": keep-alive\n\nevent: ping\ndata: ping\n\nid: 1\nevent: message\ndata: " + p + "\n\n\n\n")
	}
	multiLine := `data: {"id":"x","choices":[` + "\n" + `data: {"delta":{"content":"multi"},` + "\n" +
		`data: "finish_reason":"stop"}]}` + "\n\n" + "data: [DONE]\n\n"
	full := streamOutcome{chunks: 24, text: sampleText, finish: "stop", role: "assistant"}
	for name, tc := range map[string]struct {
		body string
		want streamOutcome
	}{
		"single newline between events":        {single.String(), full},
		"CRLF and no space after colon":        {crlf.String(), full},
		"comments, pings, ids and blank lines": {chatty.String(), full},
		"BOM":                                  {"\xEF\xBB\xBF" + sampleStream(t), full},
		"JSON spread over data lines":          {multiLine, streamOutcome{chunks: 1, text: "multi", finish: "stop"}},
		"blank payloads skipped":               {"data:\n\ndata:  \n\n" + sampleStream(t), full},
	} {
		t.Run(name, func(t *testing.T) {
			eachBodySplit(t, tc.body, func(t *testing.T, o streamOutcome) {
				require.NoError(t, o.err)
				assert.Equal(t, tc.want, o)
			})
		})
	}
}

func TestStreamEventTooLarge(t *testing.T) {
	body := sampleEvents(t, 2) + "data: {\"choices\":[{\"delta\":{\"content\":\"" + strings.Repeat("z", 300) + "\"}}]}\n\n"
	eachBodySplit(t, body, func(t *testing.T, o streamOutcome) {
		require.ErrorIs(t, o.err, chatbot.ErrEventTooLarge)
		assert.Contains(t, o.err.Error(), "Messages.Stream")
		assert.Equal(t, "The", o.text)
	}, chatbot.WithMaxEventBytes(256))
}

func TestStreamReadFailureIsNotRetried(t *testing.T) {
	reset := errors.New("connection reset by peer")
	c, calls := memClient(t, func() io.Reader {
		return io.MultiReader(strings.NewReader(sampleEvents(t, 4)), iotest.ErrReader(reset))
	})
	o := drainStream(t, c)
	require.ErrorIs(t, o.err, reset)
	assert.Equal(t, "The average distance", o.text)
	assert.Equal(t, int32(1), calls.Load())
}

func TestStreamRequest(t *testing.T) {
	rec := serveChatThing(t, streamExchange(`{"conversationId":"conv 1+x","message":"How far is the Moon?","stream":true}`, sseReply(sampleStream(t))))
	s, err := rec.client(t).Messages.Stream(context.Background(), &chatbot.SendParams{ConversationID: "conv 1+x", Message: "How far is the Moon?"})
	require.NoError(t, err)
	defer s.Close()
	for s.Next() {
	}
	require.NoError(t, s.Err())
	assert.Equal(t, sampleText, s.Text())
	reqs := rec.Requests()
	require.Len(t, reqs, 1)
	got := reqs[0]
	assert.Equal(t, "text/event-stream", got.Header.Get("Accept"))
	assert.Equal(t, testSecret, got.Header.Get("X-API-Secret-Key"))
	assert.Equal(t, "application/json", got.Header.Get("Content-Type"))
	assert.Equal(t, "conv 1+x", s.ConversationID())
}

func TestStreamStartsAConversationFirst(t *testing.T) {
	rec := serveChatThing(t,
		startExchange(testkit.Reply{Body: `{"success":true,"conversationId":"7bb301ad-e691-4341-8afb-b4407c4ffdf2","response":"Hello, how can I help you?"}`}),
		streamExchange(`{"conversationId":"7bb301ad-e691-4341-8afb-b4407c4ffdf2","message":"hi","stream":true}`, sseReply(sampleStream(t))))
	s, err := rec.client(t).Messages.Stream(context.Background(), &chatbot.SendParams{Message: "hi"})
	require.NoError(t, err)
	defer s.Close()
	assert.Equal(t, "7bb301ad-e691-4341-8afb-b4407c4ffdf2", s.ConversationID())
	for s.Next() {
	}
	require.NoError(t, s.Err())
	require.Len(t, rec.Requests(), 2)
}

func TestStreamValidationBeforeAnyRequest(t *testing.T) {
	c, calls := memClient(t, func() io.Reader { return strings.NewReader(sampleStream(t)) })
	for _, p := range []*chatbot.SendParams{nil, {Message: " "}, {ConversationID: "..", Message: "hi"}} {
		_, err := c.Messages.Stream(context.Background(), p)
		var ve *chatbot.ValidationError
		require.ErrorAs(t, err, &ve)
	}
	assert.Equal(t, int32(0), calls.Load())
}

func TestStreamHTTPErrorBeforeAnyChunk(t *testing.T) {
	rec := serveChatThing(t, streamExchange(streamHi, testkit.Reply{Status: http.StatusForbidden, Body: `{"success":false,"message":"secret key does not match"}`}))
	_, err := rec.client(t).Messages.Stream(context.Background(), &chatbot.SendParams{ConversationID: "c", Message: "hi"})
	var apiErr *chatbot.APIError
	require.ErrorAs(t, err, &apiErr)
	assert.ErrorIs(t, err, chatbot.ErrForbidden)
	assert.Equal(t, "Messages.Stream", apiErr.Op)
	assert.Equal(t, "secret key does not match", apiErr.Message)
	assert.NotContains(t, err.Error(), testSecret)
	assert.Len(t, rec.Requests(), 1, "403 is not retried")
}

func TestStreamRetriedBeforeFirstByte(t *testing.T) {
	rec := serveChatThing(t,
		streamExchange(streamHi, testkit.Reply{Status: http.StatusServiceUnavailable, Body: `{"message":"busy"}`}),
		streamExchange(streamHi, sseReply(sampleStream(t))))
	s, err := rec.client(t).Messages.Stream(context.Background(), &chatbot.SendParams{ConversationID: "c", Message: "hi"})
	require.NoError(t, err)
	defer s.Close()
	for s.Next() {
	}
	require.NoError(t, s.Err())
	assert.Equal(t, sampleText, s.Text())
	assert.Len(t, rec.Requests(), 2)
}

// sseScript says how an sseServer plays its events.
type sseScript struct {
	// gap is the wait before each event after the first.
	gap time.Duration
	// stallAt, when above zero, is how many events are sent before the
	// server goes quiet and waits for the client to leave.
	stallAt int
	// ack, when set, is received from after each event but the last before
	// the next one is sent, so the client proves it was handed each event
	// while the server still held back the rest.
	ack <-chan struct{}
	// eventEnd ends each event: "\n\n" when empty.
	eventEnd string
}

// ackWait is how long an sseServer waits for an acknowledgement before
// it gives up waiting (and sends the rest at once): far beyond any delivery
// that is not held back, short enough to fail rather than hang.
const ackWait = 5 * time.Second

// sseServer serves events as its script says, then ends the body. sent
// receives the time each event was flushed; missedAck tells whether an
// acknowledgement did not come.
type sseServer struct {
	*httptest.Server
	newConns  atomic.Int32
	mu        sync.Mutex
	sent      []time.Time
	missedAck bool
}

func startSSEServer(t *testing.T, events []string, script sseScript) *sseServer {
	t.Helper()
	if script.eventEnd == "" {
		script.eventEnd = "\n\n"
	}
	s := &sseServer{}
	s.Server = httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		w.Header().Set("Content-Type", "text/event-stream")
		rc := http.NewResponseController(w)
		for i, ev := range events {
			if i == script.stallAt && i > 0 {
				<-r.Context().Done()
				return
			}
			if i > 0 && script.gap > 0 {
				select {
				case <-time.After(script.gap):
				case <-r.Context().Done():
					return
				}
			}
			_, _ = io.WriteString(w, "data: "+ev+script.eventEnd)
			last := i == len(events)-1
			if !last {
				// The last event goes out with the end of the body, so
				// that a client reading on after it finds the end at once.
				_ = rc.Flush()
			}
			s.mu.Lock()
			s.sent = append(s.sent, time.Now())
			waitAck := script.ack != nil && !last && !s.missedAck
			s.mu.Unlock()
			if waitAck {
				select {
				case <-script.ack:
				case <-r.Context().Done():
					return
				case <-time.After(ackWait):
					s.mu.Lock()
					s.missedAck = true
					s.mu.Unlock()
				}
			}
		}
	}))
	s.Config.ConnState = func(_ net.Conn, st http.ConnState) {
		if st == http.StateNew {
			s.newConns.Add(1)
		}
	}
	s.Start()
	t.Cleanup(s.Close)
	return s
}

func (s *sseServer) client(t *testing.T, opts ...chatbot.Option) *chatbot.Client {
	t.Helper()
	tr := http.DefaultTransport.(*http.Transport).Clone()
	t.Cleanup(tr.CloseIdleConnections)
	c, err := chatbot.NewClient(testChannel, testSecret, append([]chatbot.Option{
		chatbot.WithBaseURL(s.URL), chatbot.WithHTTPClient(&http.Client{Transport: tr}),
	}, opts...)...)
	require.NoError(t, err)
	return c
}

func openStream(t *testing.T, ctx context.Context, c *chatbot.Client) *chatbot.MessageStream {
	t.Helper()
	s, err := c.Messages.Stream(ctx, &chatbot.SendParams{ConversationID: "c", Message: "hi"})
	require.NoError(t, err)
	t.Cleanup(func() { s.Close() })
	return s
}

func TestStreamDeltasArriveAsSent(t *testing.T) {
	// The server sends each event only once the client has been handed the
	// one before: a stream that held deltas back (for the next event, a
	// blank line or the end of the body) never gets the acknowledgement.
	// The latency bound is only a sanity check, loose enough for a loaded
	// machine.
	const latency = 500 * time.Millisecond
	for name, end := range map[string]string{"events ended by a blank line": "\n\n", "events ended by one newline": "\n"} {
		t.Run(name, func(t *testing.T) {
			const n = 8
			ack := make(chan struct{}, n)
			srv := startSSEServer(t, sampleLines(t)[:n], sseScript{ack: ack, eventEnd: end})
			s := openStream(t, context.Background(), srv.client(t))
			var got []time.Time
			for s.Next() {
				got = append(got, time.Now())
				ack <- struct{}{}
			}
			require.ErrorIs(t, s.Err(), io.ErrUnexpectedEOF, "the events end before the finish reason")
			srv.mu.Lock()
			defer srv.mu.Unlock()
			require.False(t, srv.missedAck, "a delta was held back until the server sent more")
			require.Len(t, got, n)
			require.Len(t, srv.sent, n)
			for i := range got {
				assert.Less(t, got[i].Sub(srv.sent[i]), latency, "delta %d", i)
			}
			assert.Equal(t, "The average distance from the Earth to", s.Text())
		})
	}
}

func TestStreamConnectionReused(t *testing.T) {
	for name, n := range map[string]int{"after [DONE]": 25, "after EOF with finish_reason": 24} {
		t.Run(name, func(t *testing.T) {
			srv := startSSEServer(t, sampleLines(t)[:n], sseScript{})
			c := srv.client(t)
			for range 3 {
				s := openStream(t, context.Background(), c)
				for s.Next() {
				}
				require.NoError(t, s.Err())
				require.Equal(t, sampleText, s.Text())
				require.NoError(t, s.Close())
			}
			assert.Equal(t, int32(1), srv.newConns.Load(), "every stream used the first connection")
		})
	}
}

func TestStreamCancel(t *testing.T) {
	stop := map[string]func(cancel context.CancelFunc, s *chatbot.MessageStream){
		"context": func(cancel context.CancelFunc, _ *chatbot.MessageStream) { cancel() },
		"Close":   func(_ context.CancelFunc, s *chatbot.MessageStream) { s.Close() },
	}
	for name, stopIt := range stop {
		t.Run(name+" while blocked", func(t *testing.T) {
			srv := startSSEServer(t, sampleLines(t), sseScript{stallAt: 3})
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			s := openStream(t, ctx, srv.client(t))
			for range 3 {
				require.True(t, s.Next())
			}
			time.AfterFunc(30*time.Millisecond, func() { stopIt(cancel, s) })
			start := time.Now()
			require.False(t, s.Next())
			assert.Less(t, time.Since(start), time.Second)
			require.ErrorIs(t, s.Err(), context.Canceled)
			assert.Equal(t, "The average", s.Text())
		})
		t.Run(name+" between chunks", func(t *testing.T) {
			srv := startSSEServer(t, sampleLines(t), sseScript{})
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			s := openStream(t, ctx, srv.client(t))
			require.True(t, s.Next())
			stopIt(cancel, s)
			require.False(t, s.Next())
			require.ErrorIs(t, s.Err(), context.Canceled)
			assert.Equal(t, chatbot.RoleAssistant, s.Role())
		})
	}
	t.Run("Close after the end keeps it clean", func(t *testing.T) {
		srv := startSSEServer(t, sampleLines(t), sseScript{})
		s := openStream(t, context.Background(), srv.client(t))
		for s.Next() {
		}
		require.NoError(t, s.Close())
		require.NoError(t, s.Close())
		require.NoError(t, s.Err())
	})
	t.Run("breaking out of All closes", func(t *testing.T) {
		srv := startSSEServer(t, sampleLines(t), sseScript{})
		s := openStream(t, context.Background(), srv.client(t))
		for range s.All() {
			break
		}
		require.ErrorIs(t, s.Err(), context.Canceled)
		assert.False(t, s.Next())
	})
}

func TestStreamIdleTimeout(t *testing.T) {
	const idle = 100 * time.Millisecond
	srv := startSSEServer(t, sampleLines(t), sseScript{stallAt: 2})
	s := openStream(t, context.Background(), srv.client(t, chatbot.WithStreamIdleTimeout(idle)))
	require.True(t, s.Next())
	require.True(t, s.Next())
	start := time.Now()
	require.False(t, s.Next())
	elapsed := time.Since(start)
	require.ErrorIs(t, s.Err(), chatbot.ErrStreamIdle)
	assert.Contains(t, s.Err().Error(), "100ms")
	assert.GreaterOrEqual(t, elapsed, idle, "timers never fire early")
	assert.Less(t, elapsed, 3*time.Second, "it fires within 1.25×idle; the rest is room for a loaded machine")
	assert.Equal(t, "The", s.Text())
}

func TestStreamLongerThanTimeoutIsNotCut(t *testing.T) {
	// 24 gaps make the stream last four times the header timeout, while
	// the idle timeout is twenty gaps: only a timeout that wrongly covered
	// the whole stream can cut it.
	const (
		gap     = 50 * time.Millisecond
		timeout = 300 * time.Millisecond
		idle    = 20 * gap
	)
	srv := startSSEServer(t, sampleLines(t), sseScript{gap: gap})
	start := time.Now()
	s := openStream(t, context.Background(), srv.client(t, chatbot.WithTimeout(timeout), chatbot.WithStreamIdleTimeout(idle)))
	for s.Next() {
	}
	require.NoError(t, s.Err())
	assert.Equal(t, sampleText, s.Text())
	assert.Greater(t, time.Since(start), timeout, "the stream outlasted the timeout")
}

func TestStreamAgainstFakeServer(t *testing.T) {
	fake := chatbottest.StartChatThing(t)
	c, err := chatbot.NewClient(fake.ChannelID, fake.SecretKey, chatbot.WithBaseURL(fake.URL))
	require.NoError(t, err)
	ctx := context.Background()

	s, err := c.Messages.Stream(ctx, &chatbot.SendParams{Message: "How far away is the Moon?"})
	require.NoError(t, err)
	defer s.Close()
	for s.Next() {
	}
	require.NoError(t, s.Err())
	assert.Equal(t, sampleText, s.Text())
	assert.Equal(t, "stop", s.FinishReason())
	require.NotEmpty(t, s.ConversationID())

	page, err := c.Messages.List(ctx, s.ConversationID(), nil)
	require.NoError(t, err)
	require.NotEmpty(t, page.Messages)
	assert.Equal(t, sampleText, page.Messages[len(page.Messages)-1].Message, "the stream continued the started conversation")

	fake.CutNextStream(5)
	s2, err := c.Messages.Stream(ctx, &chatbot.SendParams{ConversationID: s.ConversationID(), Message: "How far away is the Moon?"})
	require.NoError(t, err)
	defer s2.Close()
	for s2.Next() {
	}
	require.ErrorIs(t, s2.Err(), io.ErrUnexpectedEOF)
	assert.NotEmpty(t, s2.Text())
}

func TestStreamAnsweredWithJSON(t *testing.T) {
	jsonHeader := http.Header{"Content-Type": {"application/json; charset=utf-8"}}
	open := func(t *testing.T, body string) (*chatbot.MessageStream, error) {
		rec := serveChatThing(t, streamExchange(streamHi, testkit.Reply{Header: jsonHeader, Body: body}))
		return rec.client(t).Messages.Stream(context.Background(), &chatbot.SendParams{ConversationID: "c", Message: "hi"})
	}
	t.Run("a whole reply is one chunk", func(t *testing.T) {
		s, err := open(t, "\n "+`{"success":true,"conversationId":"c","response":"Hello \"there\""}`)
		require.NoError(t, err)
		defer s.Close()
		require.True(t, s.Next())
		assert.Equal(t, `Hello "there"`, s.Current().Content())
		assert.False(t, s.Next())
		require.NoError(t, s.Err())
		assert.Equal(t, `Hello "there"`, s.Text())
		assert.Equal(t, "stop", s.FinishReason())
		assert.Equal(t, chatbot.RoleAssistant, s.Role())
	})
	t.Run("success false is an APIError", func(t *testing.T) {
		_, err := open(t, `{"success":false,"message":"You may of run out of credits"}`)
		var apiErr *chatbot.APIError
		require.ErrorAs(t, err, &apiErr)
		assert.ErrorIs(t, err, chatbot.ErrUnsuccessful)
		assert.Equal(t, "You may of run out of credits", apiErr.Message)
		assert.Equal(t, "Messages.Stream", apiErr.Op)
		assert.NotContains(t, err.Error(), testSecret)
	})
	t.Run("not JSON after all", func(t *testing.T) {
		_, err := open(t, `{"success":true,`)
		var de *chatbot.DecodeError
		require.ErrorAs(t, err, &de)
	})
	t.Run("events labelled as JSON are still events", func(t *testing.T) {
		s, err := open(t, sampleStream(t))
		require.NoError(t, err)
		defer s.Close()
		for s.Next() {
		}
		require.NoError(t, s.Err())
		assert.Equal(t, sampleText, s.Text())
	})
}

// FuzzMessageStream checks that a stream's outcome does not depend on how
// the body is split across reads (the eager hand-over of first data lines
// included), and that no body makes it panic or hang.
func FuzzMessageStream(f *testing.F) {
	f.Add([]byte("data: {\"choices\":[{\"delta\":{\"content\":\"a\"}}]}\r\ndata: {\"choices\":[\r\ndata: {\"finish_reason\":\"stop\"}]}\r\n\r\n"), uint8(3))
	f.Add([]byte("event: error\ndata: {\"error\":\"x\"}\n\n"), uint8(1))
	f.Add([]byte("data: [DONE]\r"), uint8(9))
	f.Fuzz(func(t *testing.T, body []byte, split uint8) {
		outcome := func(sizes []int) (streamOutcome, string) {
			c, _ := memClient(t, func() io.Reader { return testkit.SplitReader(body, sizes...) })
			o := drainStream(t, c)
			msg := ""
			if o.err != nil {
				msg = o.err.Error()
			}
			o.err = nil
			return o, msg
		}
		want, wantErr := outcome([]int{len(body) + 1})
		for _, sizes := range [][]int{{1}, {int(split%16) + 1, int(split/16) + 1}} {
			got, gotErr := outcome(sizes)
			if got != want || gotErr != wantErr {
				t.Fatalf("reads of %v: %+v %q; whole: %+v %q", sizes, got, gotErr, want, wantErr)
			}
		}
	})
}

func TestStreamSlowReaderIsNotIdle(t *testing.T) {
	// The caller's pauses are well past the idle timeout (which fires
	// within 1.25×idle), but the server sent everything at once: the
	// stream must not count the caller's time as the server's.
	const idle = 250 * time.Millisecond
	srv := startSSEServer(t, sampleLines(t), sseScript{})
	s := openStream(t, context.Background(), srv.client(t, chatbot.WithStreamIdleTimeout(idle)))
	for i := 0; s.Next(); i++ {
		if i < 2 {
			time.Sleep(2 * idle) // the events wait in the buffers meanwhile
		}
	}
	require.NoError(t, s.Err())
	assert.Equal(t, sampleText, s.Text())
}

// stallingServer answers with a 200 whose Content-Type is contentType,
// writes head and then sends nothing more until the client leaves or the
// test ends (so that a client that never gives up fails the test instead
// of hanging it).
func stallingServer(t *testing.T, contentType, head string) *httptest.Server {
	t.Helper()
	release := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		w.Header().Set("Content-Type", contentType)
		_, _ = io.WriteString(w, head)
		_ = http.NewResponseController(w).Flush()
		select {
		case <-r.Context().Done():
		case <-release:
		}
	}))
	t.Cleanup(srv.Close)
	t.Cleanup(func() { close(release) }) // runs first: lets the handler end
	return srv
}

// streamWithin calls Stream in a goroutine and fails the test if it has not
// returned within limit.
func streamWithin(t *testing.T, c *chatbot.Client, limit time.Duration) error {
	t.Helper()
	done := make(chan error, 1)
	go func() {
		s, err := c.Messages.Stream(context.Background(), &chatbot.SendParams{ConversationID: "c", Message: "hi"})
		if s != nil {
			s.Close()
		}
		done <- err
	}()
	select {
	case err := <-done:
		return err
	case <-time.After(limit):
		t.Fatalf("Stream still blocked after %s", limit)
		return nil
	}
}

func TestStreamJSONReplyBoundedByTimeout(t *testing.T) {
	const timeout = 200 * time.Millisecond
	for name, head := range map[string]string{
		"stalled inside the object":     `{"success":`,
		"stalled before the first byte": "",
		"stalled in leading space":      "\n  ",
	} {
		t.Run(name, func(t *testing.T) {
			srv := stallingServer(t, "application/json", head)
			c, err := chatbot.NewClient(testChannel, testSecret, chatbot.WithBaseURL(srv.URL),
				chatbot.WithHTTPClient(srv.Client()), chatbot.WithTimeout(timeout))
			require.NoError(t, err)
			start := time.Now()
			err = streamWithin(t, c, 5*time.Second)
			require.ErrorIs(t, err, context.DeadlineExceeded)
			assert.Contains(t, err.Error(), "Messages.Stream")
			assert.GreaterOrEqual(t, time.Since(start), timeout)
		})
	}
}

func TestStreamJSONRefusalIsTheEnginesAPIError(t *testing.T) {
	// Longer than a decode snippet, shorter than the engine's 2 KiB.
	long := strings.Repeat("out of credits; ", 30)
	body := `{"success":false,"message":"` + long + `","key":"` + testSecret + `"}`
	rec := serveChatThing(t, streamExchange(streamHi, testkit.Reply{Body: body,
		Header: http.Header{"Content-Type": {"application/json"}, "Retry-After": {"7"}}}))
	_, err := rec.client(t).Messages.Stream(context.Background(), &chatbot.SendParams{ConversationID: "c", Message: "hi"})
	var apiErr *chatbot.APIError
	require.ErrorAs(t, err, &apiErr)
	assert.ErrorIs(t, err, chatbot.ErrUnsuccessful)
	redacted := strings.ReplaceAll(body, testSecret, "[REDACTED]")
	require.NotEqual(t, body, redacted)
	want := chatbot.APIError{
		Op: "Messages.Stream", StatusCode: http.StatusOK, Method: http.MethodPost,
		URL: rec.URL() + prefix + "/message", Message: long, Body: redacted,
		RetryAfter: 7 * time.Second, Attempts: 1,
	}
	assert.Equal(t, []any{want.Op, want.StatusCode, want.Method, want.URL, want.Message, want.Body, want.RetryAfter, want.Attempts},
		[]any{apiErr.Op, apiErr.StatusCode, apiErr.Method, apiErr.URL, apiErr.Message, apiErr.Body, apiErr.RetryAfter, apiErr.Attempts})
	assert.NotContains(t, fmt.Sprintf("%+v %#v", err, err), testSecret)

	t.Run("without a message", func(t *testing.T) {
		rec := serveChatThing(t, streamExchange(streamHi, testkit.Reply{Body: `{"success":false}`}))
		_, err := rec.client(t).Messages.Stream(context.Background(), &chatbot.SendParams{ConversationID: "c", Message: "hi"})
		var apiErr *chatbot.APIError
		require.ErrorAs(t, err, &apiErr)
		assert.Equal(t, `response said "success": false`, apiErr.Message)
	})
	t.Run("over MaxResponseBytes", func(t *testing.T) {
		rec := serveChatThing(t, streamExchange(streamHi, testkit.Reply{Body: `{"success":true,"response":"` + strings.Repeat("x", 600) + `"}`}))
		_, err := rec.client(t, chatbot.WithMaxResponseBytes(512)).Messages.Stream(context.Background(), &chatbot.SendParams{ConversationID: "c", Message: "hi"})
		require.ErrorIs(t, err, chatbot.ErrBodyTooLarge)
		assert.Contains(t, err.Error(), "Messages.Stream")
	})
}

// deltaFlood is a hostile stream body: content deltas of delta, count times,
// with no finish reason and no [DONE]. It is generated as it is read.
type deltaFlood struct {
	event []byte
	count int
	rest  []byte
}

func newDeltaFlood(delta string, count int) *deltaFlood {
	return &deltaFlood{event: []byte(`data: {"choices":[{"index":0,"delta":{"content":"` + delta + `"}}]}` + "\n\n"), count: count}
}

func (f *deltaFlood) Read(p []byte) (int, error) {
	if len(f.rest) == 0 {
		if f.count == 0 {
			return 0, io.EOF
		}
		f.count--
		f.rest = f.event
	}
	n := copy(p, f.rest)
	f.rest = f.rest[n:]
	return n, nil
}

func TestStreamTextBoundedByMaxResponseBytes(t *testing.T) {
	cases := map[string]struct {
		delta string
		limit int64 // 0: the default
		opts  []chatbot.Option
	}{
		"WithMaxResponseBytes": {delta: "abcdefgh", limit: 1 << 10, opts: []chatbot.Option{chatbot.WithMaxResponseBytes(1 << 10)}},
		"default 8 MiB":        {delta: strings.Repeat("0123456789abcdef", 4<<10), limit: 8 << 20},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			// Twice the limit, and then the body ends without [DONE]: a
			// client without the bound reports io.ErrUnexpectedEOF instead.
			count := int(2 * tc.limit / int64(len(tc.delta)))
			c, _ := memClient(t, func() io.Reader { return newDeltaFlood(tc.delta, count) }, tc.opts...)
			o := drainStream(t, c)
			require.ErrorIs(t, o.err, chatbot.ErrBodyTooLarge)
			assert.Contains(t, o.err.Error(), "Messages.Stream")
			assert.Contains(t, o.err.Error(), fmt.Sprint(tc.limit))
			// The limit is a multiple of the delta: the text stops exactly at it.
			assert.Equal(t, int(tc.limit), len(o.text))
			assert.Equal(t, int(tc.limit)/len(tc.delta), o.chunks)
		})
	}
}

func TestStreamErrorNeverShowsTheSecret(t *testing.T) {
	// The secret where a 512-byte cut of the message would split it.
	straddling := strings.Repeat("x", 512-len(testSecret)/2) + testSecret
	cases := map[string]struct {
		body        string
		wantMessage string // with the secret replaced
	}{
		"error event with a JSON object": {
			body:        "event: error\ndata: {\"message\":\"key " + testSecret + " rejected\",\"code\":\"" + testSecret + "\"}\n\n",
			wantMessage: "key [REDACTED] rejected",
		},
		"error event with text": {
			body:        "event: error\ndata: upstream refused key=" + testSecret + "\n\n",
			wantMessage: "upstream refused key=[REDACTED]",
		},
		"error member with an object": {
			body:        sampleEvents(t, 2) + `data: {"error":{"message":"bad key ` + testSecret + `","type":"` + testSecret + `"}}` + "\n\n",
			wantMessage: "bad key [REDACTED]",
		},
		"error member with a string": {
			body:        `data: {"success":false,"error":"` + testSecret + ` is not valid"}` + "\n\n",
			wantMessage: "[REDACTED] is not valid",
		},
		"secret across the message's cut": {
			body:        "event: error\ndata: " + straddling + "\n\n",
			wantMessage: strings.Repeat("x", 512-len(testSecret)/2) + "[REDACTED]", // short enough once redacted
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			c, _ := memClient(t, func() io.Reader { return strings.NewReader(tc.body) })
			err := drainStream(t, c).err
			var se *chatbot.StreamError
			require.ErrorAs(t, err, &se)
			assert.Equal(t, tc.wantMessage, se.Message)
			half := testSecret[:len(testSecret)/2]
			for what, s := range map[string]string{
				"Error()": err.Error(), "%+v": fmt.Sprintf("%+v", err), "%#v": fmt.Sprintf("%#v", err),
				"Message": se.Message, "Code": se.Code, "Data": se.Data,
			} {
				assert.NotContains(t, s, half, "%s shows the secret", what)
			}
		})
	}
}

// Issue: a long reply sent as one event of just over 1 MiB failed with
// ErrEventTooLarge under the default settings.
func TestStreamAcceptsALongReplyInOneEventByDefault(t *testing.T) {
	long := strings.Repeat("a", 1<<20+1024)
	chunk := `{"object":"chat.completion.chunk","choices":[{"index":0,"delta":{"role":"assistant","content":"` + long + `"},"finish_reason":"stop"}]}`
	c, _ := memClient(t, func() io.Reader { return strings.NewReader("data: " + chunk + "\n\ndata: [DONE]\n\n") })
	o := drainStream(t, c)
	require.NoError(t, o.err)
	assert.Equal(t, len(long), len(o.text))
}

// An error wrapping a sentinel names its package once.
func TestStreamErrorsNameThePackageOnce(t *testing.T) {
	c, _ := memClient(t, func() io.Reader { return strings.NewReader("data: " + strings.Repeat("x", 2048) + "\n\n") }, chatbot.WithMaxEventBytes(1024))
	o := drainStream(t, c)
	require.ErrorIs(t, o.err, chatbot.ErrEventTooLarge)
	assert.Equal(t, 1, strings.Count(o.err.Error(), "chatbot:"), o.err.Error())
}

// Review: one 15 MiB event of "{}" choices allocated 1.4 GiB and pinned
// 700 MiB for the rest of the stream.
func TestStreamRefusesAChunkWithHugelyManyChoices(t *testing.T) {
	event := `{"object":"chat.completion.chunk","choices":[` + strings.Repeat(`{},`, 1<<20) + `{}]}`
	c, _ := memClient(t, func() io.Reader { return strings.NewReader("data: " + event + "\n\ndata: [DONE]\n\n") })
	runtime.GC()
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	o := drainStream(t, c)
	runtime.ReadMemStats(&after)
	var de *chatbot.DecodeError
	require.ErrorAs(t, o.err, &de)
	assert.Contains(t, o.err.Error(), "more choices than a stream ever sends")
	assert.Less(t, after.TotalAlloc-before.TotalAlloc, uint64(64<<20))
}

package chatbot

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"iter"
	"mime"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/chatbot-sdk/chatbot-go/internal/rest"
	"github.com/chatbot-sdk/chatbot-go/internal/sse"
)

// ErrStreamIdle is wrapped by a stream's error when no byte arrived for
// the time set with WithStreamIdleTimeout.
var ErrStreamIdle = errors.New("stream idle timeout")

// StreamError is an error the server reported inside a stream, as an
// "event: error" record or as a payload with an "error" member. The text
// received before it is still available from the stream.
type StreamError struct {
	// Message is the server's explanation.
	Message string
	// Code is the error's "code" or "type" when the server sent one.
	Code string
	// Data is the start of the event's raw data.
	Data string
}

// Error names the stream and quotes the server's code and message.
func (e *StreamError) Error() string {
	s := "chatbot: Messages.Stream: server reported an error"
	if e.Code != "" {
		s += " (" + e.Code + ")"
	}
	if e.Message != "" {
		s += ": " + e.Message
	}
	return s
}

const (
	// maxDrain and drainWait bound what is read after [DONE] so that the
	// connection can go back to the pool: servers end the body right after
	// it, and one that does not costs at most this much.
	maxDrain  = 64 << 10
	drainWait = 250 * time.Millisecond
	streamOp  = "Messages.Stream"
)

// Stream sends a message and returns its reply as a stream of chunks,
// handed over as each event arrives. Without a ConversationID it first
// starts a conversation with Chats.Start and the stream's ConversationID
// returns it. That is one request more than Send makes, and the
// conversation opens with the bot's greeting where Send's has none: Send
// can let the server start the conversation because its reply carries
// the new ID, but Chat Thing's stream does not say which conversation it
// belongs to, so a stream sent without one could never be continued.
// Client.Conversation gives Send and Stream the same behaviour.
//
// A non-2xx answer is an *APIError, before any chunk. The request is retried
// like Send (never once the server may have acted on it, except on 429 and
// 503) and never after the first byte of the stream. WithTimeout bounds
// the wait for the response headers, not the stream; WithStreamIdleTimeout
// bounds each wait for data. A server that answers with one JSON reply
// instead of events (ignoring "stream": true) gives a stream of one chunk,
// and one that says "success": false an *APIError matching ErrUnsuccessful;
// reading such a reply is bounded by WithTimeout too (an error matching
// context.DeadlineExceeded past it), as any other call is. The reply's text
// is bounded by WithMaxResponseBytes (8 MiB by default): a stream whose text
// would grow past it fails with an error wrapping ErrBodyTooLarge. The
// caller must Close the stream.
func (s *MessageService) Stream(ctx context.Context, p *SendParams, opts ...CallOption) (*MessageStream, error) {
	req, err := s.sendRequest(streamOp, p, true)
	if err != nil {
		return nil, err
	}
	convID := p.ConversationID
	if convID == "" {
		started, err := s.client.Chats.Start(ctx, opts...)
		if err != nil {
			return nil, err
		}
		if started.ConversationID == "" {
			return nil, &DecodeError{Op: streamOp, Snippet: "conversation started without an ID", Err: errors.New("missing conversationId")}
		}
		convID = started.ConversationID
		// The request was built and validated once above; only the
		// conversation, which travels in the JSON body, is new.
		body := req.JSON.(sendBody)
		body.ConversationID = convID
		req.JSON = body
	}
	req.Header = http.Header{"Accept": {"text/event-stream"}}
	sctx, cancel := context.WithCancelCause(ctx)
	resp, err := s.client.engine.Open(sctx, req, rest.Calls(opts)...)
	if err != nil {
		cancel(nil)
		return nil, err
	}
	body := resp.Body
	if mt, _, _ := mime.ParseMediaType(resp.Header.Get("Content-Type")); mt == "application/json" {
		if body, err = s.boundedJSONReply(sctx, cancel, req, resp, opts); err != nil {
			cancel(nil)
			return nil, err
		}
	}
	return newMessageStream(sctx, cancel, body, convID, s.client.engine), nil
}

// boundedJSONReply is jsonReply within the call's timeout. The engine's
// Timeout stops at the headers of a stream, but a JSON body is one reply
// like any call's, and nothing else would bound the wait for it: a server
// that sends part of it and stalls would block Stream for as long as the
// caller's context allows (for ever with context.Background). The timer
// cancels the stream's context with context.DeadlineExceeded as the cause,
// which aborts the read.
func (s *MessageService) boundedJSONReply(ctx context.Context, cancel context.CancelCauseFunc, req *rest.Request, resp *http.Response, opts []CallOption) (io.ReadCloser, error) {
	dctx, dl := rest.WithDeadline(ctx, s.client.engine.Timeout(req, rest.Calls(opts)...))
	stop := context.AfterFunc(dctx, func() { cancel(context.Cause(dctx)) })
	body, err := s.jsonReply(dctx, req, resp)
	stop()
	fired := !dl.Stop()
	dl.Release()
	if !fired {
		return body, err
	}
	// The deadline fired: whatever the read returned, it is the cause.
	cancel(context.DeadlineExceeded)
	if body != nil {
		body.Close()
	}
	if err == nil || !errors.Is(err, context.DeadlineExceeded) {
		err = check.Wrap(streamOp, req.Method, req.Path, fmt.Errorf("reading the reply: %w", context.DeadlineExceeded))
	}
	return nil, err
}

// jsonReply handles a 2xx that says it is JSON. The reference leaves the
// stream's Content-Type open, so events labelled as JSON are read as events;
// but a JSON object is a whole reply (a server that ignored "stream": true)
// or a refusal ("success": false). A reply becomes a stream of one chunk, a
// refusal an *APIError matching ErrUnsuccessful.
func (s *MessageService) jsonReply(ctx context.Context, req *rest.Request, resp *http.Response) (io.ReadCloser, error) {
	br := bufio.NewReader(resp.Body)
	for {
		b, err := br.ReadByte()
		if err != nil || !isJSONSpace(b) {
			if err == nil {
				_ = br.UnreadByte()
			}
			if err != nil || b != '{' {
				return struct {
					io.Reader
					io.Closer
				}{br, resp.Body}, nil
			}
			break
		}
	}
	defer resp.Body.Close()
	engine := s.client.engine
	peeked := *resp
	peeked.Body = io.NopCloser(br) // the bytes already buffered come first
	raw, err := engine.ReadBody(ctx, req, &peeked)
	if err != nil {
		return nil, err
	}
	var out replyEnvelope
	if err := json.Unmarshal(raw, &out); err != nil {
		return nil, &DecodeError{Op: streamOp, Snippet: engine.Snippet(raw), Err: err}
	}
	if out.Success != nil && !*out.Success {
		return nil, engine.Failure(streamOp, resp, raw, firstNonEmpty(out.Message, out.Error, `response said "success": false`))
	}
	chunk, _ := json.Marshal(ChatCompletionChunk{Object: "chat.completion.chunk", Choices: []ChunkChoice{
		{Delta: ChunkDelta{Role: RoleAssistant, Content: out.Response}, FinishReason: "stop"},
	}})
	events := append(append([]byte("data: "), chunk...), "\n\ndata: [DONE]\n\n"...)
	return io.NopCloser(bytes.NewReader(events)), nil
}

// maxStreamChoices bounds the choices of one streamed chunk. Chat Thing
// sends one; the bound is generous and keeps memory with the events.
const maxStreamChoices = 64

// MessageStream is a reply arriving chunk by chunk:
//
//	for stream.Next() {
//		fmt.Print(stream.Current().Content())
//	}
//	if err := stream.Err(); err != nil { ... }
//
// or, equally, range over All. Next, Current, Err and the accumulated
// values belong to one goroutine; Close may be called from any.
//
// The stream ends cleanly on the "[DONE]" event, or at the end of the body
// after a chunk with a finish reason. A body that ends without either is an
// error wrapping io.ErrUnexpectedEOF; an error event is a *StreamError;
// a delta that would take the accumulated text past the client's
// WithMaxResponseBytes (8 MiB by default) is an error wrapping
// ErrBodyTooLarge, so that a server streaming without end cannot exhaust
// memory; Close or a cancelled context stop it at once with an error
// wrapping context.Canceled (or the context's cause). In every case the
// text received so far stays available.
type MessageStream struct {
	// sse hands each event over at its first data line: Chat Thing does
	// not say whether its events end with one newline or two (see
	// sse.EagerReader).
	sse    *sse.EagerReader
	body   io.ReadCloser
	ctx    context.Context
	cancel context.CancelCauseFunc
	engine *rest.Engine
	idle   *idleWatch
	convID string
	// maxText bounds text: a server that streams deltas without end must
	// not grow it until the process runs out of memory.
	maxText int64

	chunk  ChatCompletionChunk
	parser chunkParser // with maxChoices set: see maxStreamChoices
	text   strings.Builder
	role   Role
	reason string

	finished bool // Next has returned false for good (owned by Next's goroutine)

	mu      sync.Mutex
	over    bool
	err     error
	release sync.Once
}

func newMessageStream(ctx context.Context, cancel context.CancelCauseFunc, body io.ReadCloser, convID string, engine *rest.Engine) *MessageStream {
	cfg := engine.Config()
	s := &MessageStream{body: body, ctx: ctx, cancel: cancel, engine: engine, convID: convID, maxText: cfg.MaxResponseBytes}
	s.parser.maxChoices = maxStreamChoices
	var src io.Reader = body
	if cfg.StreamIdleTimeout > 0 {
		s.idle = watchIdle(cfg.StreamIdleTimeout, func() {
			cancel(fmt.Errorf("%w (no data for %s)", ErrStreamIdle, cfg.StreamIdleTimeout))
		})
		src = &countingReader{r: body, seq: &s.idle.seq}
	}
	s.sse = sse.NewEagerReader(src, sse.WithMaxEventBytes(cfg.MaxEventBytes))
	return s
}

// Next advances to the next chunk and reports whether there is one. It
// returns false at the end of the stream and after any failure; Err tells
// which.
func (s *MessageStream) Next() bool {
	if s.finished {
		return false
	}
	select {
	case <-s.ctx.Done():
		return s.end(s.abortError())
	default:
	}
	for {
		ev, early, err := s.sse.Next()
		if err != nil {
			return s.end(s.readError(err))
		}
		if ev.Type == "error" {
			return s.end(s.streamError(ev.Data, ev.Data))
		}
		data := trimJSONSpace(ev.Data)
		if len(data) == 0 {
			continue
		}
		if string(data) == "[DONE]" {
			s.drain()
			return s.end(nil)
		}
		errVal, err := s.parser.decode(&s.chunk, data)
		if err != nil {
			var syntax *json.SyntaxError
			if early && errors.As(err, &syntax) && syntax.Offset >= int64(len(data)) {
				// Only the first line of an event that goes on.
				s.sse.Continue()
				continue
			}
			if ev.Type != "message" {
				continue // a named event of another kind, such as a ping, need not be a chunk
			}
			return s.end(&DecodeError{Op: streamOp, Snippet: s.engine.Snippet(data), Err: err})
		}
		if len(errVal) > 0 && string(errVal) != "null" {
			return s.end(s.streamError(errVal, data))
		}
		if err := s.accumulate(); err != nil {
			return s.end(err)
		}
		return true
	}
}

// end finishes the stream from Next's goroutine; it returns Next's false.
func (s *MessageStream) end(err error) bool {
	s.finished = true
	s.stop(err)
	return false
}

// accumulate adds choice 0 of the current chunk to the reply so far; a
// delta that would take the text past maxText fails the stream instead.
func (s *MessageStream) accumulate() error {
	for i := range s.chunk.Choices {
		ch := &s.chunk.Choices[i]
		if ch.Index != 0 {
			continue
		}
		if int64(s.text.Len())+int64(len(ch.Delta.Content)) > s.maxText {
			return fmt.Errorf("chatbot: %s: reply text: %w (%d bytes)", streamOp, ErrBodyTooLarge, s.maxText)
		}
		s.text.WriteString(ch.Delta.Content)
		if s.role == "" {
			s.role = ch.Delta.Role
		}
		if ch.FinishReason != "" {
			s.reason = ch.FinishReason
		}
		return nil
	}
	return nil
}

// Current returns the chunk Next moved to. It is only valid until the next
// call to Next, which reuses it.
func (s *MessageStream) Current() *ChatCompletionChunk { return &s.chunk }

// All returns the chunks as a sequence; a failure is the last pair, with a
// nil chunk. Each chunk is valid until the loop moves on. Leaving the loop
// early closes the stream.
func (s *MessageStream) All() iter.Seq2[*ChatCompletionChunk, error] {
	return func(yield func(*ChatCompletionChunk, error) bool) {
		for s.Next() {
			if !yield(&s.chunk, nil) {
				s.Close()
				return
			}
		}
		if err := s.Err(); err != nil {
			yield(nil, err)
		}
	}
}

// Text returns the reply text received so far (choice 0's contents).
func (s *MessageStream) Text() string { return s.text.String() }

// Role returns the role the reply's first chunk announced ("assistant"),
// or "" before it arrived.
func (s *MessageStream) Role() Role { return s.role }

// FinishReason returns why the reply ended ("stop"), or "" while it goes on.
func (s *MessageStream) FinishReason() string { return s.reason }

// ConversationID returns the conversation the reply belongs to: the one
// given in SendParams, or the one Stream started.
func (s *MessageStream) ConversationID() string { return s.convID }

// Err returns what ended the stream: nil while it goes on and after a
// clean end.
func (s *MessageStream) Err() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.err
}

// Close stops the stream and releases its connection. Closing a stream
// that has not ended makes Err report context.Canceled. Close may be called
// more than once and from any goroutine; a Next blocked in another
// goroutine returns at once.
func (s *MessageStream) Close() error {
	s.stop(fmt.Errorf("chatbot: %s: %w", streamOp, context.Canceled))
	return nil
}

// stop records how the stream ended (the first ending wins) and releases
// the connection.
func (s *MessageStream) stop(err error) {
	s.mu.Lock()
	if !s.over {
		s.over, s.err = true, err
	}
	s.mu.Unlock()
	s.release.Do(func() {
		if s.idle != nil {
			s.idle.stop()
		}
		s.cancel(context.Canceled)
		s.body.Close()
	})
}

// readError turns a failed read (or the end of the body) into the
// stream's ending.
func (s *MessageStream) readError(err error) error {
	if s.ctx.Err() != nil {
		return s.abortError()
	}
	switch {
	case errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF):
		if s.reason != "" {
			return nil
		}
		return fmt.Errorf("chatbot: %s: stream ended after %d bytes of text without [DONE] or a finish reason: %w",
			streamOp, s.text.Len(), io.ErrUnexpectedEOF)
	case errors.Is(err, ErrEventTooLarge):
		return fmt.Errorf("chatbot: %s: %w", streamOp, err)
	}
	return fmt.Errorf("chatbot: %s: reading the stream: %w", streamOp, err)
}

// abortError is the ending of a stream whose context is done: the idle
// timeout's error, or the context's own cause (context.Canceled,
// context.DeadlineExceeded or the caller's cause).
func (s *MessageStream) abortError() error {
	return fmt.Errorf("chatbot: %s: %w", streamOp, context.Cause(s.ctx))
}

// streamError builds the *StreamError for an error event or an error
// member: a JSON string, or an object with "message" and "code" or "type"
// (also nested in "error"); any other text is the message itself.
func (s *MessageStream) streamError(val, data []byte) *StreamError {
	e := &StreamError{Data: s.engine.Snippet(data)}
	val = trimJSONSpace(val)
	var str string
	var obj struct {
		Message string          `json:"message"`
		Code    json.RawMessage `json:"code"`
		Type    string          `json:"type"`
		Error   json.RawMessage `json:"error"`
	}
	switch {
	case json.Unmarshal(val, &str) == nil:
		e.Message = str
	case json.Unmarshal(val, &obj) == nil:
		if len(obj.Error) > 0 && string(obj.Error) != "null" && obj.Message == "" {
			return s.streamError(obj.Error, data)
		}
		e.Message, e.Code = obj.Message, obj.Type
		if code := string(bytes.Trim(obj.Code, `"`)); code != "" && code != "null" {
			e.Code = code
		}
	default:
		e.Message = string(val)
	}
	// Redacted before they are cut, so that a cut cannot leave part of a
	// secret behind; the code is the server's text as much as the message.
	e.Message = truncateText(s.engine.Redactor().Redact(e.Message), 512)
	e.Code = truncateText(s.engine.Redactor().Redact(e.Code), 64)
	return e
}

func truncateText(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return strings.ToValidUTF8(s[:n], "") + "…"
}

// drain reads what follows [DONE], within bounds, so that the body ends and
// its connection returns to the pool instead of being closed.
func (s *MessageStream) drain() {
	t := time.AfterFunc(drainWait, func() { s.cancel(context.Canceled) })
	defer t.Stop()
	_, _ = io.CopyN(io.Discard, s.body, maxDrain)
}

// countingReader tells idleWatch when the stream waits on the server: it
// bumps seq as each Read starts and again as it returns, so seq is odd
// while a Read is blocked.
type countingReader struct {
	r   io.Reader
	seq *atomic.Uint64
}

// Read reads from the body between two bumps of the sequence.
func (c *countingReader) Read(p []byte) (int, error) {
	c.seq.Add(1)
	n, err := c.r.Read(p)
	c.seq.Add(1)
	return n, err
}

// idleWatch calls fire once one Read has waited for limit. Rather than
// resetting a timer on every read (costly at one read per token), it looks
// at the read sequence every limit/4, so it fires between limit and
// 1.25×limit after the server went quiet. Time the caller spends between
// calls to Next does not count: the server is not the one idle then.
type idleWatch struct {
	seq atomic.Uint64

	mu      sync.Mutex
	timer   *time.Timer
	seen    uint64
	quiet   time.Duration
	step    time.Duration
	limit   time.Duration
	fire    func()
	stopped bool
}

func watchIdle(limit time.Duration, fire func()) *idleWatch {
	w := &idleWatch{limit: limit, step: max(limit/4, time.Millisecond), fire: fire}
	w.mu.Lock()
	w.timer = time.AfterFunc(w.step, w.tick)
	w.mu.Unlock()
	return w
}

func (w *idleWatch) tick() {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.stopped {
		return
	}
	if n := w.seq.Load(); n != w.seen || n%2 == 0 {
		w.seen, w.quiet = n, 0 // data came, or nobody is waiting for it
	} else if w.quiet += w.step; w.quiet >= w.limit {
		w.stopped = true
		w.fire()
		return
	}
	w.timer.Reset(w.step)
}

func (w *idleWatch) stop() {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.stopped = true
	w.timer.Stop()
}

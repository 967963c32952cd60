package rest

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"runtime"
	"strings"
	"sync"
	"time"

	"github.com/google/go-querystring/query"
	"github.com/hashicorp/go-retryablehttp"
)

// Version is the SDK version reported in the User-Agent; package chatbot
// sets it to chatbot.Version when it is initialised.
var Version = "dev"

// Engine sends requests for one client. It is safe for concurrent use.
type Engine struct {
	cfg       *Config
	base      *url.URL
	retry     *retryablehttp.Client
	userAgent string
}

// New checks cfg and builds an engine from it. cfg is copied.
func New(cfg *Config) (*Engine, error) {
	cfg = cfg.Clone()
	if cfg.OptionErr != nil {
		return nil, cfg.OptionErr
	}
	base, err := url.Parse(strings.TrimRight(cfg.BaseURL, "/"))
	if err != nil || base.Scheme == "" || base.Host == "" {
		return nil, fmt.Errorf("base URL %q must be an absolute http(s) URL", cfg.BaseURL)
	}
	if base.Scheme != "http" && base.Scheme != "https" {
		return nil, fmt.Errorf("base URL %q must use http or https", cfg.BaseURL)
	}
	if cfg.HTTPClient == nil {
		cfg.HTTPClient = Defaults().HTTPClient
	}
	cfg.HTTPClient = guardedClient(cfg.HTTPClient, base)
	if cfg.MaxAttempts < 1 {
		cfg.MaxAttempts = 1
	}
	if cfg.MaxResponseBytes <= 0 {
		cfg.MaxResponseBytes = Defaults().MaxResponseBytes
	}
	if cfg.MaxEventBytes <= 0 {
		cfg.MaxEventBytes = Defaults().MaxEventBytes
	}
	e := &Engine{cfg: cfg, base: base}
	e.userAgent = "chatbot-go/" + Version + " go/" + runtime.Version()
	if cfg.UserAgentSuffix != "" {
		e.userAgent += " " + cfg.UserAgentSuffix
	}
	e.retry = &retryablehttp.Client{
		HTTPClient:     cfg.HTTPClient,
		Logger:         nil, // our own slog records replace its logging
		RetryWaitMin:   cfg.MinBackoff,
		RetryWaitMax:   cfg.MaxBackoff,
		RetryMax:       cfg.MaxAttempts - 1,
		RequestLogHook: beforeAttempt,
		CheckRetry:     e.checkRetry,
		Backoff:        e.backoff,
		ErrorHandler:   retryablehttp.PassthroughErrorHandler,
	}
	return e, nil
}

// Config returns the engine's settings. Callers must not change them.
func (e *Engine) Config() *Config { return e.cfg }

// BaseURL returns the parsed base URL.
func (e *Engine) BaseURL() *url.URL { return e.base }

// Request describes one call.
type Request struct {
	// Op names the call in errors and logs, e.g. "Messages.Send".
	Op     string
	Method string
	// Path is appended to the base URL; build it with Path so that every
	// caller-supplied segment is validated and escaped.
	Path string
	// Query is a struct with `url` tags (go-querystring) or url.Values.
	Query any
	// JSON, when non-nil, is marshalled as the body.
	JSON any
	// Body, when non-nil, produces a fresh body for every attempt; it is
	// used for multipart uploads. ContentType goes with it.
	Body        func() (io.Reader, error)
	ContentType string
	// Header adds per-call headers.
	Header http.Header
	// Lenient accepts a 2xx body that is not valid JSON as success (the
	// documented examples of some APIs have trailing commas).
	Lenient bool
	// Verdict, when set, looks at a 2xx body after decoding; failed=true
	// turns the response into an error carrying message.
	Verdict func(body []byte) (failed bool, message string)
	// Final429 returns a 429 at once instead of retrying it.
	Final429 bool
	// Idempotent marks calls that are safe to repeat after the server may
	// have acted on them (reads, updates, deletes).
	Idempotent bool
	// OneShot marks a call whose Body can be produced only once (it streams
	// from a reader that cannot be rewound): it is never retried, whatever
	// the status or error, and the first failure is returned as it is.
	OneShot bool
}

// Do performs req and decodes a 2xx JSON body into out (when out is not
// nil). The body is read into a pooled buffer that is reused once Do
// returns: nothing decoded from it may alias it (encoding/json copies).
func (e *Engine) Do(ctx context.Context, req *Request, out any) error {
	if e.cfg.Timeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, e.cfg.Timeout)
		defer cancel()
	}
	resp, attempts, err := e.send(ctx, req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	buf := bodyPool.Get().(*[]byte)
	defer putBody(buf)
	body, err := e.readBounded(req, resp, (*buf)[:0])
	*buf = body[:0] // keep the grown buffer for the next call
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		if err != nil && !errors.Is(err, ErrBodyTooLarge) {
			return err
		}
		// An over-long error body is cut, not a reason to lose the status.
		return ErrorBuilder(e.newFailure(req.Op, resp, body, attempts))
	}
	if err != nil {
		return err
	}
	if out != nil && len(bytes.TrimSpace(body)) > 0 {
		if err := json.Unmarshal(body, out); err != nil && !req.Lenient {
			return &DecodeError{Op: req.Op, Snippet: e.Snippet(body), Err: err}
		}
	}
	if req.Verdict != nil {
		if failed, msg := req.Verdict(body); failed {
			f := e.newFailure(req.Op, resp, body, attempts)
			if msg != "" {
				f.Message = e.excerpt([]byte(msg), maxErrorMessage)
			}
			return ErrorBuilder(f)
		}
	}
	return nil
}

// bodyPool holds read buffers, so that a paging loop does not allocate a
// new, repeatedly grown buffer for every page.
var bodyPool = sync.Pool{New: func() any {
	b := make([]byte, 0, 4<<10)
	return &b
}}

// maxPooledBody keeps a rare huge response from pinning its buffer.
const maxPooledBody = 1 << 20

func putBody(b *[]byte) {
	if cap(*b) <= maxPooledBody {
		bodyPool.Put(b)
	}
}

// Open performs req and returns the 2xx response with its body unread, for
// streaming. The configured Timeout covers the wait for the headers and,
// for a non-2xx answer, the reading of its error body; never the stream.
// A non-2xx response becomes the usual error. The caller must close the
// body; closing it also releases the call's context.
func (e *Engine) Open(ctx context.Context, req *Request) (*http.Response, error) {
	ctx, cancelCause := context.WithCancelCause(ctx)
	cancel := func() { cancelCause(nil) }
	stopTimer := func() bool { return true } // reports whether the timer had not fired
	if e.cfg.Timeout > 0 {
		timer := time.AfterFunc(e.cfg.Timeout, func() { cancelCause(context.DeadlineExceeded) })
		stopTimer = timer.Stop
	}
	resp, attempts, err := e.send(ctx, req)
	if err != nil {
		stopTimer()
		cancel()
		return nil, err
	}
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		defer cancel()
		defer resp.Body.Close()
		body, rerr := e.readBounded(req, resp, nil)
		stopTimer()
		if rerr != nil && !errors.Is(rerr, ErrBodyTooLarge) {
			return nil, rerr
		}
		return nil, ErrorBuilder(e.newFailure(req.Op, resp, body, attempts))
	}
	if !stopTimer() {
		// The timer fired just as the headers arrived.
		resp.Body.Close()
		cancel()
		return nil, e.transportError(req, context.DeadlineExceeded)
	}
	resp.Body = &cancelOnClose{ReadCloser: resp.Body, cancel: cancel}
	return resp, nil
}

// ReadBody reads a response body the caller got from Open within
// MaxResponseBytes (an over-long body gives an error wrapping
// ErrBodyTooLarge).
func (e *Engine) ReadBody(req *Request, resp *http.Response) ([]byte, error) {
	return e.readBounded(req, resp, nil)
}

// Failure builds the public error for a response the caller read itself
// and found failed, such as a 2xx saying "success": false; message, when
// not empty, replaces the one found in the body.
func (e *Engine) Failure(op string, resp *http.Response, body []byte, message string) error {
	f := e.newFailure(op, resp, body, 1)
	if message != "" {
		f.Message = e.excerpt([]byte(message), maxErrorMessage)
	}
	return ErrorBuilder(f)
}

type cancelOnClose struct {
	io.ReadCloser
	cancel context.CancelFunc
}

func (c *cancelOnClose) Close() error {
	err := c.ReadCloser.Close()
	c.cancel()
	return err
}

// send runs the retry loop and returns the final response (any status).
func (e *Engine) send(ctx context.Context, req *Request) (*http.Response, int, error) {
	if err := ctx.Err(); err != nil {
		return nil, 0, e.transportError(req, err)
	}
	target, err := e.url(req)
	if err != nil {
		return nil, 0, err
	}
	var body any
	contentType := req.ContentType
	switch {
	case req.Body != nil:
		body = retryablehttp.ReaderFunc(req.Body)
	case req.JSON != nil:
		b, err := json.Marshal(req.JSON)
		if err != nil {
			return nil, 0, fmt.Errorf("chatbot: %s: encoding request: %w", req.Op, err)
		}
		body = b
		contentType = "application/json"
	}
	st := &callState{op: req.Op, idempotent: req.Idempotent, oneShot: req.OneShot, final429: req.Final429}
	rreq, err := retryablehttp.NewRequestWithContext(withCallState(ctx, st), req.Method, target, body)
	if err != nil {
		return nil, 0, fmt.Errorf("chatbot: %s: building request: %s", req.Op, e.redact(err.Error()))
	}
	for k, v := range e.cfg.Header {
		rreq.Header[k] = v
	}
	for k, v := range req.Header {
		rreq.Header[k] = v
	}
	rreq.Header.Set("User-Agent", e.userAgent)
	if rreq.Header.Get("Accept") == "" {
		rreq.Header.Set("Accept", "application/json")
	}
	if contentType != "" {
		rreq.Header.Set("Content-Type", contentType)
	}
	resp, err := e.retry.Do(rreq)
	if err != nil {
		if resp != nil {
			resp.Body.Close()
		}
		if ctx.Err() != nil {
			err = context.Cause(ctx)
		}
		return nil, st.attempt, e.transportError(req, err)
	}
	return resp, st.attempt, nil
}

// url joins the base URL, the path and the encoded query.
func (e *Engine) url(req *Request) (string, error) {
	u := e.base.String() + req.Path
	if req.Query == nil {
		return u, nil
	}
	var q url.Values
	switch v := req.Query.(type) {
	case url.Values:
		q = v
	default:
		var err error
		if q, err = query.Values(req.Query); err != nil {
			return "", fmt.Errorf("chatbot: %s: encoding query: %w", req.Op, err)
		}
	}
	if enc := q.Encode(); enc != "" {
		u += "?" + enc
	}
	return u, nil
}

// readBounded reads at most MaxResponseBytes of the body into buf (which
// it grows as needed, at once to the announced length when there is one).
func (e *Engine) readBounded(req *Request, resp *http.Response, buf []byte) ([]byte, error) {
	limit := e.cfg.MaxResponseBytes
	if n := resp.ContentLength; n > 0 && n <= limit && int64(cap(buf)) <= n {
		buf = make([]byte, 0, n+1) // +1: room to see EOF without growing
	}
	b, err := readAll(io.LimitReader(resp.Body, limit+1), buf)
	if err != nil {
		return nil, e.transportError(req, err)
	}
	if int64(len(b)) > limit {
		return b[:limit], fmt.Errorf("chatbot: %s: %w (%d bytes)", req.Op, ErrBodyTooLarge, limit)
	}
	return b, nil
}

// readAll is io.ReadAll into a caller-sized buffer.
func readAll(r io.Reader, b []byte) ([]byte, error) {
	for {
		if len(b) == cap(b) {
			b = append(b, 0)[:len(b)]
		}
		n, err := r.Read(b[len(b):cap(b)])
		b = b[:len(b)+n]
		if err == io.EOF {
			return b, nil
		}
		if err != nil {
			return b, err
		}
	}
}

// transportError wraps err without the URL (url.Error prints it whole).
func (e *Engine) transportError(req *Request, err error) error {
	var uerr *url.Error
	if errors.As(err, &uerr) {
		err = uerr.Err
	}
	if msg := err.Error(); e.redact(msg) != msg {
		err = redactedError{msg: e.redact(msg), cause: err}
	}
	return &TransportError{Op: req.Op, Method: req.Method, Path: e.redact(pathOnly(req.Path)), Err: err}
}

func pathOnly(p string) string {
	p, _, _ = strings.Cut(p, "?")
	return p
}

// redactedError keeps errors.Is working on a cause whose text held a secret.
type redactedError struct {
	msg   string
	cause error
}

func (r redactedError) Error() string { return r.msg }
func (r redactedError) Unwrap() error { return r.cause }

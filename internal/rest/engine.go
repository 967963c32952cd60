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

	"github.com/chatbot-sdk/chatbot-go/internal/apierr"
	"github.com/chatbot-sdk/chatbot-go/internal/redact"
)

// Version is the SDK version reported in the User-Agent.
const Version = "0.2.0"

// maxAttemptsCap bounds WithMaxAttempts; the retry client is built with it
// so that a call's own attempt count can go up to it.
const maxAttemptsCap = 100

// Engine sends requests for one client. It is safe for concurrent use.
type Engine struct {
	cfg         *Config
	platform    Platform
	check       Checker
	base        *url.URL // the base URL, without the platform prefix
	prefix      string   // the escaped prefix, secrets included
	redactor    *redact.Redactor
	retry       *retryablehttp.Client
	userAgent   string
	closeIdle   func() // nil when the transport is the caller's
	decode      func(op string, body []byte, out any) error
	shownPrefix string
}

// NewEngine applies opts (always chatbot.Option values) on top of the
// defaults and builds the engine for p. Bad options, a bad base URL and a
// bad prefix are ValidationErrors naming the platform's package.
func NewEngine[O any](p Platform, opts []O) (*Engine, error) {
	e := &Engine{platform: p, check: Checker{Pkg: p.Name}, decode: p.Decode}
	cfg := Defaults()
	cfg.Settings, cfg.PlatformName = p.Settings, p.Name
	for _, o := range opts {
		co, ok := any(o).(ClientOption)
		if !ok {
			continue // a nil Option
		}
		if err := co.ApplyClient(cfg); err != nil {
			return nil, e.check.Own(err)
		}
	}
	e.cfg = cfg
	if p.Finish != nil {
		if err := p.Finish(&p); err != nil {
			return nil, e.check.Own(err)
		}
		e.platform = p
	}
	e.redactor = redact.New(secrets(p), p.DynamicSecrets)
	if err := e.setBase(cfg.BaseURL, p.BaseURL); err != nil {
		return nil, err
	}
	prefix, err := e.check.Path(p.Prefix...)
	if err != nil {
		return nil, e.check.Own(err)
	}
	e.prefix = strings.TrimRight(e.base.EscapedPath(), "/") + prefix
	e.shownPrefix = e.redactor.Redact(e.prefix)
	if e.decode == nil {
		e.decode = decodeJSON
	}
	e.buildClient()
	return e, nil
}

// secrets lists what the redactor hides: secret path segments, shown as
// "{field}", and header credentials.
func secrets(p Platform) []redact.Secret {
	var out []redact.Secret
	for _, s := range p.Prefix {
		if s.Secret {
			out = append(out, redact.Secret{Value: s.Value, Shown: "{" + s.Field + "}"})
		}
	}
	for _, s := range p.Secrets {
		out = append(out, redact.Secret{Value: s, Shown: redact.Redacted})
	}
	return out
}

// setBase parses the base URL (the option's, else the platform's).
func (e *Engine) setBase(fromOption, fromPlatform string) error {
	raw := fromOption
	if raw == "" {
		raw = fromPlatform
	}
	shown := e.redactor.Redact(raw)
	base, err := url.Parse(strings.TrimRight(raw, "/"))
	switch {
	case err != nil || base.Host == "":
		return e.check.Invalid("base URL", fmt.Sprintf("%q must be an absolute http(s) URL", shown))
	case base.Scheme != "http" && base.Scheme != "https":
		return e.check.Invalid("base URL", fmt.Sprintf("%q must use http or https", shown))
	case base.User != nil || base.RawQuery != "" || base.Fragment != "":
		return e.check.Invalid("base URL", fmt.Sprintf("%q must not carry credentials, a query or a fragment", shown))
	}
	e.base = base
	return nil
}

// buildClient assembles the HTTP stack: the caller's (or the default)
// client, the platform's transport wrapper, the redirect guard, and the
// retry client on top.
func (e *Engine) buildClient() {
	cfg := e.cfg
	if cfg.ownTransport {
		if ci, ok := cfg.HTTPClient.Transport.(interface{ CloseIdleConnections() }); ok {
			e.closeIdle = ci.CloseIdleConnections
		}
	}
	hc := *cfg.HTTPClient
	if e.platform.Transport != nil {
		next := hc.Transport
		if next == nil {
			next = http.DefaultTransport
		}
		hc.Transport = e.platform.Transport(e.base, next)
		hc.Jar = nil // the platform keeps its own session; a jar would send a second one
	}
	cfg.HTTPClient = guardedClient(&hc, e.base)
	cfg.MaxAttempts = max(cfg.MaxAttempts, 1)
	e.userAgent = "chatbot-go/" + Version + " go/" + runtime.Version()
	if cfg.UserAgentSuffix != "" {
		e.userAgent += " " + cfg.UserAgentSuffix
	}
	e.retry = &retryablehttp.Client{
		HTTPClient:     cfg.HTTPClient,
		Logger:         nil, // our own slog records replace its logging
		RetryWaitMin:   cfg.MinBackoff,
		RetryWaitMax:   cfg.MaxBackoff,
		RetryMax:       maxAttemptsCap,
		RequestLogHook: beforeAttempt,
		CheckRetry:     e.checkRetry,
		Backoff:        e.backoff,
		ErrorHandler:   retryablehttp.PassthroughErrorHandler,
	}
}

// Close closes the idle connections of a transport the engine made
// itself; a transport or client the caller passed in is left alone.
func (e *Engine) Close() {
	if e.closeIdle != nil {
		e.closeIdle()
	}
}

// Config returns the engine's settings. Callers must not change them.
func (e *Engine) Config() *Config { return e.cfg }

// BaseURL returns the parsed base URL, without the platform prefix.
func (e *Engine) BaseURL() *url.URL { return e.base }

// Redactor returns the engine's redactor, for text a package builds itself.
func (e *Engine) Redactor() *redact.Redactor { return e.redactor }

// Request describes one call.
type Request struct {
	// Op names the call in errors and logs, e.g. "Messages.Send".
	Op     string
	Method string
	// Path is appended to the platform prefix; build it with Checker.Path
	// so that every caller-supplied segment is validated and escaped.
	Path string
	// Query is a struct with `url` tags (go-querystring) or url.Values.
	Query any
	// JSON, when non-nil, is marshalled as the body.
	JSON any
	// Body, when JSON is nil, is the body: []byte, a func() (io.Reader,
	// error) that makes a fresh reader for every attempt, or a plain
	// io.Reader, which can be sent once and so is never retried.
	Body any
	// Header adds per-call headers (a Body's Content-Type goes here).
	Header http.Header
	// Idempotent marks calls that are safe to repeat after the server may
	// have acted on them (reads, updates, deletes).
	Idempotent bool
	// Timeout, when positive, replaces the client's timeout for this call
	// (a long poll that legitimately waits longer); a per-call option
	// still wins over it.
	Timeout time.Duration
}

// Do performs req and decodes a 2xx body into out (when out is not nil)
// with the platform's decoder. The body is read into a pooled buffer that
// is reused once Do returns: nothing decoded from it may alias it
// (encoding/json copies).
func (e *Engine) Do(ctx context.Context, req *Request, out any, opts ...CallOption) error {
	cc, err := e.callConfig(opts)
	if err != nil {
		return err
	}
	ctx, dl := WithDeadline(ctx, e.timeout(req, cc))
	defer dl.Release()
	resp, attempts, err := e.send(ctx, req, cc)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	cc.keep(resp)
	buf := bodyPool.Get().(*[]byte)
	defer putBody(buf)
	body, err := e.readBounded(ctx, req, resp, (*buf)[:0])
	*buf = body[:0] // keep the grown buffer for the next call
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		if err != nil && !errors.Is(err, apierr.ErrBodyTooLarge) {
			return err
		}
		// An over-long error body is cut, not a reason to lose the status.
		return e.failure(req.Op, resp, body, attempts, "")
	}
	if err != nil {
		return err
	}
	if max := e.platform.MaxItems; max > 0 && out != nil {
		if err := longestArray(body, max); err != nil {
			return e.check.Decode(req.Op, e.Snippet(body), err)
		}
	}
	if err := e.decode(req.Op, bytes.TrimSpace(body), out); err != nil {
		var refused *RefusedError
		var decodeErr *apierr.DecodeError
		switch {
		case errors.As(err, &refused):
			return e.failure(req.Op, resp, body, attempts, refused.Message)
		case errors.As(err, &decodeErr):
			return e.check.Own(err)
		}
		return e.check.Decode(req.Op, e.Snippet(body), e.redactor.Seal(err))
	}
	return nil
}

// Timeout is the deadline Do gives req under opts, for a package that must
// see the call end itself (an upload whose body has to be stopped).
func (e *Engine) Timeout(req *Request, opts ...CallOption) time.Duration {
	cc, err := e.callConfig(opts)
	if err != nil {
		return e.cfg.Timeout
	}
	return e.timeout(req, cc)
}

// timeout is the deadline of one call: the per-call option, else the
// request's own, else the client's.
func (e *Engine) timeout(req *Request, cc *CallConfig) time.Duration {
	switch {
	case cc.HasTimeout:
		return cc.Timeout
	case req.Timeout > 0:
		return req.Timeout
	}
	return e.cfg.Timeout
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
// streaming. The timeout covers the wait for the headers and, for a
// non-2xx answer, the reading of its error body; never the stream. The
// caller must close the body; closing it also releases the call's context.
func (e *Engine) Open(ctx context.Context, req *Request, opts ...CallOption) (*http.Response, error) {
	cc, err := e.callConfig(opts)
	if err != nil {
		return nil, err
	}
	ctx, dl := WithDeadline(ctx, e.timeout(req, cc))
	resp, attempts, err := e.send(ctx, req, cc)
	if err != nil {
		dl.Release()
		return nil, err
	}
	cc.keep(resp)
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		defer dl.Release()
		defer resp.Body.Close()
		body, rerr := e.readBounded(ctx, req, resp, nil)
		if rerr != nil && !errors.Is(rerr, apierr.ErrBodyTooLarge) {
			return nil, rerr
		}
		return nil, e.failure(req.Op, resp, body, attempts, "")
	}
	if !dl.Stop() {
		// The deadline fired just as the headers arrived.
		resp.Body.Close()
		dl.Release()
		return nil, e.transportError(req, context.DeadlineExceeded)
	}
	resp.Body = &releaseOnClose{ReadCloser: resp.Body, release: dl.Release}
	return resp, nil
}

// ReadBody reads a body the caller got from Open within MaxResponseBytes
// (an over-long body gives an error wrapping ErrBodyTooLarge).
func (e *Engine) ReadBody(ctx context.Context, req *Request, resp *http.Response) ([]byte, error) {
	return e.readBounded(ctx, req, resp, nil)
}

// Failure builds the *APIError for a response the caller read itself and
// found failed; message, when not empty, replaces the one in the body.
func (e *Engine) Failure(op string, resp *http.Response, body []byte, message string) error {
	return e.failure(op, resp, body, 1, message)
}

type releaseOnClose struct {
	io.ReadCloser
	release func()
}

func (c *releaseOnClose) Close() error {
	err := c.ReadCloser.Close()
	c.release()
	return err
}

// send runs the retry loop and returns the final response (any status).
func (e *Engine) send(ctx context.Context, req *Request, cc *CallConfig) (*http.Response, int, error) {
	if err := ctx.Err(); err != nil {
		return nil, 0, e.transportError(req, context.Cause(ctx))
	}
	target, err := e.url(req)
	if err != nil {
		return nil, 0, err
	}
	body, oneShot, err := e.body(req)
	if err != nil {
		return nil, 0, err
	}
	st := &callState{op: req.Op, idempotent: req.Idempotent, oneShot: oneShot, maxAttempts: e.cfg.MaxAttempts}
	if cc.MaxAttempts > 0 {
		st.maxAttempts = cc.MaxAttempts
	}
	if d := e.timeout(req, cc); d > 0 {
		st.deadline = time.Now().Add(d)
	}
	rreq, err := retryablehttp.NewRequestWithContext(withCallState(ctx, st), req.Method, target, body)
	if err != nil {
		return nil, 0, e.transportError(req, fmt.Errorf("building the request: %w", err))
	}
	if oneShot {
		// net/http would replay GetBody (the used reader) on a 307/308 and
		// send an empty body: without it the redirect comes back as it is.
		rreq.Request.GetBody = nil
	}
	e.setHeaders(rreq.Header, req, cc, body != nil && req.JSON != nil)
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

// body returns what retryablehttp should send and whether it can be sent
// only once (a plain io.Reader cannot be rewound for a retry).
func (e *Engine) body(req *Request) (body any, oneShot bool, err error) {
	if req.JSON != nil {
		b, err := json.Marshal(req.JSON)
		if err != nil {
			return nil, false, e.check.Invalid("request body", err.Error())
		}
		return b, false, nil
	}
	switch b := req.Body.(type) {
	case nil:
		return nil, false, nil
	case []byte:
		return b, false, nil
	case func() (io.Reader, error):
		return retryablehttp.ReaderFunc(b), false, nil
	case io.Reader:
		// Handed over as a function, so that retryablehttp streams it
		// instead of reading it into memory to make it replayable. Its
		// first call only probes the length and closes what it gets: that
		// one sees the reader without its Close.
		probed := false
		return retryablehttp.ReaderFunc(func() (io.Reader, error) {
			if !probed {
				probed = true
				return struct{ io.Reader }{b}, nil
			}
			return b, nil
		}), true, nil
	}
	return nil, false, fmt.Errorf("rest: unsupported body type %T", req.Body)
}

func (e *Engine) setHeaders(h http.Header, req *Request, cc *CallConfig, isJSON bool) {
	// The platform's credentials come last: no option may replace them.
	for _, src := range []http.Header{e.cfg.Header, req.Header, cc.Header, e.platform.Header} {
		for k, v := range src {
			h[k] = v
		}
	}
	h.Set("User-Agent", e.userAgent)
	if h.Get("Accept") == "" {
		h.Set("Accept", "application/json")
	}
	if isJSON {
		h.Set("Content-Type", "application/json")
	}
}

// url joins the base URL, the prefix, the path and the encoded query.
func (e *Engine) url(req *Request) (string, error) {
	u := e.base.Scheme + "://" + e.base.Host + e.prefix + req.Path
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
			return "", e.check.Invalid("query", err.Error())
		}
	}
	if enc := q.Encode(); enc != "" {
		u += "?" + enc
	}
	return u, nil
}

// readBounded reads the body into buf, at most MaxResponseBytes of it, or
// maxErrorRead of a failure's body: an error keeps 2 KiB, and reading or
// parsing megabytes of a hostile error page would only cost memory. The
// buffer grows as bytes arrive: a Content-Length is only a hint, since a
// hostile server can announce 512 MiB and send 33 bytes.
func (e *Engine) readBounded(ctx context.Context, req *Request, resp *http.Response, buf []byte) ([]byte, error) {
	limit := e.cfg.MaxResponseBytes
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		limit = min(limit, maxErrorRead)
	}
	if n := resp.ContentLength; n > 0 && n <= limit && int64(cap(buf)) <= n {
		buf = make([]byte, 0, min(n+1, 64<<10)) // +1: room to see EOF without growing
	}
	b, err := readAll(io.LimitReader(resp.Body, limit+1), buf) // limit is at most 1 TiB: no overflow
	if err != nil {
		if ctx.Err() != nil {
			err = context.Cause(ctx)
		}
		return nil, e.transportError(req, err)
	}
	if int64(len(b)) > limit {
		return b[:limit], fmt.Errorf("%s: %s: %w (%d bytes)", e.check.Pkg, req.Op, apierr.ErrBodyTooLarge, limit)
	}
	return b, nil
}

// maxErrorRead bounds how much of a failed response's body is read.
const maxErrorRead = 64 << 10

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

// Package rest is the one request engine every chatbot-go package uses: the
// Platform seam through which a platform describes itself, URL building,
// JSON and streamed bodies, the retry policy on top of go-retryablehttp,
// bounded response reading, secret redaction, logging, and the error types.
package rest

import (
	"log/slog"
	"net/http"
	"time"

	"github.com/chatbot-sdk/chatbot-go/internal/sse"
)

// Config holds every setting a client's options can change. NewEngine
// starts from Defaults, applies the options, then the platform.
type Config struct {
	// BaseURL, when set, replaces the platform's default base URL.
	BaseURL string
	// HTTPClient carries the transport, the cookie jar and TLS settings.
	HTTPClient *http.Client
	// ownTransport is true while HTTPClient's transport is the one Defaults
	// made: Close may close its idle connections, never a caller's.
	ownTransport bool
	// Logger receives one record per attempt; nil means silent.
	Logger *slog.Logger
	// UserAgentSuffix is appended to the SDK's own User-Agent.
	UserAgentSuffix string
	// Header is sent with every request.
	Header http.Header

	// MaxAttempts counts the first try: 1 disables retries.
	MaxAttempts int
	// MinBackoff and MaxBackoff bound the exponential backoff.
	MinBackoff, MaxBackoff time.Duration
	// MaxRetryAfter is the longest server-requested wait the engine will
	// sit through; a longer Retry-After ends the retries and surfaces the
	// error so the caller can decide.
	MaxRetryAfter time.Duration

	// Timeout bounds one call, retries included. For streams it bounds the
	// wait for the response headers only. Zero means only the context.
	Timeout time.Duration
	// MaxResponseBytes bounds how much of a response body is read.
	MaxResponseBytes int64
	// MaxEventBytes bounds one server-sent event of a stream.
	MaxEventBytes int
	// StreamIdleTimeout fails a stream when no byte arrives for this long.
	StreamIdleTimeout time.Duration

	// Settings is the platform's own settings value (Platform.Settings),
	// the typed slot that platform options fill in.
	Settings any
	// PlatformName names the platform being configured, for option errors.
	PlatformName string
}

// Defaults returns the settings every client starts from.
func Defaults() *Config {
	// A clone of http.DefaultTransport is the client's own. A program that
	// replaced it with a wrapper (otelhttp, httpmock) gets its wrapper,
	// shared and so never closed by the client.
	transport, owned := http.DefaultTransport, false
	if t, ok := http.DefaultTransport.(*http.Transport); ok {
		transport, owned = t.Clone(), true
	}
	return &Config{
		HTTPClient:        &http.Client{Transport: transport},
		ownTransport:      owned,
		Header:            http.Header{},
		MaxAttempts:       4,
		MinBackoff:        250 * time.Millisecond,
		MaxBackoff:        8 * time.Second,
		MaxRetryAfter:     60 * time.Second,
		Timeout:           2 * time.Minute,
		MaxResponseBytes:  8 << 20,
		MaxEventBytes:     sse.DefaultMaxEventBytes,
		StreamIdleTimeout: 2 * time.Minute,
	}
}

// SetHTTPClient replaces the client; the engine will not close the idle
// connections of a transport it did not make.
func (c *Config) SetHTTPClient(hc *http.Client) {
	c.HTTPClient, c.ownTransport = hc, false
}

// SetTransport keeps the client but sends through rt, which the caller owns.
func (c *Config) SetTransport(rt http.RoundTripper) {
	hc := *c.HTTPClient
	hc.Transport = rt
	c.HTTPClient, c.ownTransport = &hc, false
}

// ClientOption is what a chatbot.Option is underneath. Option values are
// built only by package chatbot; the engine applies them through this
// interface, so that go doc of chatbot.Option shows no internal type.
type ClientOption interface {
	ApplyClient(*Config) error
}

// CallConfig holds the settings of one call, from chatbot.CallOption.
type CallConfig struct {
	// Timeout, when set (HasTimeout), replaces the client's for this call.
	Timeout    time.Duration
	HasTimeout bool
	// MaxAttempts, when positive, replaces the client's for this call.
	MaxAttempts int
	// Header is added to this call's requests.
	Header http.Header
	// ResponseInto, when set, receives the last HTTP response of the call
	// (its body already read and closed): status and headers.
	ResponseInto **http.Response
}

// CallOption is what a chatbot.CallOption is underneath.
type CallOption interface {
	ApplyCall(*CallConfig) error
}

// Calls converts a platform's []chatbot.CallOption for the engine. O is
// always chatbot.CallOption, whose values all implement CallOption.
func Calls[O any](opts []O) []CallOption {
	out := make([]CallOption, 0, len(opts))
	for _, o := range opts {
		if co, ok := any(o).(CallOption); ok {
			out = append(out, co)
		}
	}
	return out
}

// callConfig applies opts; a bad option value is a ValidationError. A
// response kept from an earlier call is cleared, so that a call that gets
// none leaves none behind.
func (e *Engine) callConfig(opts []CallOption) (*CallConfig, error) {
	cc := &CallConfig{}
	for _, o := range opts {
		if err := o.ApplyCall(cc); err != nil {
			return nil, e.check.Own(err)
		}
	}
	if cc.ResponseInto != nil {
		*cc.ResponseInto = nil
	}
	return cc, nil
}

// keep hands resp to WithResponseInto as a copy without its body: the
// status and headers are the caller's, the body stays the call's (for a
// stream, reading it would steal the events).
func (cc *CallConfig) keep(resp *http.Response) {
	if cc.ResponseInto != nil {
		cp := *resp
		cp.Body = http.NoBody
		*cc.ResponseInto = &cp
	}
}

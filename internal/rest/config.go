// Package rest is the one request engine every chatbot-go package uses: URL
// building, JSON and streamed bodies, the retry policy on top of
// go-retryablehttp, bounded response reading, secret redaction and logging.
package rest

import (
	"log/slog"
	"net/http"
	"time"
)

// Config holds every setting a client can change through chatbot.Option.
// Packages fill in BaseURL, Header and Secrets for their platform; the
// caller's options are applied on top.
type Config struct {
	// BaseURL is scheme://host[/prefix] without a trailing slash.
	BaseURL string
	// HTTPClient carries the transport, the cookie jar and TLS settings.
	HTTPClient *http.Client
	// Logger receives one record per attempt; nil means silent.
	Logger *slog.Logger
	// UserAgentSuffix is appended to the SDK's own User-Agent.
	UserAgentSuffix string

	// MaxAttempts counts the first try: 1 disables retries.
	MaxAttempts int
	// MinBackoff and MaxBackoff bound the exponential backoff.
	MinBackoff, MaxBackoff time.Duration
	// MaxRetryAfter is the longest server-requested wait the engine will
	// sit through; a longer Retry-After ends the retries and surfaces the
	// error so the caller can decide.
	MaxRetryAfter time.Duration

	// Timeout bounds one call, retries included. For streams it bounds the
	// wait for the response headers only, so a long healthy stream is never
	// cut. Zero means no timeout besides the context's.
	Timeout time.Duration
	// MaxResponseBytes bounds how much of a response body is read.
	MaxResponseBytes int64
	// MaxEventBytes bounds one server-sent event of a stream.
	MaxEventBytes int
	// StreamIdleTimeout fails a stream when no byte arrives for this long.
	// Zero disables it.
	StreamIdleTimeout time.Duration

	// Header is sent with every request (authentication headers go here).
	Header http.Header
	// Secrets are redacted from every error string and log record.
	Secrets []string
	// SecretsFunc, when set, returns more secrets to redact, read at the
	// moment of redaction: for credentials that change while the client
	// runs, such as a session token the server re-issues. It must be safe
	// for concurrent use.
	SecretsFunc func() []string

	// SendResponseAlias makes Chat Thing message sends also carry the text
	// in the documented-but-doubtful "response" field.
	SendResponseAlias bool
	// RowsDeletePath overrides the Chat Thing path used to delete rows.
	RowsDeletePath string

	// OptionErr records the first invalid option value; New reports it.
	OptionErr error

	// Extra lets a platform package keep settings of its own that only its
	// own options touch, keyed by a private type of that package.
	Extra map[any]any
}

// Defaults returns the settings every client starts from.
func Defaults() *Config {
	return &Config{
		HTTPClient:        &http.Client{Transport: http.DefaultTransport.(*http.Transport).Clone()},
		MaxAttempts:       4,
		MinBackoff:        250 * time.Millisecond,
		MaxBackoff:        8 * time.Second,
		MaxRetryAfter:     60 * time.Second,
		Timeout:           2 * time.Minute,
		MaxResponseBytes:  8 << 20,
		MaxEventBytes:     1 << 20,
		StreamIdleTimeout: 2 * time.Minute,
		Header:            http.Header{},
	}
}

// Reject records that an option got a bad value (the first one wins);
// New then fails with it as a validation error naming field.
func (c *Config) Reject(field, reason string) {
	if c.OptionErr == nil {
		c.OptionErr = Invalid(field, reason)
	}
}

// Clone returns a copy whose maps and slices can be changed without
// touching the original.
func (c *Config) Clone() *Config {
	cp := *c
	cp.Header = c.Header.Clone()
	if cp.Header == nil {
		cp.Header = http.Header{}
	}
	cp.Secrets = append([]string(nil), c.Secrets...)
	if c.Extra != nil {
		cp.Extra = make(map[any]any, len(c.Extra))
		for k, v := range c.Extra {
			cp.Extra[k] = v
		}
	}
	return &cp
}

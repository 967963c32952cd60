package chatbot

import (
	"log/slog"
	"net/http"
	"time"

	"github.com/chatbot-sdk/chatbot-go/internal/rest"
)

// Option changes a client's settings. The same options work for every
// client in this module (chatbot, botyard, aimylogic, botuj); each one that
// does not apply to a platform is ignored there.
type Option func(*rest.Config)

// checked applies set when ok holds, else records why the value of option
// name was refused.
func checked(name string, ok bool, reason string, set func(*rest.Config)) Option {
	return func(c *rest.Config) {
		if !ok {
			c.Reject(name, reason)
			return
		}
		set(c)
	}
}

// WithBaseURL points the client at another server, such as a chatbottest
// fake or a proxy. It must be an absolute http(s) URL.
func WithBaseURL(u string) Option {
	return func(c *rest.Config) { c.BaseURL = u }
}

// WithHTTPClient uses a copy of hc for every request (its transport, jar,
// TLS setup); hc itself is not changed. Its Timeout field should stay zero:
// it would cut long streams; use WithTimeout instead. Redirects are
// followed only within the base URL's scheme and host, so credentials never
// reach another server. Options apply in order: a WithTransport given
// before WithHTTPClient is replaced by it.
func WithHTTPClient(hc *http.Client) Option {
	return func(c *rest.Config) {
		if hc == nil {
			c.Reject("WithHTTPClient", "must not be nil")
			return
		}
		c.HTTPClient = hc
	}
}

// WithTransport sets the round tripper of the client's own *http.Client.
func WithTransport(rt http.RoundTripper) Option {
	return func(c *rest.Config) {
		if rt == nil {
			c.Reject("WithTransport", "must not be nil")
			return
		}
		hc := *c.HTTPClient
		hc.Transport = rt
		c.HTTPClient = &hc
	}
}

// WithLogger logs one record per HTTP attempt (op, method, path, status,
// attempt, duration) to l; debug for success, warn for failures. Secrets are
// never logged. The default is silence.
func WithLogger(l *slog.Logger) Option {
	return func(c *rest.Config) { c.Logger = l }
}

// WithUserAgentSuffix appends s (for example "myapp/1.2") to the
// User-Agent "chatbot-go/<version> go/<version>".
func WithUserAgentSuffix(s string) Option {
	return func(c *rest.Config) { c.UserAgentSuffix = s }
}

// WithMaxAttempts sets how many times a call is tried in all (1 = no
// retries). The default is 4. See the README for which failures are retried.
func WithMaxAttempts(n int) Option {
	return checked("WithMaxAttempts", n >= 1 && n <= 100, "must be between 1 and 100", func(c *rest.Config) { c.MaxAttempts = n })
}

// WithBackoff sets the bounds of the exponential, jittered wait between
// retries. The defaults are 250ms and 8s.
func WithBackoff(minWait, maxWait time.Duration) Option {
	return func(c *rest.Config) {
		if minWait < 0 || maxWait < minWait {
			c.Reject("WithBackoff", "needs 0 <= min <= max")
			return
		}
		c.MinBackoff, c.MaxBackoff = minWait, maxWait
	}
}

// WithMaxRetryAfter caps how long the client will wait when the server
// sends Retry-After. A longer requested wait ends the retries and returns
// the *APIError, whose RetryAfter says how long the server asked for. The
// default is 60s.
func WithMaxRetryAfter(d time.Duration) Option {
	return checked("WithMaxRetryAfter", d >= 0, "must not be negative", func(c *rest.Config) { c.MaxRetryAfter = d })
}

// WithTimeout bounds each call, retries included (default 2 minutes; 0
// means only the context bounds it). For a stream it bounds the wait for
// the response headers (and the reading of an error body, or of a reply
// sent as one JSON body), so a long healthy stream is never cut.
func WithTimeout(d time.Duration) Option {
	return checked("WithTimeout", d >= 0, "must not be negative", func(c *rest.Config) { c.Timeout = d })
}

// WithMaxResponseBytes bounds how much of a response body is read, and how
// much text one stream may accumulate (default 8 MiB). Past it the call
// fails with an error wrapping ErrBodyTooLarge.
func WithMaxResponseBytes(n int64) Option {
	return checked("WithMaxResponseBytes", n > 0, "must be positive", func(c *rest.Config) { c.MaxResponseBytes = n })
}

// WithMaxEventBytes bounds the size of one server-sent event (default
// 1 MiB). A larger event fails the stream with a clear error.
func WithMaxEventBytes(n int) Option {
	return checked("WithMaxEventBytes", n > 0, "must be positive", func(c *rest.Config) { c.MaxEventBytes = n })
}

// WithStreamIdleTimeout fails a stream when no byte arrives for d (default
// 2 minutes; 0 disables it). It is separate from WithTimeout.
func WithStreamIdleTimeout(d time.Duration) Option {
	return checked("WithStreamIdleTimeout", d >= 0, "must not be negative", func(c *rest.Config) { c.StreamIdleTimeout = d })
}

// WithLegacyResponseField makes Chat Thing sends carry the text in the
// "response" field as well as in "message". The reference documents
// "response" for one-off messages, which is almost certainly a doc error;
// enable this only if a server is seen to need it.
func WithLegacyResponseField() Option {
	return func(c *rest.Config) { c.SendResponseAlias = true }
}

// WithRowsDeletePath overrides the path, relative to the channel's
// ".../1.0" prefix, used to delete data source rows. The documented value
// is "/data-sources/rows"; see DataSourceService.DeleteRows.
func WithRowsDeletePath(p string) Option {
	return func(c *rest.Config) {
		if p == "" || p[0] != '/' {
			c.Reject("WithRowsDeletePath", `must start with "/"`)
			return
		}
		c.RowsDeletePath = p
	}
}

package chatbot

import (
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/chatbot-sdk/chatbot-go/internal/rest"
)

// Option configures a client. The same options work for every client of
// this module (chatbot, botyard, aimylogic, botuj); a platform's own
// options (botyard.WithSession, …) are refused by the other platforms'
// NewClient with a *ValidationError rather than ignored. A bad value is
// reported by NewClient as a *ValidationError naming the option.
type Option interface{ isOption() }

// CallOption changes one call: every call of every package accepts them
// after its arguments.
//
//	reply, err := client.Messages.Send(ctx, p, chatbot.WithCallTimeout(10*time.Second))
type CallOption interface{ isCallOption() }

// option is the one implementation of Option; the engine applies it
// through rest.ClientOption.
type option struct {
	name  string
	apply func(*rest.Config) error
}

func (option) isOption() {}

// ApplyClient applies the option; an error is a *ValidationError naming it.
func (o option) ApplyClient(c *rest.Config) error {
	if err := o.apply(c); err != nil {
		return &ValidationError{Field: o.name, Reason: err.Error()}
	}
	return nil
}

// callOption is the one implementation of CallOption.
type callOption struct {
	name  string
	apply func(*rest.CallConfig) error
}

func (callOption) isCallOption() {}

// ApplyCall applies the option; an error is a *ValidationError naming it.
func (o callOption) ApplyCall(c *rest.CallConfig) error {
	if err := o.apply(c); err != nil {
		return &ValidationError{Field: o.name, Reason: err.Error()}
	}
	return nil
}

// refuse is the error of an option given a value it cannot take.
func refuse(reason string) error { return errors.New(reason) }

// PlatformOption is for platform packages: it makes an option that sets a
// field of the platform's own settings struct S. A client of another
// platform (whose settings are not an S) refuses it with a
// *ValidationError, so a misplaced option never goes unnoticed. name is
// the option as users write it, such as "botyard.WithSession".
func PlatformOption[S any](name string, set func(*S) error) Option {
	return option{name: name, apply: func(c *rest.Config) error {
		s, ok := c.Settings.(*S)
		if !ok {
			pkg, _, _ := strings.Cut(name, ".")
			return refuse(fmt.Sprintf("is an option of package %s; this is a %s client", pkg, c.PlatformName))
		}
		return set(s)
	}}
}

// WithBaseURL points the client at another server, such as a chatbottest
// fake or a proxy. It must be an absolute http(s) URL without credentials,
// query or fragment; a path in it is kept as a prefix.
func WithBaseURL(u string) Option {
	return option{"WithBaseURL", func(c *rest.Config) error { c.BaseURL = u; return nil }}
}

// WithHTTPClient uses a copy of hc for every request (its transport, TLS
// setup); hc itself is not changed, and Client.Close leaves its
// connections alone. Its Timeout field should stay zero: it would cut long
// streams; use WithTimeout instead. Redirects are followed only within the
// base URL's scheme and host, so credentials never reach another server.
// Options apply in order: a WithTransport given before WithHTTPClient is
// replaced by it.
func WithHTTPClient(hc *http.Client) Option {
	return option{"WithHTTPClient", func(c *rest.Config) error {
		if hc == nil {
			return refuse("must not be nil")
		}
		c.SetHTTPClient(hc)
		return nil
	}}
}

// WithTransport sets the round tripper of the client's own *http.Client.
// Client.Close leaves its connections alone: it belongs to the caller.
func WithTransport(rt http.RoundTripper) Option {
	return option{"WithTransport", func(c *rest.Config) error {
		if rt == nil {
			return refuse("must not be nil")
		}
		c.SetTransport(rt)
		return nil
	}}
}

// WithLogger logs one record per HTTP attempt (platform, op, method, path,
// status, attempt, duration) to l; debug for success, warn for failures.
// Secrets are never logged. The default is silence.
func WithLogger(l *slog.Logger) Option {
	return option{"WithLogger", func(c *rest.Config) error { c.Logger = l; return nil }}
}

// WithUserAgentSuffix appends s (for example "myapp/1.2") to the
// User-Agent "chatbot-go/<version> go/<version>".
func WithUserAgentSuffix(s string) Option {
	return option{"WithUserAgentSuffix", func(c *rest.Config) error {
		if strings.ContainsAny(s, "\r\n") {
			return refuse("must not contain CR or LF")
		}
		c.UserAgentSuffix = s
		return nil
	}}
}

// WithHeader sends header name with value on every request of the client
// (a proxy's routing header, a tracing ID). It cannot replace the
// platform's credentials header.
func WithHeader(name, value string) Option {
	return option{"WithHeader", func(c *rest.Config) error {
		if err := checkHeader(name, value); err != nil {
			return err
		}
		c.Header.Add(name, value)
		return nil
	}}
}

// WithMaxAttempts sets how many times a call is tried in all (1 = no
// retries). The default is 4. See the README for which failures are retried.
func WithMaxAttempts(n int) Option {
	return option{"WithMaxAttempts", func(c *rest.Config) error {
		if n < 1 || n > 100 {
			return refuse("must be between 1 and 100")
		}
		c.MaxAttempts = n
		return nil
	}}
}

// WithBackoff sets the bounds of the exponential, jittered wait between
// retries. The defaults are 250ms and 8s.
func WithBackoff(minWait, maxWait time.Duration) Option {
	return option{"WithBackoff", func(c *rest.Config) error {
		if minWait < 0 || maxWait < minWait {
			return refuse("needs 0 <= min <= max")
		}
		c.MinBackoff, c.MaxBackoff = minWait, maxWait
		return nil
	}}
}

// WithMaxRetryAfter caps how long the client will wait when the server
// sends Retry-After. A longer requested wait ends the retries and returns
// the *APIError, whose RetryAfter says how long the server asked for. The
// default is 60s.
func WithMaxRetryAfter(d time.Duration) Option {
	return option{"WithMaxRetryAfter", nonNegative(d, func(c *rest.Config) { c.MaxRetryAfter = d })}
}

// WithTimeout bounds each call, retries included (default 2 minutes; 0
// means only the context bounds it). For a stream it bounds the wait for
// the response headers (and the reading of an error body, or of a reply
// sent as one JSON body), so a long healthy stream is never cut.
// WithCallTimeout changes it for one call.
func WithTimeout(d time.Duration) Option {
	return option{"WithTimeout", nonNegative(d, func(c *rest.Config) { c.Timeout = d })}
}

// WithMaxResponseBytes bounds how much of a response body is read, and how
// much text one stream may accumulate (default 8 MiB). Past it the call
// fails with an error wrapping ErrBodyTooLarge.
func WithMaxResponseBytes(n int64) Option {
	return option{"WithMaxResponseBytes", func(c *rest.Config) error {
		if n <= 0 || n > 1<<40 {
			return refuse("must be between 1 byte and 1 TiB")
		}
		c.MaxResponseBytes = n
		return nil
	}}
}

// WithMaxEventBytes bounds the size of one server-sent event (default
// 16 MiB; memory follows the events actually received). A larger event
// fails the stream with an error matching ErrEventTooLarge.
func WithMaxEventBytes(n int) Option {
	return option{"WithMaxEventBytes", func(c *rest.Config) error {
		if n <= 0 {
			return refuse("must be positive")
		}
		c.MaxEventBytes = n
		return nil
	}}
}

// WithStreamIdleTimeout fails a stream when no byte arrives for d (default
// 2 minutes; 0 disables it). It is separate from WithTimeout.
func WithStreamIdleTimeout(d time.Duration) Option {
	return option{"WithStreamIdleTimeout", nonNegative(d, func(c *rest.Config) { c.StreamIdleTimeout = d })}
}

func nonNegative(d time.Duration, set func(*rest.Config)) func(*rest.Config) error {
	return func(c *rest.Config) error {
		if d < 0 {
			return refuse("must not be negative")
		}
		set(c)
		return nil
	}
}

// WithCallTimeout bounds this call, retries included, instead of the
// client's WithTimeout (0: only the context bounds it).
func WithCallTimeout(d time.Duration) CallOption {
	return callOption{"WithCallTimeout", func(c *rest.CallConfig) error {
		if d < 0 {
			return refuse("must not be negative")
		}
		c.Timeout, c.HasTimeout = d, true
		return nil
	}}
}

// WithCallMaxAttempts sets how many times this call is tried in all,
// instead of the client's WithMaxAttempts (1 = no retries).
func WithCallMaxAttempts(n int) CallOption {
	return callOption{"WithCallMaxAttempts", func(c *rest.CallConfig) error {
		if n < 1 || n > 100 {
			return refuse("must be between 1 and 100")
		}
		c.MaxAttempts = n
		return nil
	}}
}

// WithCallHeader sends header name with value on this call's requests.
func WithCallHeader(name, value string) CallOption {
	return callOption{"WithCallHeader", func(c *rest.CallConfig) error {
		if err := checkHeader(name, value); err != nil {
			return err
		}
		if c.Header == nil {
			c.Header = http.Header{}
		}
		c.Header.Add(name, value)
		return nil
	}}
}

// WithResponseInto stores the call's last HTTP response in *dst once the
// call returns, for its status and headers (rate-limit headers, a request
// ID). Its body is already read and closed. For an auto-pager it is the
// response of the page fetched last.
func WithResponseInto(dst **http.Response) CallOption {
	return callOption{"WithResponseInto", func(c *rest.CallConfig) error {
		if dst == nil {
			return refuse("must not be nil")
		}
		c.ResponseInto = dst
		return nil
	}}
}

// checkHeader refuses a header that would split the request or that is
// not a valid field name.
func checkHeader(name, value string) error {
	if name == "" || strings.ContainsAny(name, " \t\r\n:") {
		return refuse(fmt.Sprintf("%q is not a header name", name))
	}
	if strings.ContainsAny(value, "\r\n") {
		return refuse("the value must not contain CR or LF")
	}
	return nil
}

package rest

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"
	"unicode/utf8"
)

// Failure describes a response the engine treats as failed: a non-2xx status,
// or a 2xx whose body says "success": false. Every string in it is already
// free of secrets.
type Failure struct {
	Op         string
	StatusCode int
	Method     string
	URL        string
	Message    string
	Body       string
	RetryAfter time.Duration
	Attempts   int
}

// maxErrorBody is how much of a failed response's body an error keeps, and
// maxErrorMessage how much of the server's message.
const (
	maxErrorBody    = 2048
	maxErrorMessage = 512
)

// ErrorBuilder turns a Failure into the public error value. Package chatbot
// installs its *APIError constructor here when it is initialised, which is
// always before any client exists because every client package imports it.
var ErrorBuilder = func(f Failure) error {
	return fmt.Errorf("%s %s: status %d: %s", f.Method, f.URL, f.StatusCode, f.Message)
}

// ValidationBuilder makes the error for bad input caught before sending;
// package chatbot installs its *ValidationError constructor here.
var ValidationBuilder = func(field, reason string) error {
	return fmt.Errorf("invalid %s: %s", field, reason)
}

// Invalid reports bad caller input through ValidationBuilder.
func Invalid(field, reason string) error { return ValidationBuilder(field, reason) }

// newFailure builds the Failure for a response whose body was already read.
func (e *Engine) newFailure(op string, resp *http.Response, body []byte, attempts int) Failure {
	f := Failure{
		Op:         op,
		StatusCode: resp.StatusCode,
		Method:     resp.Request.Method,
		URL:        e.redact(resp.Request.URL.Redacted()),
		Message:    e.excerpt([]byte(messageFrom(body)), maxErrorMessage),
		Body:       e.excerpt(body, maxErrorBody),
		Attempts:   attempts,
	}
	if d, ok := ParseRetryAfter(resp.Header.Get("Retry-After"), time.Now()); ok {
		f.RetryAfter = d
	}
	if f.Message == "" {
		f.Message = http.StatusText(resp.StatusCode)
	}
	return f
}

// messageFrom pulls a human message out of an error body: the usual JSON
// fields first, else the body's first line when it is short text.
func messageFrom(body []byte) string {
	body = bytes.TrimSpace(body)
	if len(body) == 0 {
		return ""
	}
	if body[0] == '{' {
		var m struct {
			Message     json.RawMessage `json:"message"`
			Error       json.RawMessage `json:"error"`
			Detail      json.RawMessage `json:"detail"`
			Description string          `json:"error_description"`
		}
		if json.Unmarshal(body, &m) == nil {
			for _, raw := range []json.RawMessage{m.Message, m.Error, m.Detail} {
				if s := textOf(raw); s != "" {
					return s
				}
			}
			return m.Description
		}
	}
	if bytes.HasPrefix(body, []byte("<")) { // an HTML error page says nothing useful in one line
		return ""
	}
	line, _, _ := bytes.Cut(body, []byte("\n"))
	return string(bytes.TrimSpace(line))
}

// textOf reads a message that may be a string, an array of strings or an
// object with its own "message".
func textOf(raw json.RawMessage) string {
	if len(raw) == 0 {
		return ""
	}
	var s string
	if json.Unmarshal(raw, &s) == nil {
		return s
	}
	var list []string
	if json.Unmarshal(raw, &list) == nil {
		return strings.Join(list, "; ")
	}
	var obj struct {
		Message string `json:"message"`
	}
	if json.Unmarshal(raw, &obj) == nil {
		return obj.Message
	}
	return ""
}

// truncateUTF8 cuts b to at most n bytes without splitting a rune.
func truncateUTF8(b []byte, n int) string {
	if len(b) <= n {
		return string(b)
	}
	cut := n
	for cut > 0 && !utf8.RuneStart(b[cut]) {
		cut--
	}
	return string(b[:cut]) + "…"
}

// Snippet is a short, secret-free excerpt of a body for decode errors.
func (e *Engine) Snippet(body []byte) string {
	return e.excerpt(bytes.TrimSpace(body), 120)
}

// excerpt returns at most n bytes of b (plus an ellipsis) with every secret
// removed. It redacts before it cuts: cutting first could leave the first
// part of a secret that straddles the cut.
func (e *Engine) excerpt(b []byte, n int) string {
	if window := n + e.longestSecret(); len(b) > window {
		b = b[:window] // a secret that starts before n ends inside the window
	}
	return truncateUTF8([]byte(e.redact(string(b))), n)
}

func (e *Engine) longestSecret() int {
	longest := 0
	for _, s := range e.cfg.Secrets {
		longest = max(longest, len(s))
	}
	if e.cfg.SecretsFunc != nil {
		for _, s := range e.cfg.SecretsFunc() {
			longest = max(longest, len(s))
		}
	}
	return longest
}

// redact removes every configured secret from s.
func (e *Engine) redact(s string) string {
	s = redactAll(s, e.cfg.Secrets)
	if e.cfg.SecretsFunc != nil {
		s = redactAll(s, e.cfg.SecretsFunc())
	}
	return s
}

func redactAll(s string, secrets []string) string {
	for _, secret := range secrets {
		if secret != "" {
			s = strings.ReplaceAll(s, secret, "[REDACTED]")
		}
	}
	return s
}

// Redact is redact for packages that build their own messages.
func (e *Engine) Redact(s string) string { return e.redact(s) }

// TransportError is a request that got no usable response: a connection
// failure, a timeout or a cancelled context. Its text names the call but
// never the full URL, which may carry secrets.
type TransportError struct {
	// Op names the SDK call, such as "Messages.Send".
	Op string
	// Method and Path identify the request (Path with secrets removed).
	Method string
	Path   string
	// Err is the cause: a net error, context.Canceled, DeadlineExceeded…
	Err error
}

// Error names the call and the cause, without the URL.
func (e *TransportError) Error() string {
	return fmt.Sprintf("chatbot: %s (%s %s): %v", e.Op, e.Method, e.Path, e.Err)
}

// Unwrap exposes the cause, so errors.Is(err, context.Canceled) works.
func (e *TransportError) Unwrap() error { return e.Err }

// DecodeError is a 2xx response whose body could not be decoded.
type DecodeError struct {
	// Op names the SDK call.
	Op string
	// Snippet is the start of the body, with secrets removed.
	Snippet string
	// Err is the JSON decoder's error.
	Err error
}

// Error names the call and quotes the start of the body.
func (e *DecodeError) Error() string {
	return fmt.Sprintf("chatbot: %s: decoding response: %v (body starts %q)", e.Op, e.Err, e.Snippet)
}

// Unwrap exposes the JSON error.
func (e *DecodeError) Unwrap() error { return e.Err }

// ErrBodyTooLarge is wrapped by errors about bodies over the size limit.
var ErrBodyTooLarge = errors.New("response body exceeds the configured limit")

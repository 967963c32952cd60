package rest

import (
	"bytes"
	"encoding/json"
	"net/http"
	"strings"
	"time"
	"unicode/utf8"
)

// maxErrorBody is how much of a failed response's body an error keeps, and
// maxErrorMessage how much of the server's message.
const (
	maxErrorBody    = 2048
	maxErrorMessage = 512
)

// failure builds the *APIError for a response whose body was already read;
// message, when not empty, replaces the one found in the body.
func (e *Engine) failure(op string, resp *http.Response, body []byte, attempts int, message string) error {
	if message == "" {
		message = messageFrom(body)
	}
	f := &APIError{
		Op:         op,
		StatusCode: resp.StatusCode,
		Method:     resp.Request.Method,
		URL:        e.redactor.Redact(resp.Request.URL.Redacted()),
		Message:    e.redactor.Excerpt([]byte(message), maxErrorMessage),
		Body:       e.redactor.Excerpt(body, maxErrorBody),
		Attempts:   attempts,
		pkg:        e.check.Pkg,
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
	return e.redactor.Excerpt(bytes.TrimSpace(body), 120)
}

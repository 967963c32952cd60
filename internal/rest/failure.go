package rest

import (
	"bytes"
	"errors"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/chatbot-sdk/chatbot-go/internal/apierr"
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
		message = apierr.MessageFrom(body)
	}
	f := e.check.APIError(&apierr.APIError{
		Op:         op,
		StatusCode: resp.StatusCode,
		Method:     resp.Request.Method,
		URL:        e.redactor.Redact(resp.Request.URL.Redacted()),
		Message:    e.redactor.Excerpt([]byte(message), maxErrorMessage),
		Body:       e.redactor.Excerpt(body, maxErrorBody),
		Attempts:   attempts,
	})
	if d, ok := ParseRetryAfter(resp.Header.Get("Retry-After"), time.Now()); ok {
		f.RetryAfter = d
	}
	if f.Message == "" {
		f.Message = http.StatusText(resp.StatusCode)
	}
	return f
}

// Snippet is a short, secret-free excerpt of a body for decode errors.
func (e *Engine) Snippet(body []byte) string {
	return e.redactor.Excerpt(bytes.TrimSpace(body), 120)
}

// transportError wraps err, the reason a call got no usable response,
// without the URL (url.Error prints it whole) and without any secret.
func (e *Engine) transportError(req *Request, err error) error {
	var uerr *url.Error
	if errors.As(err, &uerr) {
		err = uerr.Err
	}
	path, _, _ := strings.Cut(req.Path, "?")
	return e.check.Wrap(req.Op, req.Method, e.shownPrefix+e.redactor.Redact(path), e.redactor.Seal(err))
}

package chatbot

import (
	"errors"
	"fmt"
	"net/http"
	"time"

	"github.com/chatbot-sdk/chatbot-go/internal/rest"
)

// Sentinels for the kinds of failure a caller usually branches on. Every
// *APIError matches the one for its status with errors.Is:
//
//	if errors.Is(err, chatbot.ErrNotFound) { ... }
var (
	// ErrBadRequest: 400 or 422, the server rejected the request as malformed.
	ErrBadRequest = errors.New("chatbot: bad request")
	// ErrUnauthorized: 401, missing, expired or rejected credentials or session.
	ErrUnauthorized = errors.New("chatbot: unauthorized")
	// ErrForbidden: 403, the credentials do not grant access (for Chat Thing:
	// the secret key does not match the channel).
	ErrForbidden = errors.New("chatbot: forbidden")
	// ErrNotFound: 404, the resource (or the channel) does not exist.
	ErrNotFound = errors.New("chatbot: not found")
	// ErrRateLimited: 429, rate limited, out of credits, or busy.
	ErrRateLimited = errors.New("chatbot: rate limited")
	// ErrServer: any 5xx.
	ErrServer = errors.New("chatbot: server error")
	// ErrUnsuccessful: a 2xx response whose body says "success": false.
	ErrUnsuccessful = errors.New("chatbot: request reported success=false")
)

// APIError is a response the server answered with a failure: any non-2xx
// status, or a 2xx whose body says it did not succeed. It never contains a
// secret key, token or session cookie.
type APIError struct {
	// Op names the SDK call, such as "Messages.Send".
	Op string
	// StatusCode is the HTTP status (200 when the body reported failure).
	StatusCode int
	// Method and URL identify the request; URL has secrets removed.
	Method string
	URL    string
	// Message is the server's explanation when it gave one, else the
	// status text.
	Message string
	// Body is the start of the raw response body, JSON or not.
	Body string
	// RetryAfter is the wait the server asked for (zero when it did not).
	RetryAfter time.Duration
	// Attempts counts the tries made, retries included.
	Attempts int
}

// Error reports the call, the request, the status and the server's message.
func (e *APIError) Error() string {
	status := fmt.Sprintf("%d %s", e.StatusCode, http.StatusText(e.StatusCode))
	if e.StatusCode >= 200 && e.StatusCode < 300 {
		status = fmt.Sprintf("%d (success=false)", e.StatusCode)
	}
	s := fmt.Sprintf("chatbot: %s: %s %s: %s", e.Op, e.Method, e.URL, status)
	if e.Message != "" && e.Message != http.StatusText(e.StatusCode) {
		s += ": " + e.Message
	}
	if e.RetryAfter > 0 {
		s += fmt.Sprintf(" (retry after %s)", e.RetryAfter)
	}
	return s
}

// Is matches the sentinel for the error's status.
func (e *APIError) Is(target error) bool {
	switch target {
	case ErrBadRequest:
		return e.StatusCode == http.StatusBadRequest || e.StatusCode == http.StatusUnprocessableEntity
	case ErrUnauthorized:
		return e.StatusCode == http.StatusUnauthorized
	case ErrForbidden:
		return e.StatusCode == http.StatusForbidden
	case ErrNotFound:
		return e.StatusCode == http.StatusNotFound
	case ErrRateLimited:
		return e.StatusCode == http.StatusTooManyRequests
	case ErrServer:
		return e.StatusCode >= 500 && e.StatusCode <= 599
	case ErrUnsuccessful:
		return e.StatusCode >= 200 && e.StatusCode <= 299
	}
	return false
}

// Temporary reports whether trying the same call again later may succeed.
func (e *APIError) Temporary() bool {
	switch e.StatusCode {
	case http.StatusRequestTimeout, http.StatusTooManyRequests, http.StatusBadGateway,
		http.StatusServiceUnavailable, http.StatusGatewayTimeout:
		return true
	}
	return false
}

// ValidationError is bad input caught before any request was sent.
type ValidationError struct {
	// Field names the offending argument or struct field.
	Field string
	// Reason says what is wrong with it.
	Reason string
}

// Error names the field and what is wrong with it.
func (e *ValidationError) Error() string {
	return fmt.Sprintf("chatbot: invalid %s: %s", e.Field, e.Reason)
}

// TransportError is a call that got no usable response: a connection
// failure, a timeout or a cancelled context. errors.Is(err,
// context.Canceled) and errors.Is(err, context.DeadlineExceeded) see
// through it. Its text never contains the full URL.
type TransportError = rest.TransportError

// DecodeError is a successful response whose body could not be decoded; it
// names the call and quotes the start of the body.
type DecodeError = rest.DecodeError

// ErrBodyTooLarge is wrapped by the error for a response body larger than
// the limit set with WithMaxResponseBytes.
var ErrBodyTooLarge = rest.ErrBodyTooLarge

func init() {
	rest.Version = Version
	rest.ErrorBuilder = func(f rest.Failure) error {
		return &APIError{
			Op: f.Op, StatusCode: f.StatusCode, Method: f.Method, URL: f.URL,
			Message: f.Message, Body: f.Body, RetryAfter: f.RetryAfter, Attempts: f.Attempts,
		}
	}
	rest.ValidationBuilder = func(field, reason string) error {
		return &ValidationError{Field: field, Reason: reason}
	}
}

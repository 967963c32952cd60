// Package apierr defines, once, the error types every package of the
// module returns (package chatbot re-exports them), and the Checker that
// makes a package's validation errors and paths.
package apierr

import (
	"errors"
	"fmt"
	"net/http"
	"time"
)

// Sentinels for the kinds of failure a caller branches on; APIError.Is
// matches the one for its status.
var (
	ErrBadRequest   = errors.New("bad request")
	ErrUnauthorized = errors.New("unauthorized")
	ErrForbidden    = errors.New("forbidden")
	ErrNotFound     = errors.New("not found")
	ErrRateLimited  = errors.New("rate limited")
	ErrServer       = errors.New("server error")
	ErrUnsuccessful = errors.New("request reported failure in a 2xx body")
	// ErrBodyTooLarge is wrapped by errors about bodies over the size limit.
	ErrBodyTooLarge = errors.New("response body exceeds the configured limit")
)

// defaultPkg names the package in errors built outside any client, such as
// an APIError a test constructs by hand.
const defaultPkg = "chatbot"

func pkgOr(p string) string {
	if p == "" {
		return defaultPkg
	}
	return p
}

// APIError is a response the server answered with a failure. See the
// chatbot.APIError documentation for the fields.
type APIError struct {
	Op         string
	StatusCode int
	Method     string
	URL        string
	Message    string
	Body       string
	RetryAfter time.Duration
	Attempts   int

	pkg string // the package whose client made the call, for Error's prefix
}

// Error reports the call, the request, the status, the server's message
// and, when the call was retried, how many attempts were made.
func (e *APIError) Error() string {
	status := fmt.Sprintf("%d %s", e.StatusCode, http.StatusText(e.StatusCode))
	if e.StatusCode >= 200 && e.StatusCode < 300 {
		status = fmt.Sprintf("%d (the body reports failure)", e.StatusCode)
	}
	s := fmt.Sprintf("%s: %s: %s %s: %s", pkgOr(e.pkg), e.Op, e.Method, e.URL, status)
	if e.Message != "" && e.Message != http.StatusText(e.StatusCode) {
		s += ": " + e.Message
	}
	if e.RetryAfter > 0 {
		s += fmt.Sprintf(" (retry after %s)", e.RetryAfter)
	}
	if e.Attempts > 1 {
		s += fmt.Sprintf(" (after %d attempts)", e.Attempts)
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
	Field  string
	Reason string

	pkg string
}

// Error names the field and what is wrong with it.
func (e *ValidationError) Error() string {
	return fmt.Sprintf("%s: invalid %s: %s", pkgOr(e.pkg), e.Field, e.Reason)
}

// TransportError is a call that got no usable response. See
// chatbot.TransportError.
type TransportError struct {
	Op     string
	Method string
	Path   string
	Err    error

	pkg string
}

// Error names the call and the cause, without the URL.
func (e *TransportError) Error() string {
	return fmt.Sprintf("%s: %s (%s %s): %v", pkgOr(e.pkg), e.Op, e.Method, e.Path, e.Err)
}

// Unwrap exposes the cause, so errors.Is(err, context.Canceled) works.
func (e *TransportError) Unwrap() error { return e.Err }

// DecodeError is a 2xx response whose body could not be decoded. See
// chatbot.DecodeError.
type DecodeError struct {
	Op      string
	Snippet string
	Err     error

	pkg string
}

// Error names the call and quotes the start of the body.
func (e *DecodeError) Error() string {
	return fmt.Sprintf("%s: %s: decoding response: %v (body starts %q)", pkgOr(e.pkg), e.Op, e.Err, e.Snippet)
}

// Unwrap exposes the decoder's error.
func (e *DecodeError) Unwrap() error { return e.Err }

// Checker makes the validation errors of one package, so that each says
// which package refused the input ("botyard: invalid chatID: …"). Each
// platform package keeps one in a package variable.
type Checker struct{ Pkg string }

// Invalid reports bad caller input.
func (c Checker) Invalid(field, reason string) error {
	return &ValidationError{Field: field, Reason: reason, pkg: c.Pkg}
}

// Decode wraps err, the failure to decode a 2xx body, with a snippet that
// the caller has already made secret-free.
func (c Checker) Decode(op, snippet string, err error) error {
	return &DecodeError{Op: op, Snippet: snippet, Err: err, pkg: c.Pkg}
}

// Own stamps c's package on an error made without one (by an option, or
// by a helper that does not know its caller), and returns it.
func (c Checker) Own(err error) error {
	var ve *ValidationError
	if errors.As(err, &ve) && ve.pkg == "" {
		ve.pkg = c.Pkg
	}
	var de *DecodeError
	if errors.As(err, &de) && de.pkg == "" {
		de.pkg = c.Pkg
	}
	return err
}

// APIError stamps c's package on e, a failure the engine built.
func (c Checker) APIError(e *APIError) *APIError {
	e.pkg = c.Pkg
	return e
}

// Wrap returns err, a failure of a call named op that the engine did not
// see (for instance one a package found while reading a stream), as a
// TransportError of this package.
func (c Checker) Wrap(op, method, path string, err error) error {
	return &TransportError{Op: op, Method: method, Path: path, Err: err, pkg: c.Pkg}
}

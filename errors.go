package chatbot

import (
	"errors"

	"github.com/chatbot-sdk/chatbot-go/internal/apierr"
	"github.com/chatbot-sdk/chatbot-go/internal/page"
)

// The error types and sentinels below are the same values in every package
// of the module: a botyard or aimylogic call fails with a *chatbot.APIError
// too, and errors.Is(err, chatbot.ErrNotFound) works everywhere.

// Sentinels for the kinds of failure a caller usually branches on. Every
// *APIError matches the one for its status with errors.Is:
//
//	if errors.Is(err, chatbot.ErrNotFound) { ... }
var (
	// ErrBadRequest: 400 or 422, the server rejected the request as malformed.
	ErrBadRequest = apierr.ErrBadRequest
	// ErrUnauthorized: 401, missing, expired or rejected credentials or session.
	ErrUnauthorized = apierr.ErrUnauthorized
	// ErrForbidden: 403, the credentials do not grant access (for Chat Thing:
	// the secret key does not match the channel).
	ErrForbidden = apierr.ErrForbidden
	// ErrNotFound: 404, the resource (or the channel) does not exist.
	ErrNotFound = apierr.ErrNotFound
	// ErrRateLimited: 429, rate limited, out of credits, or busy.
	ErrRateLimited = apierr.ErrRateLimited
	// ErrServer: any 5xx.
	ErrServer = apierr.ErrServer
	// ErrUnsuccessful: a 2xx response whose body says the call failed
	// (Chat Thing's "success": false).
	ErrUnsuccessful = apierr.ErrUnsuccessful
	// ErrBodyTooLarge is wrapped by the error for a response body larger
	// than the limit set with WithMaxResponseBytes.
	ErrBodyTooLarge = apierr.ErrBodyTooLarge
	// ErrCursorIgnored ends a ListAll whose server answered a new cursor
	// with mostly the items it had already sent: it ignores the cursor.
	ErrCursorIgnored = page.ErrCursorIgnored
	// ErrNoCredentials is returned by NewClientFromEnv when a required
	// environment variable is unset; the error names the variable.
	ErrNoCredentials = errors.New("no credentials in the environment")
)

// APIError is a response the server answered with a failure: any non-2xx
// status, or a 2xx whose body says it did not succeed. It never contains a
// secret key, token or session cookie. Its fields:
//
//   - Op names the SDK call, such as "Messages.Send".
//   - StatusCode is the HTTP status (a 2xx when the body reported failure).
//   - Method and URL identify the request; secrets in URL are shown as
//     placeholders such as "{token}".
//   - Message is the server's explanation when it gave one, else the
//     status text; Body is the start of the raw body, JSON or not.
//   - RetryAfter is the wait the server asked for (zero when it did not).
//   - Attempts counts the tries made, retries included.
//
// errors.Is matches the sentinel of its status (ErrNotFound, …); Temporary
// reports whether the same call may succeed later.
type APIError = apierr.APIError

// ValidationError is bad input caught before any request was sent: Field
// names the offending argument, struct field or option, Reason says what is
// wrong with it.
type ValidationError = apierr.ValidationError

// TransportError is a call that got no usable response: a connection
// failure, a timeout or a cancelled context. Op names the call, Method and
// Path the request (secrets shown as placeholders), Err is the cause.
// errors.Is(err, context.Canceled) and errors.Is(err,
// context.DeadlineExceeded) see through it. Neither its text nor anything
// reachable by unwrapping it holds a secret: a cause that quoted one is
// replaced by a redacted copy that still answers errors.Is.
type TransportError = apierr.TransportError

// DecodeError is a successful response whose body could not be decoded;
// Op names the call, Snippet quotes the start of the body (secret-free),
// Err is the decoder's error.
type DecodeError = apierr.DecodeError

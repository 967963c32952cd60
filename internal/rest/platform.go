package rest

import (
	"encoding/json"
	"net/http"
	"net/url"
)

// Platform is everything the engine needs to know about one API. A
// platform package fills one in and hands it to NewEngine once; nothing
// else about a platform reaches the engine.
type Platform struct {
	// Name is the package name that prefixes every error ("botyard").
	Name string
	// BaseURL is the default scheme://host[/path]; WithBaseURL replaces it.
	BaseURL string
	// Prefix is put before every request's path, after the base URL's own
	// path: fixed parts, caller IDs (a channel) and secret segments (a
	// token), which are shown as "{field}" everywhere.
	Prefix []Segment
	// Header is sent with every request; its values listed in Secrets are
	// never shown.
	Header http.Header
	// Secrets are header credentials to redact (shown as [REDACTED]).
	Secrets []string
	// DynamicSecrets, when set, lists secrets that change while the client
	// runs (a re-issued session token); read at every redaction.
	DynamicSecrets func() []string
	// Transport, when set, wraps the round tripper once the base URL is
	// known: a cookie session lives here.
	Transport func(base *url.URL, next http.RoundTripper) http.RoundTripper
	// Decode turns a 2xx body into out; nil means plain JSON (an empty body
	// leaves out as it is). It returns Refused for a body that reports a
	// failure, and any other error for a body it cannot read.
	Decode func(op string, body []byte, out any) error
	// MaxItems, when positive, is the most items the API puts in any
	// array of one response (its page maximum); a body with a longer array
	// is a DecodeError before it is decoded, which bounds the memory a
	// response can take to a small multiple of its size.
	MaxItems int
	// Final, when set, reports answers that a retry cannot change for a
	// call (Chat Thing's "a sync is already running" 429).
	Final func(op string, status int) bool
	// Settings is the platform's own settings struct (a pointer), which
	// its options fill in before the rest of the platform is read.
	Settings any
	// Finish, when set, completes the platform once the options have
	// filled Settings: a path prefix that an option chooses goes here.
	Finish func(p *Platform) error
}

// RefusedError is returned by a Platform's Decode for a 2xx body that
// says the call failed; the engine turns it into an *APIError matching
// ErrUnsuccessful.
type RefusedError struct{ Message string }

func (r *RefusedError) Error() string { return r.Message }

// Refused reports a 2xx body that says the call failed.
func Refused(message string) error { return &RefusedError{Message: message} }

// decodeJSON is the default decoder.
func decodeJSON(_ string, body []byte, out any) error {
	if out == nil || len(body) == 0 {
		return nil
	}
	return json.Unmarshal(body, out)
}

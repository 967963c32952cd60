package botyard

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/chatbot-sdk/chatbot-go"
)

// cookieName is the cookie the server keeps its session JWT in.
const cookieName = "token"

// session holds the newest session token. It plays the part of a cookie
// jar with a single cookie, scoped to the base URL's scheme and host: the
// token is sent only there and only learnt from there, so a redirect to
// another host never carries it.
//
// Responses can come back in any order, so a response may only replace
// the token its request was sent with: a slow call that started before a
// login or a SetSession must not bring the old user back. gen counts those
// deliberate changes; a response is applied only when neither the token
// nor gen moved since its request was sent.
type session struct {
	scheme, host string
	api          *url.URL // where the Client API lives: a cookie must cover it

	mu       sync.Mutex
	token    string
	gen      uint64 // bumped by SetSession and by every login
	changes  uint64 // bumped by every change of token, for the saver
	previous string // kept for redaction a little longer
	// inFlight counts the requests still being answered per token they
	// were sent with: an error echoing a request's cookie must have that
	// token redacted, however many re-issues ago it was replaced.
	inFlight map[string]int

	// saver hands every change to the SessionStore; nil without one.
	saver *sessionSaver
	// stored says the store holds token: the client loaded it from there
	// or saved it there. Only then may dropping it delete the store's
	// token, which may otherwise be a good one the client never used.
	stored bool
}

// sentWith is the session state a request went out with.
type sentWith struct {
	token string
	gen   uint64
}

func newSession(base *url.URL, token string) *session {
	api := *base // JoinPath would leave a path without its leading "/"
	api.Path, api.RawPath = strings.TrimRight(base.Path, "/")+"/"+apiPath+"/", ""
	return &session{scheme: base.Scheme, host: base.Host, api: &api, token: token, inFlight: map[string]int{}}
}

// apiPath is where the Client API lives under the base URL.
const apiPath = "v1/client-api"

// hold records that a request goes out with token until release is
// called (once its response body is closed).
func (s *session) hold(token string) (release func()) {
	if token == "" {
		return func() {}
	}
	s.mu.Lock()
	s.inFlight[token]++
	s.mu.Unlock()
	var once sync.Once
	return func() {
		once.Do(func() {
			s.mu.Lock()
			defer s.mu.Unlock()
			if s.inFlight[token]--; s.inFlight[token] <= 0 {
				delete(s.inFlight, token)
			}
		})
	}
}

// get returns the current token ("" when there is none).
func (s *session) get() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.token
}

// current returns the state a request is about to be sent with.
func (s *session) current() sentWith {
	s.mu.Lock()
	defer s.mu.Unlock()
	return sentWith{token: s.token, gen: s.gen}
}

// set replaces the token whatever is in flight (SetSession).
func (s *session) set(token string) {
	s.mu.Lock()
	s.gen++
	c := s.replace(token)
	s.mu.Unlock()
	c.save(s.saver, token)
}

// change is a change of token made under the session's lock, to hand to
// the saver once the lock is let go.
type change struct {
	n       uint64 // 0: nothing changed
	persist bool   // whether the store is to be written
}

// save passes c on to saver.
func (c change) save(saver *sessionSaver, token string) {
	if c.n != 0 {
		saver.save(c.n, token, c.persist)
	}
}

// replace swaps in token, keeping the old one for redaction, and returns
// the change it made. The caller holds mu. A new token is always saved;
// dropping one ("") only when the store holds it.
func (s *session) replace(token string) change {
	if token == s.token {
		return change{}
	}
	persist := token != "" || s.stored
	s.stored = token != ""
	s.previous, s.token = s.token, token
	s.changes++
	return change{n: s.changes, persist: persist}
}

// secrets lists the tokens to redact from errors and logs.
func (s *session) secrets() []string {
	if s == nil {
		return nil // the client is still being built
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	out := []string{s.token, s.previous}
	for t := range s.inFlight {
		out = append(out, t)
	}
	return out
}

// origin is the server the session belongs to, as a SessionStore keys it:
// "scheme://host[:port]" in lower case.
func (s *session) origin() string {
	return strings.ToLower(s.scheme + "://" + s.host)
}

// ours reports whether u is on the server the session belongs to.
func (s *session) ours(u *url.URL) bool {
	return strings.EqualFold(u.Scheme, s.scheme) && strings.EqualFold(u.Host, s.host)
}

// learn applies the token a response to a request sent with sent
// re-issued. A login's token always wins: it is a new user by the caller's
// choice. Any other response only changes the token its request carried:
// it refreshes it, or drops it when the server rejected it (401), so that
// Session never hands out a token known to be dead.
func (s *session) learn(resp *http.Response, sent sentWith, login bool) {
	token, ok := s.issuedToken(resp)
	if !ok && !login && resp.StatusCode == http.StatusUnauthorized && sent.token != "" {
		token, ok = "", true
	}
	if !ok {
		return
	}
	s.mu.Lock()
	var c change
	switch {
	case login:
		s.gen++
		c = s.replace(token)
	case s.gen == sent.gen && s.token == sent.token:
		c = s.replace(token)
	}
	s.mu.Unlock()
	// Saved before the response goes back to the caller: once a call has
	// returned, the store holds its token or a newer one.
	c.save(s.saver, token)
}

// issuedToken returns the last "token" cookie a response sets for the
// Client API; a cookie that deletes it (Max-Age < 0) gives "". A cookie a
// jar would not send to the API (another domain, a path such as /static/)
// is not the session. The Expires date is left to the server to enforce:
// it answers 401 for an expired token, and a client with a skewed clock
// must not drop a good one.
func (s *session) issuedToken(resp *http.Response) (token string, ok bool) {
	for _, c := range resp.Cookies() {
		if c.Name != cookieName || !s.covers(resp.Request.URL, c) {
			continue
		}
		token, ok = c.Value, true
		if c.MaxAge < 0 {
			token = ""
		}
	}
	return token, ok
}

// covers reports whether a cookie jar would send c, set by a response to
// from, with a request to the Client API: net/http/cookiejar decides, with
// the cookie made a session cookie so that its dates play no part.
func (s *session) covers(from *url.URL, c *http.Cookie) bool {
	jar, _ := cookiejar.New(nil) // never fails without options
	probe := *c
	probe.MaxAge, probe.Expires, probe.RawExpires = 0, time.Time{}, ""
	jar.SetCookies(from, []*http.Cookie{&probe})
	for _, got := range jar.Cookies(s.api) {
		if got.Name == cookieName {
			return true
		}
	}
	return false
}

// loginKey marks the context of Users.Create, whose response sets the
// token of a new user.
type loginKey struct{}

// asLogin returns ctx marked as a login call.
func asLogin(ctx context.Context) context.Context {
	return context.WithValue(ctx, loginKey{}, true)
}

// sessionTransport adds the session cookie to requests for the server and
// reads the re-issued token from every response.
type sessionTransport struct {
	next    http.RoundTripper
	session *session
}

// RoundTrip sends req with the session cookie when it goes to the
// session's server, and keeps any token the response re-issues.
func (t *sessionTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	if !t.session.ours(req.URL) {
		return t.next.RoundTrip(req)
	}
	sent := t.session.current()
	if sent.token != "" {
		// RoundTrip must not change the caller's request.
		req = req.Clone(req.Context())
		withoutToken(req)
		req.AddCookie(&http.Cookie{Name: cookieName, Value: sent.token})
	}
	release := t.session.hold(sent.token)
	resp, err := t.next.RoundTrip(req)
	if err != nil {
		release()
		return resp, err
	}
	login, _ := req.Context().Value(loginKey{}).(bool)
	t.session.learn(resp, sent, login)
	resp.Body = &releasingBody{ReadCloser: resp.Body, release: release}
	return resp, nil
}

// releasingBody ends a request's hold on its token when its body closes:
// until then an error built from the body may quote the token.
type releasingBody struct {
	io.ReadCloser
	release func()
}

func (b *releasingBody) Close() error {
	err := b.ReadCloser.Close()
	b.release()
	return err
}

// withoutToken drops any other "token" cookie from req, so that the server
// sees exactly one: ours. Other cookies stay.
func withoutToken(req *http.Request) {
	cookies := req.Cookies()
	req.Header.Del("Cookie")
	for _, c := range cookies {
		if c.Name != cookieName {
			req.AddCookie(c)
		}
	}
}

// ErrSessionExpired is matched (errors.Is) by every 401 the server returns:
// the session cookie is missing, expired, or was rejected. The client then
// drops the rejected token (Client.Session returns ""). The only remedy
// is to log in again with Users.Create, which creates a new user; the old
// user's chats stay out of reach. Such errors also match
// chatbot.ErrUnauthorized and unwrap to the *chatbot.APIError.
var ErrSessionExpired = errors.New("botyard: no valid session: log in again with Users.Create (this creates a new user)")

// sessionError adds the log-in-again advice to a 401 *chatbot.APIError.
type sessionError struct{ api *chatbot.APIError }

// Error is the APIError's text with the advice to log in again.
func (e *sessionError) Error() string {
	return e.api.Error() + " (the session is missing, expired or was rejected: log in again with Users.Create, which creates a new user)"
}

// Unwrap exposes both the APIError and ErrSessionExpired.
func (e *sessionError) Unwrap() []error { return []error{e.api, ErrSessionExpired} }

// explainUnauthorized wraps a 401 with the advice; other errors pass as
// they are.
func explainUnauthorized(err error) error {
	var api *chatbot.APIError
	if errors.As(err, &api) && api.StatusCode == http.StatusUnauthorized {
		return &sessionError{api: api}
	}
	return err
}

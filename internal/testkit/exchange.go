package testkit

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// Exchange is one request a client must send and the answer it gets. The
// request side is strict: an Exchange that names no query or body requires
// the request to carry none, not "anything", so that an Exchange written
// for one call cannot pass a request that carries more than the test says.
type Exchange struct {
	// Method is the request method the client must use (required).
	Method string
	// Path is the request path in its escaped form (URL.EscapedPath), so
	// that a test can tell "a%2Fb" from "a/b" (required).
	Path string

	// At most one of RawQuery, Query and QueryHas may be set; with none
	// of them the request must have no query string.
	//
	// RawQuery is the query string the client must send, to the byte.
	RawQuery string
	// Query is the query the client must send, compared once parsed:
	// every parameter and no other, order and escaping aside.
	Query url.Values
	// QueryHas lists parameters the query must carry with these values;
	// it may carry others too.
	QueryHas url.Values

	// Header lists headers that must be present, each with exactly this
	// one value.
	Header map[string]string
	// NoHeader lists headers that must be absent.
	NoHeader []string

	// At most one of JSON and Body may be set; with neither the request
	// must have an empty body.
	//
	// JSON is the body the client must send, compared as JSON values
	// (key order and spacing aside). The request's Content-Type must then
	// be application/json, unless Header names another.
	JSON string
	// Body judges a body that is not JSON: a form, a multipart upload.
	Body func(t testing.TB, r *Request)

	// Check, when set, makes further assertions on the request.
	Check func(t testing.TB, r *Request)

	// Times is how many requests in a row this exchange answers, each of
	// which must match it: a retried call is one exchange with Times set
	// to the number of attempts. Zero means once.
	Times int

	// Reply is the answer.
	Reply Reply
}

// Reply is a canned answer.
type Reply struct {
	// Status is the HTTP status; zero means 200.
	Status int
	// Header holds the response headers. The Content-Type is
	// application/json unless Header sets one.
	Header http.Header
	// File is a fixture (see Fixture) whose content is the body. It is
	// read when the server is set up, so a missing file fails the test at
	// once.
	File string
	// Body is the body, when File is empty.
	Body string
	// Hangup makes the server read the request and then drop the
	// connection without an answer, as a server that crashed after it
	// acted would.
	Hangup bool
}

// step is an Exchange ready to be played: checked, its reply loaded.
type step struct {
	Exchange
	label string // names the exchange in failure messages
	body  []byte // the reply body
	times int
	used  int
}

// prepare checks e and loads its reply. Mistakes in the script are fatal:
// they are bugs of the test, not of the code under test.
func prepare(t testing.TB, i int, e Exchange) *step {
	t.Helper()
	s := &step{Exchange: e, label: fmt.Sprintf("exchange %d (%s %s)", i, e.Method, e.Path), times: max(e.Times, 1)}
	if msg := e.mistake(); msg != "" {
		t.Fatalf("testkit: %s: %s", s.label, msg)
	}
	s.body = []byte(e.Reply.Body)
	if e.Reply.File != "" {
		s.body = Fixture(t, e.Reply.File)
	}
	return s
}

// mistake says what is wrong with e as a script entry, or "".
func (e *Exchange) mistake() string {
	queries := 0
	for _, set := range []bool{e.RawQuery != "", e.Query != nil, e.QueryHas != nil} {
		if set {
			queries++
		}
	}
	switch {
	case e.Method == "":
		return "Method is required"
	case !strings.HasPrefix(e.Path, "/"):
		return "Path must start with /"
	case queries > 1:
		return "set at most one of RawQuery, Query and QueryHas"
	case e.JSON != "" && e.Body != nil:
		return "set at most one of JSON and Body"
	case e.JSON != "" && !json.Valid([]byte(e.JSON)):
		return "JSON is not valid JSON"
	case e.Times < 0:
		return "Times cannot be negative"
	case e.Reply.File != "" && e.Reply.Body != "":
		return "set at most one of Reply.File and Reply.Body"
	case e.Reply.Hangup && (e.Reply.Status != 0 || e.Reply.File != "" || e.Reply.Body != "" || e.Reply.Header != nil):
		return "a Reply that hangs up has nothing else"
	}
	return ""
}

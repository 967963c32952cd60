package testkit_test

import (
	"errors"
	"fmt"
	"net/url"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/chatbot-sdk/chatbot-go/internal/testkit"
)

// A secret with characters that every escaping changes.
const secret = `k3y/with space+"quote"<&>`

// redacting is an error whose own text leaves out its cause, as a
// careless redaction would: only the walk of Unwrap finds the cause.
type redacting struct{ cause error }

func (e *redacting) Error() string { return "request failed" }
func (e *redacting) Unwrap() error { return e.cause }

// hidden keeps the secret in a field that Error does not print, but %#v
// does (Go-quoted).
type hidden struct{ Key string }

func (e *hidden) Error() string { return "bad key" }

// loop unwraps to itself.
type loop struct{}

func (e *loop) Error() string { return "loop" }
func (e *loop) Unwrap() error { return e }

func TestAssertNoSecretFinds(t *testing.T) {
	cases := map[string]struct {
		err    error
		extras []string
		want   []string // in the report
	}{
		"in the error's text": {
			err:  fmt.Errorf("call: bad key %s", secret),
			want: []string{"as it is", "err.Error()"},
		},
		"query-escaped in a wrapped cause's text only": {
			err:  fmt.Errorf("Chats.Start: %w", &redacting{cause: errors.New("GET /x?key=" + url.QueryEscape(secret) + ": refused")}),
			want: []string{"query-escaped", "err.Unwrap().Unwrap().Error()"},
		},
		"path-escaped in one branch of a joined error": {
			err:  errors.Join(errors.New("first"), &redacting{cause: errors.New("/chatapi/" + url.PathEscape(secret) + "/events")}),
			want: []string{"path-escaped", "err.Unwrap()[1].Unwrap().Error()"},
		},
		"Go-quoted in %#v only": {
			err:  fmt.Errorf("wrapped: %w", &hidden{Key: secret}),
			want: []string{"Go-quoted", "err.Unwrap() as %#v"},
		},
		"JSON-escaped in a log line": {
			extras: []string{"https://api.test/ok", `{"level":"INFO","msg":"sent","body":"k3y/with space+\"quote\"\u003c\u0026\u003e"}`},
			want:   []string{"JSON-escaped", "extras[1]"},
		},
		"JSON-escaped without HTML escapes": {
			extras: []string{`{"body":"k3y/with space+\"quote\"<&>"}`},
			want:   []string{"JSON-escaped without HTML escapes", "extras[0]"},
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			ft := newFakeTB(t)
			assert.False(t, testkit.AssertNoSecret(ft, secret, tc.err, tc.extras...))
			for _, w := range tc.want {
				assert.Contains(t, ft.report(), w)
			}
			assert.Contains(t, ft.report(), "«SECRET»", "the report shows where")
		})
	}
}

func TestAssertNoSecretPassesCleanErrors(t *testing.T) {
	ft := newFakeTB(t)
	err := fmt.Errorf("Chats.Start: %w", errors.Join(&redacting{cause: errors.New("key [REDACTED]")}, &hidden{Key: "[REDACTED]"}))
	assert.True(t, testkit.AssertNoSecret(ft, secret, err, "https://api.test/?key=%5BREDACTED%5D", ""))
	assert.True(t, testkit.AssertNoSecret(ft, secret, nil))
	var typedNil *hidden // its Error would panic on a nil receiver if it read a field
	assert.True(t, testkit.AssertNoSecret(ft, secret, fmt.Errorf("x: %w", &redacting{cause: typedNilErr(typedNil)})))
	assert.False(t, ft.Failed(), ft.report())
}

// typedNilErr returns a non-nil error interface that holds a nil pointer.
func typedNilErr(h *hidden) error { return &nilKey{h} }

type nilKey struct{ h *hidden }

func (e *nilKey) Error() string { return e.h.Key } // panics: e.h is nil

func TestAssertNoSecretMisuse(t *testing.T) {
	ft := newFakeTB(t)
	assert.False(t, testkit.AssertNoSecret(ft, "", errors.New("x")))
	assert.Contains(t, ft.report(), "needs a secret")

	ft = newFakeTB(t)
	assert.False(t, testkit.AssertNoSecret(ft, secret, &loop{}), "a cycle ends")
	assert.Contains(t, ft.report(), "Unwrap cycle")
}

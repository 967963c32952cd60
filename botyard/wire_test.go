package botyard_test

import (
	"errors"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/chatbot-sdk/chatbot-go"
	"github.com/chatbot-sdk/chatbot-go/botyard"
	"github.com/chatbot-sdk/chatbot-go/internal/testkit"
)

// Recorded IDs (shared/api/botyard.md §10).
const (
	testBotID = "01m842a8g83wvv3hz4v0fhwbm8"
	echoBotID = "01m842a8g83wvv3hz4v0mvt5v5"
	aliceID   = "01m842a8g83wvv3hz4vgkgmk8f"
	mainChat  = "01m842a8g83wvv3hz4w1vtcs6e"
	bobChat   = "01m842a8g83wvv3hz4w4thj8en"
)

// sessionJWT is a session token shaped like the server's (an HS256 JWT).
const sessionJWT = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJpZCI6IjAxbTg0MmE4Zzgzd3Z2M2h6NHZna2dtazhmIn0.c2lnbmF0dXJl"

// botyardWire is what every Botyard request carries: it accepts JSON, it
// names the SDK, and it sends no cookie unless its exchange names one.
var botyardWire = testkit.Defaults{
	Header:   map[string]string{"Accept": "application/json"},
	NoHeader: []string{"Cookie"},
	Check: func(t testing.TB, r *testkit.Request) {
		ua := r.Header.Get("User-Agent")
		assert.True(t, strings.Contains(ua, "chatbot-go/"), ua)
	},
}

// replay is a replay server for Botyard calls.
type replay struct {
	*testkit.Server
	t *testing.T
}

// newReplay starts a replay server for exchanges, each also held to
// botyardWire.
func newReplay(t *testing.T, exchanges ...testkit.Exchange) replay {
	t.Helper()
	return replay{botyardWire.Serve(t, exchanges...), t}
}

// client returns a Client for the replay server without retries.
func (r replay) client(opts ...chatbot.Option) *botyard.Client {
	r.t.Helper()
	c, err := botyard.NewClient(r.URL(), append([]chatbot.Option{chatbot.WithMaxAttempts(1)}, opts...)...)
	require.NoError(r.t, err)
	return c
}

// fixturePath names the recorded body testdata/botyard/<name>.json.
func fixturePath(name string) string { return "testdata/botyard/" + name + ".json" }

// recorded is the recorded body of name with the status it came with; a
// token, when not "", is set the way the server re-issues the session.
func recorded(status int, name, token string) testkit.Reply {
	return testkit.Reply{Status: status, File: fixturePath(name), Header: setToken(token)}
}

// setToken is the Set-Cookie header that re-issues the session token, or
// no header for "".
func setToken(token string) http.Header {
	if token == "" {
		return nil
	}
	return http.Header{"Set-Cookie": {"token=" + token + "; expires=Mon, 30 Nov 2026 14:12:00 GMT; path=/; SameSite=Lax"}}
}

// cookie requires the request's Cookie header to be exactly value.
func cookie(value string) map[string]string { return map[string]string{"Cookie": value} }

// apiError asserts err is an *chatbot.APIError with this status and
// server message, and returns it.
func apiError(t *testing.T, err error, status int, message string) *chatbot.APIError {
	t.Helper()
	var api *chatbot.APIError
	require.ErrorAs(t, err, &api)
	assert.Equal(t, status, api.StatusCode)
	assert.Equal(t, message, api.Message)
	return api
}

func errorsAs(err error, target any) bool { return errors.As(err, target) }

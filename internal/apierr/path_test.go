package apierr

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

func TestIDRule(t *testing.T) {
	c := Checker{Pkg: "x"}
	for _, ok := range []string{"abc", "a b", "ü", `a"b'c`, "+&;=", "1", strings.Repeat("a", MaxIDBytes)} {
		assert.NoError(t, c.ID("id", ok), "%q", ok)
	}
	for _, bad := range []string{"", " ", ".", "..", "../../admin", "abc/def", "abc%2Fdef", "abc?x=1", "abc#frag", "a\x1bb", "a\x7fb", "a\nb", "a\u0085b", "a\xffb", strings.Repeat("a", MaxIDBytes+1)} {
		err := c.ID("chatID", bad)
		var ve *ValidationError
		require.ErrorAs(t, err, &ve, "%q", bad)
		assert.Equal(t, "chatID", ve.Field)
		assert.True(t, strings.HasPrefix(err.Error(), "x: invalid chatID: "), err.Error())
	}
}

func TestPathEscapesWhatIsLeft(t *testing.T) {
	p, err := Checker{}.Path(Lit("v1/chat"), ID("chatID", "a b+é"), Lit("messages"))
	require.NoError(t, err)
	assert.Equal(t, "/v1/chat/a%20b+%C3%A9/messages", p)
}

func TestOwnStampsThePackageOnce(t *testing.T) {
	err := Checker{Pkg: "botyard"}.Own(&ValidationError{Field: "f", Reason: "r"})
	assert.EqualError(t, err, "botyard: invalid f: r")
	err = Checker{Pkg: "chatbot"}.Own(err)
	assert.EqualError(t, err, "botyard: invalid f: r", "a stamped error keeps its package")
	assert.EqualError(t, &APIError{Op: "X.Y", StatusCode: 404, Method: "GET", URL: "u", Attempts: 3}, "chatbot: X.Y: GET u: 404 Not Found (after 3 attempts)")
}

package main

import (
	"bytes"
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"

	"github.com/chatbot-sdk/chatbot-go/aimylogic"
	"github.com/chatbot-sdk/chatbot-go/chatbottest"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// assertInOrder checks that each of want appears in got, in this order.
func assertInOrder(t *testing.T, got string, want ...string) {
	t.Helper()
	last := 0
	for _, w := range want {
		i := strings.Index(got[last:], w)
		require.GreaterOrEqual(t, i, 0, "missing %q in order; output:\n%s", w, got)
		last += i + len(w)
	}
}

func TestRunWithoutAccount(t *testing.T) {
	t.Setenv(aimylogic.EnvToken, "")
	t.Setenv(aimylogic.EnvBaseURL, "")
	var out, notes bytes.Buffer
	require.NoError(t, run(context.Background(), &out, &notes))
	assertInOrder(t, out.String(),
		"> hello\n",
		"< Hello! What would you like to see?\n< [image] [file]\n",
		"> image (asynchronous; the answer came to the webhook)\n",
		`< image https://example.com/images/cat.png "A cat"`,
		"Events:\n",
		"  botResponse Hello! What would you like to see?\n",
		`  botResponse image https://example.com/images/cat.png "A cat"`,
		"History of go-example:\n",
		"  CLIENT   hello\n",
		"  BOT      Hello! What would you like to see?\n",
		"  CLIENT   image\n",
		`  BOT      image https://example.com/images/cat.png "A cat"`,
	)
	assert.NotContains(t, out.String(), "webhook: result", "the async answer went to the waiting call only")
	assert.Equal(t, 1, strings.Count(notes.String(), "\n"), notes.String())
	assert.Contains(t, notes.String(), "AIMYLOGIC_TOKEN is not set: using an in-process fake")
}

func TestRunWithToken(t *testing.T) {
	// A token in the environment means the real service; a fake stands
	// in for it here. Without a webhook address the async part is
	// skipped, and said so.
	fake := chatbottest.StartAimylogic(t)
	t.Setenv(aimylogic.EnvToken, fake.Token)
	t.Setenv(aimylogic.EnvBaseURL, fake.URL)
	t.Setenv("AIMYLOGIC_WEBHOOK_ADDR", "")
	var out, notes bytes.Buffer
	require.NoError(t, run(context.Background(), &out, &notes))
	assertInOrder(t, out.String(), "> hello\n", "Events:\n", "History of go-example:\n", "  CLIENT   hello\n")
	assert.NotContains(t, out.String(), "> image")
	assert.Equal(t, "AIMYLOGIC_WEBHOOK_ADDR is not set: skipping the asynchronous send\n", notes.String())
}

func TestRunWithBadToken(t *testing.T) {
	t.Setenv(aimylogic.EnvToken, "bad/token")
	t.Setenv(aimylogic.EnvBaseURL, "")
	var out, notes bytes.Buffer
	err := run(context.Background(), &out, &notes)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "aimylogic: invalid token")
	assert.NotContains(t, err.Error(), "bad/token")
}

func TestEventsSinceNeedsAReadableTimestamp(t *testing.T) {
	var untimed aimylogic.Time
	require.NoError(t, json.Unmarshal([]byte(`"not a time"`), &untimed))
	for _, answered := range []aimylogic.Time{{}, untimed} {
		p := eventsSince(answered)
		assert.Empty(t, p.TS, "no moment to start from")
		assert.NoError(t, p.Validate())
	}
	at := time.Date(2024, 6, 3, 15, 30, 0, 0, time.UTC)
	p := eventsSince(aimylogic.Time{Time: at})
	assert.Equal(t, "1717428600000", p.TS)
	assert.NoError(t, p.Validate())
}

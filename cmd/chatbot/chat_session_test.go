package main

import (
	"path/filepath"
	"regexp"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/chatbot-sdk/chatbot-go/botyard"
	"github.com/chatbot-sdk/chatbot-go/chatbottest"
)

// chat prints a conversation's ID to resume it later; on Botyard that
// takes the same user, whom --session keeps between runs.
func TestChatBotyardResumesWithSession(t *testing.T) {
	fake := chatbottest.StartBotyard(t, chatbottest.WithBotyardReplyDelay(0))
	session := filepath.Join(t.TempDir(), "session")
	h := newHarness(t, "")
	t.Setenv(botyard.EnvBaseURL, fake.URL)
	require.Equal(t, exitOK, h.run("chat", "-p", "botyard", "--session", session, "hello"), h.stderr.String())
	m := regexp.MustCompile(`conversation (\S+)`).FindStringSubmatch(h.stderr.String())
	require.NotNil(t, m)
	assert.NotContains(t, h.stderr.String(), "--session FILE", "no hint when the session is kept")

	h2 := newHarness(t, "")
	t.Setenv(botyard.EnvBaseURL, fake.URL)
	code := h2.run("chat", "-p", "botyard", "--session", session, "-c", m[1], "again")
	assert.Equal(t, exitOK, code, h2.stderr.String())
	assert.Contains(t, h2.stdout.String(), "again")
}

// Without --session the ID cannot be resumed on Botyard, and chat says so.
func TestChatBotyardWithoutSessionSaysHowToResume(t *testing.T) {
	fake := chatbottest.StartBotyard(t, chatbottest.WithBotyardReplyDelay(0))
	h := newHarness(t, "")
	t.Setenv(botyard.EnvBaseURL, fake.URL)
	require.Equal(t, exitOK, h.run("chat", "-p", "botyard", "hello"), h.stderr.String())
	assert.Contains(t, h.stderr.String(), "run with --session FILE")
}

func TestChatSessionIsForBotyardOnly(t *testing.T) {
	h := newHarness(t, "")
	assert.Equal(t, exitUsage, h.run("chat", "-p", "chatthing", "--session", filepath.Join(t.TempDir(), "s"), "hi"))
	assert.Contains(t, h.stderr.String(), "--session is for Botyard")
}

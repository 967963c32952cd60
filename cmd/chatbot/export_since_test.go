package main

import (
	"context"
	"regexp"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/chatbot-sdk/chatbot-go/botyard"
	"github.com/chatbot-sdk/chatbot-go/chatbottest"
)

// A message posted into a conversation already exported, while a later
// one is being exported, is older than the newest message of the run: the
// suggested --since must not pass over it, or no run ever exports it.
func TestExportSinceKeepsMessagesWrittenDuringTheRun(t *testing.T) {
	fake := chatbottest.StartBotyard(t, chatbottest.WithBotyardReplyDelay(0))
	ctx := context.Background()
	c, err := botyard.NewClient(fake.URL)
	require.NoError(t, err)
	defer c.Close()
	_, err = c.Users.Create(ctx, "tester")
	require.NoError(t, err)
	bot := fake.Bots()[0].ID
	a, err := c.Chats.Create(ctx, bot)
	require.NoError(t, err)
	b, err := c.Chats.Create(ctx, bot)
	require.NoError(t, err)
	_, err = c.Messages.Send(ctx, &botyard.SendParams{ChatID: a.ID, Body: "in a"})
	require.NoError(t, err)
	_, err = c.Messages.Send(ctx, &botyard.SendParams{ChatID: b.ID, Body: "in b"})
	require.NoError(t, err)
	session := c.Session()

	h := newHarness(t, "")
	t.Setenv(botyard.EnvBaseURL, fake.URL)
	t.Setenv(botyard.EnvSession, session)
	var once sync.Once
	// Records go to stdout, one flush per conversation: once the first
	// is out, a message lands in each chat, one of them still to come.
	h.stdout.onWrite = func([]byte) {
		once.Do(func() {
			fake.PostBotMessage(a.ID, "late in a")
			fake.PostBotMessage(b.ID, "later in b")
		})
	}
	require.Equal(t, exitOK, h.run("export", "-p", "botyard"), h.stderr.String())
	m := regexp.MustCompile(`--since (\S+)\n$`).FindStringSubmatch(h.stderr.String())
	require.NotNil(t, m, h.stderr.String())

	h2 := newHarness(t, "")
	t.Setenv(botyard.EnvBaseURL, fake.URL)
	t.Setenv(botyard.EnvSession, session)
	require.Equal(t, exitOK, h2.run("export", "-p", "botyard", "--since", m[1]), h2.stderr.String())
	all := h.stdout.String() + h2.stdout.String()
	assert.Contains(t, all, "late in a", "the message in A is in neither run")
	assert.Contains(t, all, "later in b")
}

package main

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"

	"github.com/chatbot-sdk/chatbot-go/chatbottest"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

func TestRunAgainstFake(t *testing.T) {
	fake := chatbottest.StartBotyard(t)
	var out bytes.Buffer
	require.NoError(t, run(context.Background(), &out, fake.URL, "", []string{"Hello!", "Bye"}))
	want := []string{
		"Server: Fake Botyard — An in-memory Botyard server for tests.",
		"chatting with Test bot",
		"  /start  Start a new conversation.",
		"> Hello!",
		"< Test bot got: Hello!",
		"> Bye",
		"< Test bot got: Bye",
		"Whole chat, oldest first:",
		"  me  Hello!\n  bot Test bot got: Hello!\n  me  Bye\n  bot Test bot got: Bye\n",
	}
	got := out.String()
	last := 0
	for _, w := range want {
		i := strings.Index(got[last:], w)
		require.GreaterOrEqual(t, i, 0, "missing %q in order; output:\n%s", w, got)
		last += i + len(w)
	}
}

func TestRunPicksBotByName(t *testing.T) {
	fake := chatbottest.StartBotyard(t)
	var out bytes.Buffer
	require.NoError(t, run(context.Background(), &out, fake.URL, "Echo bot", []string{"hi"}))
	assert.Contains(t, out.String(), "chatting with Echo bot")
	assert.Contains(t, out.String(), "< Echo bot got: hi")
	assert.NotContains(t, out.String(), "/start", "Echo bot has no commands")

	err := run(context.Background(), &out, fake.URL, "Nobody", nil)
	assert.ErrorContains(t, err, `no bot called "Nobody"`)
}

func TestServerChoice(t *testing.T) {
	var out bytes.Buffer
	u, closeFake := server(func(string) string { return "http://botyard.example:7007" }, &out)
	closeFake()
	assert.Equal(t, "http://botyard.example:7007", u)
	assert.Empty(t, out.String(), "nothing to say about a real server")

	u, closeFake = server(func(string) string { return "" }, &out)
	defer closeFake()
	assert.True(t, strings.HasPrefix(u, "http://127.0.0.1:"), u)
	assert.Equal(t, 1, strings.Count(out.String(), "\n"))
	assert.Contains(t, out.String(), "BOTYARD_URL is not set")
}

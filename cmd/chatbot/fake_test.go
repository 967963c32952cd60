package main

import (
	"context"
	"net"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	chatbot "github.com/chatbot-sdk/chatbot-go"
	"github.com/chatbot-sdk/chatbot-go/chat"
	"github.com/chatbot-sdk/chatbot-go/cmd/chatbot/internal/demo"
)

// startFakeCmd runs "chatbot fake" in the background until the test stops
// it, and returns the variables it printed, set in the environment.
func startFakeCmd(t *testing.T, args ...string) (h *harness, env map[string]string, stop func() int) {
	t.Helper()
	h = newHarness(t, "")
	started := make(chan *demo.Fake, 1)
	h.onFake = func(f *demo.Fake) { started <- f }
	done := make(chan int, 1)
	go func() { done <- h.run(append([]string{"fake"}, args...)...) }()
	select {
	case <-started:
	case code := <-done:
		t.Fatalf("fake ended with %d: %s", code, h.stderr.String())
	}
	env = map[string]string{}
	for _, line := range h.stdout.lines() {
		name, value, ok := strings.Cut(strings.TrimPrefix(line, "export "), "=")
		require.True(t, ok, line)
		env[name] = value
		t.Setenv(name, value)
	}
	return h, env, func() int {
		h.interrupt() // Ctrl-C
		return <-done
	}
}

func TestFakeServesAChatThingUntilInterrupted(t *testing.T) {
	h, env, stop := startFakeCmd(t, "--platform", "chatthing")
	base := env[chatbot.EnvBaseURL]
	assert.Regexp(t, `^http://127\.0\.0\.1:\d+$`, base)
	assert.Equal(t, "demo-channel", env[chatbot.EnvChannelID])
	assert.Contains(t, h.stderr.String(), "serving a fake Chat Thing server at "+base+" with 3 demo conversations; Ctrl-C stops it")

	// The printed environment is what FromEnv reads.
	p, err := chat.FromEnv("chatthing")
	require.NoError(t, err)
	ctx := context.Background()
	var ids []string
	for c, err := range p.(chat.Lister).Conversations(ctx) {
		require.NoError(t, err)
		ids = append(ids, c.ID)
	}
	assert.Len(t, ids, 3, "the demo conversations")

	// Streams pass through unbuffered, and the fake keeps its state.
	var deltas []string
	for d, err := range p.(chat.Streamer).Stream(ctx, ids[0], "one more question") {
		require.NoError(t, err)
		deltas = append(deltas, d)
	}
	assert.Greater(t, len(deltas), 1)
	n := 0
	for _, err := range p.(chat.HistoryReader).History(ctx, ids[0]) {
		require.NoError(t, err)
		n++
	}
	assert.Equal(t, 5, n, "greeting, question, answer, and the new exchange")
	require.NoError(t, p.Close())

	assert.Equal(t, exitOK, stop())
	assert.Contains(t, h.stderr.String(), "stopped")
	_, err = net.Dial("tcp", strings.TrimPrefix(base, "http://"))
	assert.Error(t, err, "the port is closed")
}

func TestFakeServesBotyardWithTheDemoUsersSession(t *testing.T) {
	_, env, stop := startFakeCmd(t, "--platform", "botyard", "--addr", "127.0.0.1:0")
	require.NotEmpty(t, env["BOTYARD_SESSION"])

	p, err := chat.FromEnv("botyard")
	require.NoError(t, err)
	n := 0
	for _, err := range p.(chat.Lister).Conversations(context.Background()) {
		require.NoError(t, err)
		n++
	}
	assert.Equal(t, 3, n, "the session is the demo user's")
	require.NoError(t, p.Close())
	assert.Equal(t, exitOK, stop())
}

func TestFakeServesAimylogicAndBotuj(t *testing.T) {
	ctx := context.Background()
	t.Run("aimylogic", func(t *testing.T) {
		h, env, stop := startFakeCmd(t, "-p", "aimylogic")
		assert.Equal(t, h.fake().Aimylogic.Token, env["AIMYLOGIC_TOKEN"])
		assert.Regexp(t, `^http://127\.0\.0\.1:\d+$`, env["AIMYLOGIC_BASE_URL"])
		assert.NotEqual(t, h.fake().URL, env["AIMYLOGIC_BASE_URL"], "the address of the command's own server")

		p, err := chat.FromEnv("aimylogic")
		require.NoError(t, err)
		reply, err := chat.Send(ctx, p, "demo-client-1", "bye", nil)
		require.NoError(t, err)
		assert.Equal(t, "Goodbye!", reply.Text())
		n, err := countHistory(ctx, p, "demo-client-1")
		require.NoError(t, err)
		assert.Equal(t, 6, n, "two demo exchanges and the new one: the fake keeps its state")
		require.NoError(t, p.Close())
		assert.Equal(t, exitOK, stop())
	})
	t.Run("botuj", func(t *testing.T) {
		h, env, stop := startFakeCmd(t, "-p", "botuj")
		assert.Equal(t, h.fake().Botuj.APIKey, env["BOTUJ_API_KEY"])
		assert.Contains(t, h.stderr.String(), "serving a fake botuj.pl server at "+env["BOTUJ_BASE_URL"]+" with 3 demo conversations")

		p, err := chat.FromEnv("botuj")
		require.NoError(t, err)
		var ids []string
		for c, err := range p.(chat.Lister).Conversations(ctx) {
			require.NoError(t, err)
			ids = append(ids, c.ID)
		}
		assert.Equal(t, []string{"7202", "7203", "7204"}, ids)
		n, err := countHistory(ctx, p, "7204")
		require.NoError(t, err)
		assert.Equal(t, 6, n, "three exchanges")
		require.NoError(t, p.Close())
		assert.Equal(t, exitOK, stop())
	})
}

// countHistory counts the messages of a conversation.
func countHistory(ctx context.Context, p chat.Platform, id string) (int, error) {
	n := 0
	for _, err := range p.(chat.HistoryReader).History(ctx, id) {
		if err != nil {
			return n, err
		}
		n++
	}
	return n, nil
}

func TestFakeCannotListenIsAnError(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	defer ln.Close()
	h := newHarness(t, "")
	assert.Equal(t, exitError, h.run("fake", "--addr", ln.Addr().String()))
	assert.Contains(t, h.stderr.String(), "address already in use")
}

func TestShellQuote(t *testing.T) {
	assert.Equal(t, "http://127.0.0.1:80", shellQuote("http://127.0.0.1:80"))
	assert.Equal(t, "'a b'", shellQuote("a b"))
	assert.Equal(t, `'it'\''s'`, shellQuote("it's"))
	assert.Equal(t, "''", shellQuote(""))
}

func TestReachable(t *testing.T) {
	assert.Equal(t, "127.0.0.1:8080", reachable(&net.TCPAddr{IP: net.IPv4zero, Port: 8080}))
	assert.Equal(t, "[::1]:8080", reachable(&net.TCPAddr{IP: net.IPv6unspecified, Port: 8080}))
	assert.Equal(t, "10.1.2.3:80", reachable(&net.TCPAddr{IP: net.IPv4(10, 1, 2, 3), Port: 80}))
}

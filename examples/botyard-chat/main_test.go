package main

import (
	"bytes"
	"context"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"

	chatbot "github.com/chatbot-sdk/chatbot-go"
	"github.com/chatbot-sdk/chatbot-go/botyard"
	"github.com/chatbot-sdk/chatbot-go/chatbottest"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// useServer points BOTYARD_BASE_URL at url ("" unsets it).
func useServer(t *testing.T, url string) {
	t.Setenv(botyard.EnvBaseURL, url)
	t.Setenv(botyard.EnvSession, "")
}

// chatRun runs the command with input as stdin and returns its output.
func chatRun(t *testing.T, input string, args ...string) (stdout, stderr string) {
	t.Helper()
	var out, errOut bytes.Buffer
	require.NoError(t, run(context.Background(), args, strings.NewReader(input), &out, &errOut))
	return out.String(), errOut.String()
}

// inOrder checks that want appear in got, in this order.
func inOrder(t *testing.T, got string, want ...string) {
	t.Helper()
	last := 0
	for _, w := range want {
		i := strings.Index(got[last:], w)
		require.GreaterOrEqual(t, i, 0, "missing %q in order; output:\n%s", w, got)
		last += i + len(w)
	}
}

func TestChatWithNoServer(t *testing.T) {
	useServer(t, "")
	out, errOut := chatRun(t, "Hello!\n\nWhat can you do?\n")
	assert.Equal(t, "chatbot: no credentials in the environment: set BOTYARD_BASE_URL: "+
		"using an in-process fake Botyard server (chatbottest)\n", errOut)
	inOrder(t, out,
		"Logged in as new user go-example (",
		"Chatting with Test bot (Ctrl-D ends the chat)\n",
		"> Test bot: Test bot got: Hello!\n",
		"> > Test bot: Test bot got: What can you do?\n",
		"> \nbye; with -session FILE the next run would be the same user\n")
}

// Two runs with -session are the same user in the same chat; the second
// shows the chat so far.
func TestSessionPersistsAcrossRuns(t *testing.T) {
	fake := chatbottest.StartBotyard(t)
	useServer(t, fake.URL)
	session := filepath.Join(t.TempDir(), "session")

	out, _ := chatRun(t, "one\n", "-session", session)
	inOrder(t, out, "Logged in as new user go-example", "Test bot: Test bot got: one\n", "bye; resume with: botyard-chat -session "+session+" -chat ")
	saved, err := os.ReadFile(session)
	require.NoError(t, err)
	assert.NotEmpty(t, strings.TrimSpace(string(saved)), "the session was saved without any save-on-exit")

	out, _ = chatRun(t, "two\n", "-session", session)
	inOrder(t, out,
		"Welcome back, go-example (",
		"Chatting with Test bot",
		"you: one\nTest bot: Test bot got: one\n",
		"> Test bot: Test bot got: two\n")

	bots := fake.Bots()
	assert.Equal(t, 1, fake.CountRequests("POST", "/v1/client-api/user"), "one user for both runs")
	assert.Equal(t, 1, fake.CountRequests("POST", "/v1/client-api/chat"), "one chat for both runs")
	client := fake.Client(t, botyard.WithSessionStore(botyard.FileSessionStore(session)))
	chats, err := client.Chats.List(context.Background(), bots[0].ID)
	require.NoError(t, err)
	require.Len(t, chats, 1)
	assert.Len(t, fake.Messages(chats[0].ID), 4)
}

func TestResumeAChatByID(t *testing.T) {
	fake := chatbottest.StartBotyard(t)
	useServer(t, fake.URL)
	session := filepath.Join(t.TempDir(), "session")
	out, _ := chatRun(t, "hi\n", "-session", session, "-bot", "Echo bot")
	inOrder(t, out, "Chatting with Echo bot", "Echo bot: Echo bot got: hi\n")
	_, chatID, ok := strings.Cut(strings.TrimSpace(out), " -chat ")
	require.True(t, ok, out)

	// Another chat with the first bot is newer, but -chat picks this one.
	client := fake.Client(t, botyard.WithSessionStore(botyard.FileSessionStore(session)))
	_, err := client.Chats.Create(context.Background(), fake.Bots()[0].ID)
	require.NoError(t, err)
	out, _ = chatRun(t, "again\n", "-session", session, "-chat", chatID)
	inOrder(t, out, "Welcome back", "Chatting with Echo bot", "you: hi\n", "Echo bot: Echo bot got: again\n")

	var stderr bytes.Buffer
	err = run(context.Background(), []string{"-session", session, "-chat", "01m842a8g83wvv3hz4w1vtcs6e"}, strings.NewReader(""), &bytes.Buffer{}, &stderr)
	assert.ErrorIs(t, err, chatbot.ErrNotFound)
}

func TestExpiredSessionLogsInAgain(t *testing.T) {
	fake := chatbottest.StartBotyard(t)
	useServer(t, fake.URL)
	session := filepath.Join(t.TempDir(), "session")
	dead := fake.URL + "\tnot-a-valid-token\n" // the fake's URL is its origin
	require.NoError(t, os.WriteFile(session, []byte(dead), 0o600))

	out, _ := chatRun(t, "hi\n", "-session", session)
	inOrder(t, out, "The saved session is no longer valid; logging in as a new user\n", "Logged in as new user", "Test bot got: hi")
	saved, err := os.ReadFile(session)
	require.NoError(t, err)
	assert.NotEqual(t, dead, string(saved), "the new user's session replaced the dead one")
	assert.True(t, strings.HasPrefix(string(saved), fake.URL+"\t"), "saved for this server: %q", saved)
}

func TestChatFailures(t *testing.T) {
	fake := chatbottest.StartBotyard(t)
	useServer(t, fake.URL)
	err := run(context.Background(), []string{"-bot", "Nobody"}, strings.NewReader(""), &bytes.Buffer{}, &bytes.Buffer{})
	assert.ErrorContains(t, err, `no bot called "Nobody"`)

	var usage bytes.Buffer
	err = run(context.Background(), []string{"-nope"}, strings.NewReader(""), &bytes.Buffer{}, &usage)
	require.Error(t, err)
	assert.Contains(t, usage.String(), "-session FILE")

	useServer(t, "localhost:7007")
	err = run(context.Background(), nil, strings.NewReader(""), &bytes.Buffer{}, &bytes.Buffer{})
	var verr *chatbot.ValidationError
	assert.ErrorAs(t, err, &verr, "a bad BOTYARD_BASE_URL is an error, not a reason to use the fake")
}

// Ctrl-C while waiting for a bot that never answers ends the command.
func TestInterruptWhileWaiting(t *testing.T) {
	fake := chatbottest.StartBotyard(t, chatbottest.WithBotyardReplier(nil))
	useServer(t, fake.URL)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	r, w := io.Pipe()
	defer w.Close()
	done := make(chan error, 1)
	go func() { done <- run(ctx, nil, r, &bytes.Buffer{}, &bytes.Buffer{}) }()
	_, err := io.WriteString(w, "anyone?\n")
	require.NoError(t, err)
	polling := func() bool { // the message is sent and the wait for a reply has begun
		reqs := fake.Requests()
		return fake.CountRequests("POST", "/v1/client-api/chat/message") == 1 &&
			reqs[len(reqs)-1].Method == "GET" && strings.HasSuffix(reqs[len(reqs)-1].Path, "/messages")
	}
	require.Eventually(t, polling, 5*time.Second, 5*time.Millisecond)
	cancel()
	err = <-done
	assert.ErrorIs(t, err, context.Canceled)
	assert.ErrorContains(t, err, "wait for reply")
}

// A run on the in-process fake (BOTYARD_BASE_URL forgotten once) with the
// same -session file leaves the real server's session alone: the store
// keeps each server's token apart.
func TestFakeRunKeepsTheRealServersSession(t *testing.T) {
	real := chatbottest.StartBotyard(t)
	session := filepath.Join(t.TempDir(), "session")
	useServer(t, real.URL)
	chatRun(t, "hi\n", "-session", session)
	useServer(t, "")
	chatRun(t, "hi\n", "-session", session) // forgot to export BOTYARD_BASE_URL once
	useServer(t, real.URL)
	out, _ := chatRun(t, "hi\n", "-session", session)
	assert.Contains(t, out, "Welcome back", "the real server's user is lost")
}

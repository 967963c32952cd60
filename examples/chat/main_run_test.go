package main

import (
	"bytes"
	"context"
	"errors"
	"io"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	chatbot "github.com/chatbot-sdk/chatbot-go"
	"github.com/chatbot-sdk/chatbot-go/chatbottest"
)

// syncBuffer is an output the test reads while chat writes to it.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// useEnv sets the Chat Thing variables for the test ("" unsets one).
func useEnv(t *testing.T, channelID, secretKey, baseURL string) {
	t.Setenv(chatbot.EnvChannelID, channelID)
	t.Setenv(chatbot.EnvSecretKey, secretKey)
	t.Setenv(chatbot.EnvBaseURL, baseURL)
}

func TestChatWithNoAccountUntilEndOfInput(t *testing.T) {
	useEnv(t, "", "", "")
	var out, errOut syncBuffer
	stdin := strings.NewReader("hello\n\n   \nWhat about the moon?\n")
	require.NoError(t, run(context.Background(), stdin, &out, &errOut))
	assert.Equal(t, "chatbot: no credentials in the environment: set CHATTHING_CHANNEL_ID and CHATTHING_SECRET_KEY: "+
		"using an in-process fake Chat Thing server (chatbottest)\n", errOut.String())
	assert.Equal(t, `bot: Hello, how can I help you?
(Ctrl-C cancels a reply, Ctrl-D ends the chat)
> bot: You said: "hello"
> > > bot: The average distance from the Earth to the Moon is about 238,855 miles (384,400 kilometers).
> 
bye
`, out.String())
}

func TestChatAgainstAConfiguredChannel(t *testing.T) {
	fake := chatbottest.StartChatThing(t)
	useEnv(t, fake.ChannelID, fake.SecretKey, fake.URL)
	var out, errOut syncBuffer
	require.NoError(t, run(context.Background(), strings.NewReader("hi\n"), &out, &errOut))
	assert.Empty(t, errOut.String())
	assert.Contains(t, out.String(), `bot: You said: "hi"`)
	assert.Equal(t, 1, fake.CountRequests("POST", "/conversation"))
}

// chatSession runs chat against fake in the background.
type chatSession struct {
	out        syncBuffer
	stdin      *io.PipeWriter
	interrupts chan struct{}
	done       chan error
}

func startChat(t *testing.T, ctx context.Context, fake *chatbottest.ChatThing) *chatSession {
	client := fake.Client(t)
	r, w := io.Pipe()
	s := &chatSession{stdin: w, interrupts: make(chan struct{}), done: make(chan error, 1)}
	go func() { s.done <- chat(ctx, client, r, &s.out, s.interrupts) }()
	t.Cleanup(func() { w.Close() })
	s.waitFor(t, "> ")
	return s
}

func (s *chatSession) waitFor(t *testing.T, text string) {
	t.Helper()
	require.Eventually(t, func() bool { return strings.Contains(s.out.String(), text) }, 5*time.Second, 2*time.Millisecond,
		"waiting for %q in %q", text, s.out.String())
}

func (s *chatSession) say(t *testing.T, line string) {
	t.Helper()
	_, err := io.WriteString(s.stdin, line+"\n")
	require.NoError(t, err)
}

func TestCtrlCCancelsOnlyTheReplyInFlight(t *testing.T) {
	fake := chatbottest.StartChatThing(t)
	fake.StallNextStream(3) // the role chunk, "The", " average", then nothing
	s := startChat(t, context.Background(), fake)

	s.interrupts <- struct{}{}
	s.waitFor(t, "(no reply to cancel; Ctrl-D ends the chat)")

	s.say(t, "How far is the moon?")
	s.waitFor(t, "bot: The average")
	s.interrupts <- struct{}{}
	s.waitFor(t, "bot: The average [cancelled]\n> ")

	s.say(t, "ping")
	s.waitFor(t, "bot: You said: \"ping\"\n> ")
	require.NoError(t, s.stdin.Close())
	require.NoError(t, <-s.done)
	assert.True(t, strings.HasSuffix(s.out.String(), "\nbye\n"))

	// The cancelled question was sent once, never retried.
	convs := fake.ConversationIDs()
	require.Len(t, convs, 1)
	var texts []string
	for _, m := range fake.Messages(convs[0]) {
		texts = append(texts, m.Role+": "+m.Text)
	}
	assert.Equal(t, []string{
		"assistant: Hello, how can I help you?",
		"user: How far is the moon?",
		"assistant: The average distance from the Earth to the Moon is about 238,855 miles (384,400 kilometers).",
		"user: ping",
		`assistant: You said: "ping"`,
	}, texts)
	// The stalled request ended with the cancellation.
	require.Eventually(t, func() bool { return fake.CountRequests("POST", "/message") == 2 }, 5*time.Second, 5*time.Millisecond)
}

func TestChatReportsAFailedReplyAndGoesOn(t *testing.T) {
	fake := chatbottest.StartChatThing(t)
	fake.CutNextStream(2)
	s := startChat(t, context.Background(), fake)
	s.say(t, "hello")
	s.waitFor(t, "[error: ")
	assert.Contains(t, s.out.String(), "without [DONE]")
	s.say(t, "again")
	s.waitFor(t, "bot: You said: \"again\"\n> ")
	require.NoError(t, s.stdin.Close())
	require.NoError(t, <-s.done)
}

func TestChatEndsWithItsContext(t *testing.T) {
	fake := chatbottest.StartChatThing(t)
	ctx, cancel := context.WithCancel(context.Background())
	s := startChat(t, ctx, fake)
	cancel()
	err := <-s.done
	assert.True(t, errors.Is(err, context.Canceled), "%v", err)
	s.stdin.Close() // ends the line reader
}

func TestCtrlCWhileStartingEndsTheChat(t *testing.T) {
	fake := chatbottest.StartChatThing(t)
	fake.Faults.SetLatency(time.Minute)
	client := fake.Client(t)
	interrupts := make(chan struct{})
	done := make(chan error, 1)
	go func() {
		done <- chat(context.Background(), client, strings.NewReader(""), io.Discard, interrupts)
	}()
	interrupts <- struct{}{}
	err := <-done
	assert.True(t, errors.Is(err, context.Canceled), "%v", err)
	assert.Contains(t, err.Error(), "starting a conversation")
}

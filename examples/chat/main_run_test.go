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

func TestChatWithNoAccountUntilEndOfInput(t *testing.T) {
	var out syncBuffer
	stdin := strings.NewReader("hello\n\n   \nWhat about the moon?\n")
	require.NoError(t, run(context.Background(), nil, stdin, &out, func(string) string { return "" }))
	got := out.String()
	_, got, _ = strings.Cut(got, "\n") // the one-line fake server notice
	assert.Equal(t, `bot: Hello, how can I help you?
(Ctrl-C cancels a reply, Ctrl-D ends the chat)
> bot: You said: "hello"
> > > bot: The average distance from the Earth to the Moon is about 238,855 miles (384,400 kilometers).
> 
bye
`, got)
}

// chatSession runs chat against fake in the background.
type chatSession struct {
	out        syncBuffer
	stdin      *io.PipeWriter
	interrupts chan struct{}
	done       chan error
}

func startChat(t *testing.T, ctx context.Context, fake *chatbottest.ChatThing) *chatSession {
	env := map[string]string{"CHATTHING_CHANNEL_ID": fake.ChannelID, "CHATTHING_SECRET_KEY": fake.SecretKey, "CHATTHING_BASE_URL": fake.URL}
	r, w := io.Pipe()
	s := &chatSession{stdin: w, interrupts: make(chan struct{}), done: make(chan error, 1)}
	go func() { s.done <- chat(ctx, r, &s.out, func(k string) string { return env[k] }, s.interrupts) }()
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
	env := map[string]string{"CHATTHING_CHANNEL_ID": fake.ChannelID, "CHATTHING_SECRET_KEY": fake.SecretKey, "CHATTHING_BASE_URL": fake.URL}
	interrupts := make(chan struct{})
	done := make(chan error, 1)
	go func() {
		done <- chat(context.Background(), strings.NewReader(""), io.Discard, func(k string) string { return env[k] }, interrupts)
	}()
	interrupts <- struct{}{}
	err := <-done
	assert.True(t, errors.Is(err, context.Canceled), "%v", err)
	assert.Contains(t, err.Error(), "starting a conversation")
}

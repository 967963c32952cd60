package main

import (
	"bytes"
	"context"
	"io"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/chatbot-sdk/chatbot-go/chatbottest"
)

// watchedBuffer is the command's stdout, which a test can wait on.
type watchedBuffer struct {
	mu      sync.Mutex
	b       bytes.Buffer
	changed chan struct{} // closed and replaced on every write
}

func newWatchedBuffer() *watchedBuffer { return &watchedBuffer{changed: make(chan struct{})} }

func (w *watchedBuffer) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	close(w.changed)
	w.changed = make(chan struct{})
	return w.b.Write(p)
}

func (w *watchedBuffer) String() string {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.b.String()
}

// waitFor returns once the output holds s; it fails the test when that
// takes more than a few seconds, which only a bug would explain.
func (w *watchedBuffer) waitFor(t *testing.T, s string) {
	t.Helper()
	deadline := time.After(5 * time.Second)
	for {
		w.mu.Lock()
		found, changed := strings.Contains(w.b.String(), s), w.changed
		w.mu.Unlock()
		if found {
			return
		}
		select {
		case <-changed:
		case <-deadline:
			t.Fatalf("no %q in the output:\n%s", s, w.String())
		}
	}
}

// After a reply that came too late, each answer still comes with its own
// message: the late one is shown as late, not as the next message's reply.
func TestLateReplyDoesNotDelayTheNextAnswers(t *testing.T) {
	fake := chatbottest.StartBotyard(t, chatbottest.WithBotyardReplier(func(_ chatbottest.BotyardBot, body string) []string {
		if body == "one" {
			return nil // answered late, by hand
		}
		return []string{"got: " + body}
	}))
	useServer(t, fake.URL)
	pr, pw := io.Pipe()
	out := newWatchedBuffer()
	done := make(chan error, 1)
	go func() { done <- run(context.Background(), []string{"-timeout", "1s"}, pr, out, io.Discard) }()
	defer func() {
		pw.Close()
		<-done
	}()

	_, _ = io.WriteString(pw, "one\n")
	out.waitFor(t, "(no reply within 1s)")
	var chatID string
	for _, r := range fake.Requests() {
		if strings.HasSuffix(r.Path, "/messages") {
			chatID = strings.Split(r.Path, "/")[4]
		}
	}
	require.NotEmpty(t, chatID)
	fake.PostBotMessage(chatID, "late answer to one")

	_, _ = io.WriteString(pw, "two\n")
	out.waitFor(t, "got: two\n")
	_, _ = io.WriteString(pw, "three\n")
	out.waitFor(t, "got: three\n")
	assert.Contains(t, out.String(),
		"> (late) Test bot: late answer to one\nTest bot: got: two\n> Test bot: got: three\n",
		"two's answer should come with two")
}

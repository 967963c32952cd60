package main

import (
	"bytes"
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	chatbot "github.com/chatbot-sdk/chatbot-go"
	"github.com/chatbot-sdk/chatbot-go/botyard"
	"github.com/chatbot-sdk/chatbot-go/cmd/chatbot/internal/demo"
)

// harness runs the command in-process: its streams are buffers, Ctrl-C
// is a function of the test, and the embedded fakes are at hand.
type harness struct {
	t      *testing.T
	app    *app
	stdout *buffer
	stderr *buffer

	mu       sync.Mutex
	terminal bool
	fakes    []*demo.Fake
	cancels  []context.CancelFunc // one per interrupt context
	// onFake, when set, sees each embedded fake once it is seeded.
	onFake func(*demo.Fake)
}

// newHarness returns a harness with stdin as standard input, and no
// credentials in the environment.
func newHarness(t *testing.T, stdin string) *harness {
	t.Helper()
	for _, vars := range credentialVars {
		for _, v := range vars {
			t.Setenv(v, "")
		}
	}
	t.Setenv(chatbot.EnvBaseURL, "")
	t.Setenv(botyard.EnvSession, "")
	t.Setenv(envDataSource, "")
	h := &harness{t: t, stdout: &buffer{}, stderr: &buffer{}}
	h.app = &app{
		stdin:  strings.NewReader(stdin),
		stdout: h.stdout,
		stderr: h.stderr,
		interrupt: func(ctx context.Context) (context.Context, context.CancelFunc) {
			ctx, cancel := context.WithCancel(ctx)
			h.mu.Lock()
			h.cancels = append(h.cancels, cancel)
			h.mu.Unlock()
			return ctx, cancel
		},
		isTerminal: func(any) bool {
			h.mu.Lock()
			defer h.mu.Unlock()
			return h.terminal
		},
		// Retries without the default quarter-second waits.
		clientOpts: []chatbot.Option{chatbot.WithBackoff(time.Millisecond, 5*time.Millisecond)},
		demo:       demo.Config{},
		fakeStarted: func(f *demo.Fake) {
			h.mu.Lock()
			h.fakes = append(h.fakes, f)
			on := h.onFake
			h.mu.Unlock()
			if on != nil {
				on(f)
			}
		},
	}
	return h
}

// run runs the command line and returns its exit status.
func (h *harness) run(args ...string) int {
	return h.app.run(context.Background(), args)
}

// interrupt is Ctrl-C: it cancels the newest interrupt context.
func (h *harness) interrupt() {
	h.mu.Lock()
	cancel := h.cancels[len(h.cancels)-1]
	h.mu.Unlock()
	cancel()
}

// fake returns the only embedded fake started so far.
func (h *harness) fake() *demo.Fake {
	h.mu.Lock()
	defer h.mu.Unlock()
	if len(h.fakes) != 1 {
		h.t.Fatalf("%d embedded fakes started, want 1", len(h.fakes))
	}
	return h.fakes[0]
}

// buffer is a bytes.Buffer safe for a command writing while a test reads,
// with a hook that sees every write.
type buffer struct {
	mu      sync.Mutex
	b       bytes.Buffer
	onWrite func(p []byte)
}

func (b *buffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	n, err := b.b.Write(p)
	on := b.onWrite
	b.mu.Unlock()
	if on != nil {
		on(p)
	}
	return n, err
}

func (b *buffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.String()
}

// lines returns the buffer's non-empty lines.
func (b *buffer) lines() []string {
	var out []string
	for _, l := range strings.Split(b.String(), "\n") {
		if l != "" {
			out = append(out, l)
		}
	}
	return out
}

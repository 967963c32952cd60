package main

import (
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/chatbot-sdk/chatbot-go/cmd/chatbot/internal/demo"
)

// Outside a terminal (a pipe, or messages as arguments) Ctrl-C ends the
// chat with exit status 1: a script must not take the cut reply for a
// whole one, nor the chat for done.
func TestChatCtrlCOutsideATerminalFails(t *testing.T) {
	for name, args := range map[string][]string{
		"piped":     {"chat"},
		"arguments": {"chat", "tell me", "hello"},
	} {
		t.Run(name, func(t *testing.T) {
			h := newHarness(t, "tell me\nhello\n")
			h.onFake = func(f *demo.Fake) { f.ChatThing.StallNextStream(2) }
			var once sync.Once
			h.stdout.onWrite = func(p []byte) {
				if string(p) == "You" {
					once.Do(h.interrupt)
				}
			}
			assert.Equal(t, exitError, h.run(args...), h.stderr.String())
			assert.Regexp(t, `(?m)^chatbot chat: chatthing: interrupted: .*context canceled$`, h.stderr.String())
			assert.NotContains(t, h.stdout.String(), `You said: "hello"`, "the chat stopped")
		})
	}
}

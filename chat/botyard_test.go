package chat_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/chatbot-sdk/chatbot-go/botyard"
	"github.com/chatbot-sdk/chatbot-go/chat"
	"github.com/chatbot-sdk/chatbot-go/chatbottest"
)

// botyardBot answers every message alike, so the suite knows the reply.
func botyardBot(text string) string { return "echo: " + text }

// botyardScript decides how the fake's bots answer: normally, not at all
// (while a test seeds a chat itself), or never, telling the test that the
// message arrived.
type botyardScript struct {
	mu       sync.Mutex
	silent   bool
	received func() // set by hang; used once
}

func (s *botyardScript) replier(_ chatbottest.BotyardBot, body string) []string {
	s.mu.Lock()
	silent, received := s.silent, s.received
	s.received = nil
	s.mu.Unlock()
	switch {
	case received != nil:
		received()
		return nil
	case silent:
		return nil
	}
	return []string{botyardBot(body)}
}

func newBotyardFixture(t *testing.T) *fixture {
	script := &botyardScript{}
	fake := chatbottest.StartBotyard(t, chatbottest.WithBotyardReplier(script.replier))
	client, err := botyard.NewClient(fake.URL)
	require.NoError(t, err)
	// Short polls: the fake answers within 20ms.
	p := chat.Botyard(client, &chat.BotyardOptions{MinPoll: 5 * time.Millisecond, MaxPoll: 20 * time.Millisecond})
	t.Cleanup(func() { _ = p.Close() })
	return &fixture{
		platform: p,
		name:     "botyard",
		caps:     caps{opener: true, sender: true, history: true, lister: true},
		reply:    botyardBot,
		// The user's messages go through the API; the bot's answers are
		// posted straight into the fake, so that the order is fixed.
		seed: func(t *testing.T, n int) (string, []chat.Message) {
			ctx := context.Background()
			conv, err := p.(chat.Opener).Start(ctx)
			require.NoError(t, err)
			script.mu.Lock()
			script.silent = true
			script.mu.Unlock()
			defer func() {
				script.mu.Lock()
				script.silent = false
				script.mu.Unlock()
			}()
			var want []chat.Message
			for i := range n {
				text := "question " + string(rune('a'+i%26))
				_, err := client.Messages.Send(ctx, &botyard.SendParams{ChatID: conv.ID, Body: text})
				require.NoError(t, err)
				_, ok := fake.PostBotMessage(conv.ID, botyardBot(text))
				require.True(t, ok)
				want = append(want, chat.Message{Role: chat.RoleUser, Text: text}, chat.Message{Role: chat.RoleBot, Text: botyardBot(text)})
			}
			return conv.ID, want
		},
		hang: func(received func()) {
			script.mu.Lock()
			script.received = received
			script.mu.Unlock()
		},
		unknownID: "01J0000000000000000000000X",
		requests:  func() int { return len(fake.Requests()) },
	}
}

func TestBotyardSuite(t *testing.T) { runSuite(t, newBotyardFixture) }

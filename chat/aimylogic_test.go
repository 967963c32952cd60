package chat_test

import (
	"context"
	"fmt"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	chatbot "github.com/chatbot-sdk/chatbot-go"
	"github.com/chatbot-sdk/chatbot-go/aimylogic"
	"github.com/chatbot-sdk/chatbot-go/chat"
	"github.com/chatbot-sdk/chatbot-go/chatbottest"
)

// aimylogicBot answers every query alike, so the suite knows the reply.
func aimylogicBot(text string) string { return "echo: " + text }

// aimylogicScript is the fake's bot: it echoes, or, once after hang,
// tells the test that the query arrived and lets the answer wait.
type aimylogicScript struct {
	fake *chatbottest.Aimylogic

	mu       sync.Mutex
	received func()
}

func (s *aimylogicScript) bot(req chatbottest.AimylogicQuery) chatbottest.AimylogicAnswer {
	s.mu.Lock()
	received := s.received
	s.received = nil
	s.mu.Unlock()
	if received != nil {
		// This request took the hour-long delay hang set; the next ones
		// are answered at once.
		s.fake.SetBotDelay(0)
		received()
	}
	return chatbottest.AimylogicAnswer{Replies: []chatbottest.AimylogicReply{{"type": "text", "text": aimylogicBot(req.Query)}}}
}

// startAimylogic starts a fake whose bot is script's, and a client of it.
func startAimylogic(t *testing.T) (*chatbottest.Aimylogic, *aimylogicScript, *aimylogic.Client) {
	script := &aimylogicScript{}
	fake := chatbottest.StartAimylogic(t, chatbottest.WithAimylogicBot(script.bot))
	script.fake = fake
	client, err := aimylogic.NewClient(fake.Token, chatbot.WithBaseURL(fake.URL))
	require.NoError(t, err)
	return fake, script, client
}

func newAimylogicFixture(t *testing.T) *fixture {
	fake, script, client := startAimylogic(t)
	p := chat.Aimylogic(client, nil)
	t.Cleanup(func() { _ = p.Close() })
	seeded := 0
	return &fixture{
		platform: p,
		name:     "aimylogic",
		caps:     caps{opener: true, sender: true, history: true},
		reply:    aimylogicBot,
		// The fake answers n queries of a new client, "message 1" on.
		seed: func(t *testing.T, n int) (string, []chat.Message) {
			seeded++
			id := fmt.Sprintf("seeded-%d", seeded)
			var want []chat.Message
			for i := 1; i <= n; i++ {
				text := fmt.Sprintf("message %d", i)
				want = append(want, chat.Message{Role: chat.RoleUser, Text: text}, chat.Message{Role: chat.RoleBot, Text: aimylogicBot(text)})
			}
			require.Len(t, fake.AddEvents(id, n), n)
			return id, want
		},
		hang: func(received func()) {
			script.mu.Lock()
			script.received = received
			script.mu.Unlock()
			fake.SetBotDelay(time.Hour)
		},
		unknownID: "nobody-yet",
		anyID:     true,
		requests:  func() int { return len(fake.Requests()) },
	}
}

func TestAimylogicSuite(t *testing.T) { runSuite(t, newAimylogicFixture) }

func TestAimylogicStartMakesNewClientIDsWithoutARequest(t *testing.T) {
	f := newAimylogicFixture(t)
	o := f.platform.(chat.Opener)
	a, err := o.Start(context.Background())
	require.NoError(t, err)
	b, err := o.Start(context.Background())
	require.NoError(t, err)
	uuid := `^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`
	assert.Regexp(t, uuid, a.ID)
	assert.Regexp(t, uuid, b.ID)
	assert.NotEqual(t, a.ID, b.ID)
	assert.Nil(t, a.Greeting)
	assert.Zero(t, f.requests())

	_, err = o.Resume(context.Background(), "bad\xffutf-8")
	assert.EqualError(t, err, "chat: invalid conversationID: must be valid UTF-8")
}

func TestAimylogicKeepsThePlatformValues(t *testing.T) {
	fake, _, client := startAimylogic(t)
	p := chat.Aimylogic(client, nil)
	defer p.Close()
	ctx := context.Background()

	reply, err := p.(chat.Sender).Send(ctx, "alice", "hi")
	require.NoError(t, err)
	require.Len(t, reply.Messages, 1)
	m := reply.Messages[0]
	resp, ok := m.Raw.(*aimylogic.Response)
	require.True(t, ok)
	assert.Equal(t, "alice", resp.ClientID)
	assert.Equal(t, resp.Timestamp.Time, m.Time)
	assert.False(t, m.Time.IsZero())
	assert.Empty(t, m.ID, "an answer has no ID of its own")

	fake.AddAgentReply("alice", "A person here.")
	msgs := history(t, &fixture{platform: p}, "alice")
	assert.Equal(t, []string{"user: hi", "bot: echo: hi", "agent: A person here."}, roleText(msgs))
	raw, ok := msgs[0].Raw.(aimylogic.HistoryMessage)
	require.True(t, ok)
	assert.Equal(t, aimylogic.AuthorClient, raw.Author)
	assert.Equal(t, raw.QuestionID, msgs[0].ID)
}

func TestAimylogicTextIsTheTextReplies(t *testing.T) {
	fake := chatbottest.StartAimylogic(t) // the default bot
	client, err := aimylogic.NewClient(fake.Token, chatbot.WithBaseURL(fake.URL))
	require.NoError(t, err)
	p := chat.Aimylogic(client, nil)
	defer p.Close()
	for query, want := range map[string]string{
		"hello": "Hello! What would you like to see?", // and buttons
		"image": "",                                   // no text at all
	} {
		reply, err := p.(chat.Sender).Send(context.Background(), "bob", query)
		require.NoError(t, err)
		assert.Equal(t, want, reply.Text(), query)
		assert.NotEmpty(t, reply.Messages[0].Raw.(*aimylogic.Response).Data.Replies, query)
	}
}

func TestAimylogicSendsThroughTheWebhook(t *testing.T) {
	fake, _, client := startAimylogic(t)
	hook, err := aimylogic.NewWebhookHandler(fake.Token, nil)
	require.NoError(t, err)
	receiver := httptest.NewServer(hook)
	defer receiver.Close()
	fake.SetWebhook(receiver.URL)
	// Too slow for a synchronous send: the answer comes later, to the
	// webhook.
	fake.SetSlowBot(true)
	fake.SetBotDelay(20 * time.Millisecond)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()

	sync := chat.Aimylogic(client, nil)
	_, err = sync.(chat.Sender).Send(ctx, "carol", "are you slow?")
	var apiErr *chatbot.APIError
	require.ErrorAs(t, err, &apiErr)
	assert.Equal(t, 408, apiErr.StatusCode)

	async := chat.Aimylogic(client, &chat.AimylogicOptions{Webhook: hook})
	defer async.Close()
	reply, err := chat.Send(ctx, async, "carol", "and now?", nil)
	require.NoError(t, err)
	assert.Equal(t, "echo: and now?", reply.Text())
	assert.Equal(t, "carol", reply.Messages[0].ConversationID)
	assert.Equal(t, 1, fake.CountRequests("POST", "/chatapi/{token}/async"))
}

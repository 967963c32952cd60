package chatbottest_test

import (
	"context"
	"fmt"
	"net/http"
	"runtime"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	chatbot "github.com/chatbot-sdk/chatbot-go"
	"github.com/chatbot-sdk/chatbot-go/botyard"
	"github.com/chatbot-sdk/chatbot-go/chatbottest"
)

func TestChatThingClient(t *testing.T) {
	fake := chatbottest.StartChatThing(t)
	client := fake.Client(t, chatbot.WithMaxAttempts(1))
	assert.Equal(t, fake.ChannelID, client.ChannelID())
	reply, err := client.Chats.Start(context.Background())
	require.NoError(t, err)
	assert.Equal(t, "Hello, how can I help you?", reply.Response)

	fake.Faults.FailNext(1, http.StatusServiceUnavailable)
	_, err = client.Chats.Start(context.Background())
	require.ErrorIs(t, err, chatbot.ErrServer, "the options given apply: no retry")
}

func TestBotyardClient(t *testing.T) {
	fake := chatbottest.StartBotyard(t)
	ctx := context.Background()
	alice := fake.Client(t)
	me, err := alice.Users.Create(ctx, "alice")
	require.NoError(t, err)

	again := fake.Client(t, botyard.WithSession(alice.Session()))
	got, err := again.Users.Current(ctx)
	require.NoError(t, err)
	assert.Equal(t, me.ID, got.ID)
}

// fatalRecorder is a testing.TB whose Fatalf records the message and ends
// the goroutine, as testing.T's does.
type fatalRecorder struct {
	testing.TB
	msg string
}

func (r *fatalRecorder) Fatalf(format string, args ...any) {
	r.msg = fmt.Sprintf(format, args...)
	runtime.Goexit()
}

func TestClientFailsTheTestOnABadOption(t *testing.T) {
	for name, makeClient := range map[string]func(testing.TB){
		"Chat Thing": func(tb testing.TB) { chatbottest.StartChatThing(t).Client(tb, chatbot.WithMaxAttempts(-1)) },
		"Botyard":    func(tb testing.TB) { chatbottest.StartBotyard(t).Client(tb, botyard.WithSession("")) },
	} {
		rec := &fatalRecorder{TB: t}
		done := make(chan struct{})
		go func() {
			defer close(done)
			makeClient(rec)
		}()
		<-done
		assert.Contains(t, rec.msg, "chatbottest: a client of the fake "+name+": ", name)
		assert.Contains(t, rec.msg, "invalid", name)
	}
}

package chat_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	chatbot "github.com/chatbot-sdk/chatbot-go"
	"github.com/chatbot-sdk/chatbot-go/chat"
	"github.com/chatbot-sdk/chatbot-go/chatbottest"
)

func TestNames(t *testing.T) {
	assert.Equal(t, []string{"chatthing", "botyard"}, chat.Names())
}

func TestFromEnvOpensTheConfiguredPlatform(t *testing.T) {
	ct := chatbottest.StartChatThing(t, chatbottest.WithChatThingCredentials("env-channel", "env-key"))
	t.Setenv("CHATTHING_CHANNEL_ID", "env-channel")
	t.Setenv("CHATTHING_SECRET_KEY", "env-key")
	t.Setenv("CHATTHING_BASE_URL", ct.URL)
	by := chatbottest.StartBotyard(t)
	t.Setenv("BOTYARD_BASE_URL", by.URL)
	t.Setenv("BOTYARD_SESSION", "")

	for _, name := range chat.Names() {
		p, err := chat.FromEnv(name, chatbot.WithUserAgentSuffix("chat-test"))
		require.NoError(t, err, name)
		assert.Equal(t, name, p.Name())
		_, err = p.(chat.Opener).Start(context.Background())
		require.NoError(t, err, name)
		require.NoError(t, p.Close())
	}
	assert.Equal(t, 1, ct.CountRequests("POST", "/conversation"))
	assert.Equal(t, 1, by.CountRequests("POST", "/v1/client-api/chat"))
	assert.Contains(t, ct.Requests()[0].Header.Get("User-Agent"), "chat-test", "options reach the client")
}

func TestFromEnvWithoutCredentials(t *testing.T) {
	t.Setenv("CHATTHING_CHANNEL_ID", "")
	t.Setenv("CHATTHING_SECRET_KEY", "")
	t.Setenv("BOTYARD_BASE_URL", "")
	for _, name := range chat.Names() {
		_, err := chat.FromEnv(name)
		assert.ErrorIs(t, err, chatbot.ErrNoCredentials, name)
	}
}

func TestFromEnvUnknownPlatform(t *testing.T) {
	_, err := chat.FromEnv("slack")
	var verr *chatbot.ValidationError
	require.ErrorAs(t, err, &verr)
	assert.EqualError(t, err, `chat: invalid platform: "slack" is not one of chatthing, botyard`)
}

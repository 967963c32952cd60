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
	assert.Equal(t, []string{"chatthing", "botyard", "aimylogic", "botuj"}, chat.Names())
}

func TestFromEnvOpensTheConfiguredPlatform(t *testing.T) {
	ct := chatbottest.StartChatThing(t, chatbottest.WithChatThingCredentials("env-channel", "env-key"))
	t.Setenv("CHATTHING_CHANNEL_ID", "env-channel")
	t.Setenv("CHATTHING_SECRET_KEY", "env-key")
	t.Setenv("CHATTHING_BASE_URL", ct.URL)
	by := chatbottest.StartBotyard(t)
	t.Setenv("BOTYARD_BASE_URL", by.URL)
	t.Setenv("BOTYARD_SESSION", "")
	al := chatbottest.StartAimylogic(t)
	t.Setenv("AIMYLOGIC_TOKEN", al.Token)
	t.Setenv("AIMYLOGIC_BASE_URL", al.URL)
	bj := chatbottest.StartBotuj(t)
	bj.Seed(1)
	t.Setenv("BOTUJ_API_KEY", bj.APIKey)
	t.Setenv("BOTUJ_BASE_URL", bj.URL)

	ctx := context.Background()
	for _, name := range chat.Names() {
		p, err := chat.FromEnv(name, chatbot.WithUserAgentSuffix("chat-test"))
		require.NoError(t, err, name)
		assert.Equal(t, name, p.Name())
		// A platform that sends sends; a read-only one reads.
		if o, ok := p.(chat.Opener); ok {
			conv, err := o.Start(ctx)
			require.NoError(t, err, name)
			_, err = chat.Send(ctx, p, conv.ID, "hi", nil)
			require.NoError(t, err, name)
		} else {
			n, err := collectErr(p.(chat.Lister).Conversations(ctx))
			require.NoError(t, err, name)
			assert.Equal(t, 1, n, name)
		}
		require.NoError(t, p.Close())
	}
	assert.Equal(t, 1, ct.CountRequests("POST", "/conversation"))
	assert.Equal(t, 1, by.CountRequests("POST", "/v1/client-api/chat"))
	assert.Equal(t, 1, al.CountRequests("POST", "/chatapi/{token}"), "synchronous")
	assert.Equal(t, 1, bj.CountRequests("GET", "/v1/api/conversations"))
	for _, reqs := range [][]chatbottest.Request{ct.Requests(), by.Requests(), al.Requests(), bj.Requests()} {
		assert.Contains(t, reqs[0].Header.Get("User-Agent"), "chat-test", "options reach the client")
	}
}

func TestFromEnvWithoutCredentials(t *testing.T) {
	t.Setenv("CHATTHING_CHANNEL_ID", "")
	t.Setenv("CHATTHING_SECRET_KEY", "")
	t.Setenv("BOTYARD_BASE_URL", "")
	t.Setenv("AIMYLOGIC_TOKEN", "")
	t.Setenv("BOTUJ_API_KEY", "")
	for _, name := range chat.Names() {
		_, err := chat.FromEnv(name)
		assert.ErrorIs(t, err, chatbot.ErrNoCredentials, name)
	}
}

func TestFromEnvUnknownPlatform(t *testing.T) {
	_, err := chat.FromEnv("slack")
	var verr *chatbot.ValidationError
	require.ErrorAs(t, err, &verr)
	assert.EqualError(t, err, `chat: invalid platform: "slack" is not one of chatthing, botyard, aimylogic, botuj`)
}

package setup

import (
	"bytes"
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/chatbot-sdk/chatbot-go/chatbottest"
)

func envOf(vars map[string]string) func(string) string {
	return func(k string) string { return vars[k] }
}

func TestChatThingUsesTheEnvironment(t *testing.T) {
	fake := chatbottest.StartChatThing(t, chatbottest.WithChatThingCredentials("my-channel", "my-key"))
	var out bytes.Buffer
	client, stop, err := ChatThing(envOf(map[string]string{
		ChannelIDVar: "my-channel", SecretKeyVar: "my-key", BaseURLVar: fake.URL,
	}), &out)
	require.NoError(t, err)
	defer stop()
	assert.Empty(t, out.String(), "no banner with real credentials")
	assert.Equal(t, "my-channel", client.ChannelID())
	_, err = client.Chats.Start(context.Background())
	require.NoError(t, err)
	assert.Equal(t, 1, fake.CountRequests("POST", "/conversation"))
}

func TestChatThingStartsAFakeWithoutCredentials(t *testing.T) {
	var out bytes.Buffer
	client, stop, err := ChatThing(envOf(nil), &out, chatbottest.WithChatThingGreeting("fake hello"))
	require.NoError(t, err)
	defer stop()
	assert.Regexp(t, `^CHATTHING_CHANNEL_ID and CHATTHING_SECRET_KEY are not set: using an in-process fake Chat Thing server \(chatbottest\) at http://127\.0\.0\.1:\d+\n$`, out.String())
	reply, err := client.Chats.Start(context.Background())
	require.NoError(t, err)
	assert.Equal(t, "fake hello", reply.Response, "the fake options apply")
}

func TestChatThingRejectsHalfTheCredentials(t *testing.T) {
	for _, env := range []map[string]string{{ChannelIDVar: "c"}, {SecretKeyVar: "k"}} {
		var out bytes.Buffer
		_, _, err := ChatThing(envOf(env), &out)
		require.EqualError(t, err, "set both CHATTHING_CHANNEL_ID and CHATTHING_SECRET_KEY, or neither to use the built-in fake server")
		assert.Empty(t, out.String())
	}
}

func TestChatThingReportsABadBaseURL(t *testing.T) {
	var out bytes.Buffer
	_, _, err := ChatThing(envOf(map[string]string{ChannelIDVar: "c", SecretKeyVar: "k", BaseURLVar: "not a url"}), &out)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "not a url")
}

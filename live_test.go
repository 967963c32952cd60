package chatbot_test

import (
	"context"
	"os"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	chatbot "github.com/chatbot-sdk/chatbot-go"
)

// TestLiveChatThing talks to the real service. It runs only when
// CHATTHING_CHANNEL_ID and CHATTHING_SECRET_KEY are set, and it spends a
// few message credits.
func TestLiveChatThing(t *testing.T) {
	channel, secret := os.Getenv("CHATTHING_CHANNEL_ID"), os.Getenv("CHATTHING_SECRET_KEY")
	if channel == "" || secret == "" {
		t.Skip("CHATTHING_CHANNEL_ID and CHATTHING_SECRET_KEY not set")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	c, err := chatbot.NewClient(channel, secret)
	require.NoError(t, err)

	conv, err := c.Chats.Start(ctx)
	require.NoError(t, err)
	require.NotEmpty(t, conv.ConversationID)

	reply, err := c.Messages.Continue(ctx, conv.ConversationID, "Say hello in one word.")
	require.NoError(t, err)
	assert.Equal(t, conv.ConversationID, reply.ConversationID)
	assert.NotEmpty(t, reply.Response)

	n := 0
	for _, err := range c.Messages.ListAll(ctx, conv.ConversationID, &chatbot.ListParams{Limit: 1}) {
		require.NoError(t, err)
		n++
	}
	assert.GreaterOrEqual(t, n, 2)

	page, err := c.DataSources.List(ctx, &chatbot.ListParams{Limit: 5})
	require.NoError(t, err)
	assert.LessOrEqual(t, len(page.DataSources), 5)
}

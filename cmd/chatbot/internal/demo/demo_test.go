package demo

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"

	"github.com/chatbot-sdk/chatbot-go/chat"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

func TestEveryFakeHoldsItsDemoConversations(t *testing.T) {
	ctx := context.Background()
	for _, name := range Platforms() {
		t.Run(name, func(t *testing.T) {
			f, err := Start(ctx, name, Config{})
			require.NoError(t, err)
			defer f.Close()
			assert.Equal(t, name, f.Platform)
			assert.NotEmpty(t, f.Env)
			assert.Len(t, f.ConversationIDs, 3)

			p, err := f.Open()
			require.NoError(t, err)
			defer p.Close()
			if l, ok := p.(chat.Lister); ok {
				var listed []string
				for c, err := range l.Conversations(ctx) {
					require.NoError(t, err)
					listed = append(listed, c.ID)
				}
				assert.ElementsMatch(t, f.ConversationIDs, listed, "the listing is the demo")
			}
			for _, id := range f.ConversationIDs {
				var roles []chat.Role
				for m, err := range p.(chat.HistoryReader).History(ctx, id) {
					require.NoError(t, err)
					assert.NotEmpty(t, m.Text)
					roles = append(roles, m.Role)
				}
				require.GreaterOrEqual(t, len(roles), 2)
				assert.Equal(t, []chat.Role{chat.RoleUser, chat.RoleBot}, roles[len(roles)-2:], "a question and its answer last")
			}
		})
	}
}

func TestStartRefusesAnUnknownPlatform(t *testing.T) {
	_, err := Start(context.Background(), "slack", Config{})
	assert.EqualError(t, err, `no fake for platform "slack"`)
}

func TestChatThingClientOnlyForChatThing(t *testing.T) {
	f, err := Start(context.Background(), chat.NameBotyard, Config{})
	require.NoError(t, err)
	defer f.Close()
	_, err = f.ChatThingClient()
	assert.EqualError(t, err, "the Botyard fake is not Chat Thing")
}

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

			p, err := f.Open()
			require.NoError(t, err)
			defer p.Close()
			n := 0
			for c, err := range p.(chat.Lister).Conversations(ctx) {
				require.NoError(t, err)
				n++
				var roles []chat.Role
				for m, err := range p.(chat.HistoryReader).History(ctx, c.ID) {
					require.NoError(t, err)
					roles = append(roles, m.Role)
				}
				require.GreaterOrEqual(t, len(roles), 2)
				assert.Equal(t, []chat.Role{chat.RoleUser, chat.RoleBot}, roles[len(roles)-2:], "a question and its answer last")
			}
			assert.Equal(t, f.Conversations, n)
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

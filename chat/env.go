package chat

import (
	"fmt"
	"strings"

	chatbot "github.com/chatbot-sdk/chatbot-go"
	"github.com/chatbot-sdk/chatbot-go/aimylogic"
	"github.com/chatbot-sdk/chatbot-go/botuj"
	"github.com/chatbot-sdk/chatbot-go/botyard"
)

// opener makes a platform's client from the environment.
type opener func(opts []chatbot.Option) (Platform, error)

// fromEnv is the opener of a platform whose package reads the environment
// with newClient and whose adapter is adapt.
func fromEnv[C any](newClient func(...chatbot.Option) (C, error), adapt func(C) Platform) opener {
	return func(opts []chatbot.Option) (Platform, error) {
		c, err := newClient(opts...)
		if err != nil {
			return nil, err
		}
		return adapt(c), nil
	}
}

// platforms are the platforms FromEnv knows, in the order Names lists them.
var platforms = []struct {
	name string
	open opener
}{
	{NameChatThing, fromEnv(chatbot.NewClientFromEnv, ChatThing)},
	{NameBotyard, fromEnv(botyard.NewClientFromEnv, func(c *botyard.Client) Platform { return Botyard(c, nil) })},
	{NameAimylogic, fromEnv(aimylogic.NewClientFromEnv, func(c *aimylogic.Client) Platform { return Aimylogic(c, nil) })},
	{NameBotuj, fromEnv(botuj.NewClientFromEnv, Botuj)},
}

// Names returns the platform names FromEnv takes.
func Names() []string {
	names := make([]string, len(platforms))
	for i, p := range platforms {
		names[i] = p.name
	}
	return names
}

// FromEnv opens the platform named platform (one of Names) with the
// credentials its package's NewClientFromEnv reads from the environment:
//
//   - chatthing: CHATTHING_CHANNEL_ID, CHATTHING_SECRET_KEY (and optionally
//     CHATTHING_BASE_URL);
//   - botyard: BOTYARD_BASE_URL (and optionally BOTYARD_SESSION);
//   - aimylogic: AIMYLOGIC_TOKEN (and optionally AIMYLOGIC_BASE_URL); Send
//     is synchronous (see Aimylogic for the webhook);
//   - botuj: BOTUJ_API_KEY (and optionally BOTUJ_BASE_URL).
//
// opts go to the client. A missing variable is an error matching
// chatbot.ErrNoCredentials that names it; an unknown platform is a
// *chatbot.ValidationError.
func FromEnv(platform string, opts ...chatbot.Option) (Platform, error) {
	for _, p := range platforms {
		if p.name == platform {
			return p.open(opts)
		}
	}
	return nil, check.Invalid("platform", fmt.Sprintf("%q is not one of %s", platform, strings.Join(Names(), ", ")))
}

package chat

import (
	"fmt"
	"strings"

	chatbot "github.com/chatbot-sdk/chatbot-go"
	"github.com/chatbot-sdk/chatbot-go/botyard"
)

// opener makes a platform's client from the environment.
type opener func(opts []chatbot.Option) (Platform, error)

// platforms are the platforms FromEnv knows, in the order Names lists them.
var platforms = []struct {
	name string
	open opener
}{
	{NameChatThing, func(opts []chatbot.Option) (Platform, error) {
		c, err := chatbot.NewClientFromEnv(opts...)
		if err != nil {
			return nil, err
		}
		return ChatThing(c), nil
	}},
	{NameBotyard, func(opts []chatbot.Option) (Platform, error) {
		c, err := botyard.NewClientFromEnv(opts...)
		if err != nil {
			return nil, err
		}
		return Botyard(c, nil), nil
	}},
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
//   - botyard: BOTYARD_BASE_URL (and optionally BOTYARD_SESSION).
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

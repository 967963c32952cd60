package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"slices"
	"strings"

	chatbot "github.com/chatbot-sdk/chatbot-go"
	"github.com/chatbot-sdk/chatbot-go/aimylogic"
	"github.com/chatbot-sdk/chatbot-go/botuj"
	"github.com/chatbot-sdk/chatbot-go/botyard"
	"github.com/chatbot-sdk/chatbot-go/chat"
	"github.com/chatbot-sdk/chatbot-go/cmd/chatbot/internal/demo"
)

// credentialVars are, for each platform, the environment variables whose
// absence means "no account: use the embedded fake". They are the required
// ones of the platform's NewClientFromEnv.
var credentialVars = map[string][]string{
	chat.NameChatThing: {chatbot.EnvChannelID, chatbot.EnvSecretKey},
	chat.NameBotyard:   {botyard.EnvBaseURL},
	chat.NameAimylogic: {aimylogic.EnvToken},
	chat.NameBotuj:     {botuj.EnvAPIKey},
}

// chatPlatforms are the platforms that hold conversations chat can take
// part in (an Opener that sends), in the order of chat.Names; the others
// are read-only. Knowing it before connecting lets chat refuse one
// without starting anything; a test holds it to the adapters.
var chatPlatforms = []string{chat.NameChatThing, chat.NameBotyard, chat.NameAimylogic}

// platformNames lists the platforms the command knows, for help texts.
func platformNames() string { return strings.Join(chat.Names(), "|") }

// checkPlatform refuses a platform the command does not know.
func checkPlatform(name string) error {
	if _, ok := credentialVars[name]; !ok {
		return usagef("unknown platform %q: use one of %s", name, strings.Join(chat.Names(), ", "))
	}
	return nil
}

// checkChatPlatform refuses a platform chat cannot converse on.
func checkChatPlatform(name string) error {
	if err := checkPlatform(name); err != nil {
		return err
	}
	if !slices.Contains(chatPlatforms, name) {
		return usagef("%s is read-only: chat works on %s", name, strings.Join(chatPlatforms, ", "))
	}
	return nil
}

// onPlatform prefixes err with the platform's name, unless it already
// starts with it ("botyard: Messages.Send: …"), so that every failure says
// which platform and which call: "chatthing: chatbot: Messages.List: …".
// Usage errors pass unchanged.
func onPlatform(platform string, err error) error {
	var usage *usageError
	if err == nil || errors.As(err, &usage) || strings.HasPrefix(err.Error(), platform+":") {
		return err
	}
	return fmt.Errorf("%s: %w", platform, err)
}

// connection is an open platform, real or on an embedded fake.
type connection struct {
	platform chat.Platform
	fake     *demo.Fake // nil with real credentials
}

// Close closes the client and stops the embedded fake.
func (c *connection) Close() {
	_ = c.platform.Close()
	if c.fake != nil {
		c.fake.Close()
	}
}

// configured reports whether any of the platform's credential variables is
// set; a half-configured platform is an error, not a reason to fake it.
func configured(platform string) bool {
	for _, v := range credentialVars[platform] {
		if os.Getenv(v) != "" {
			return true
		}
	}
	return false
}

// connect opens platform with the credentials in the environment, or,
// when none are set, on an embedded fake it starts, saying so in one line
// on stderr. accountOpts go to a real account's client only: a session
// store, say, must not keep the fake's throwaway session.
func (a *app) connect(ctx context.Context, platform string, accountOpts ...chatbot.Option) (*connection, error) {
	if err := checkPlatform(platform); err != nil {
		return nil, err
	}
	if configured(platform) {
		p, err := chat.FromEnv(platform, append(slices.Clip(a.clientOpts), accountOpts...)...)
		if errors.Is(err, chatbot.ErrNoCredentials) {
			return nil, &usageError{err}
		}
		if err != nil {
			return nil, err
		}
		return &connection{platform: p}, nil
	}
	fake, err := a.startFake(ctx, platform)
	if err != nil {
		return nil, err
	}
	p, err := fake.Open(a.clientOpts...)
	if err != nil {
		fake.Close()
		return nil, err
	}
	return &connection{platform: p, fake: fake}, nil
}

// connectChatThing is connect for a command that needs the Chat Thing
// client itself. close closes it, and the fake if there is one.
func (a *app) connectChatThing(ctx context.Context) (client *chatbot.Client, close func(), err error) {
	if configured(chat.NameChatThing) {
		c, err := chatbot.NewClientFromEnv(a.clientOpts...)
		if errors.Is(err, chatbot.ErrNoCredentials) {
			return nil, nil, &usageError{err}
		}
		if err != nil {
			return nil, nil, err
		}
		return c, func() { _ = c.Close() }, nil
	}
	fake, err := a.startFake(ctx, chat.NameChatThing)
	if err != nil {
		return nil, nil, err
	}
	c, err := fake.ChatThingClient(a.clientOpts...)
	if err != nil {
		fake.Close()
		return nil, nil, err
	}
	return c, func() { _ = c.Close(); fake.Close() }, nil
}

// startFake starts the demo fake of platform and says so on stderr.
func (a *app) startFake(ctx context.Context, platform string) (*demo.Fake, error) {
	fake, err := demo.Start(ctx, platform, a.demo)
	if err != nil {
		return nil, err
	}
	fmt.Fprintf(a.stderr, "%s unset: using an embedded fake %s (%d demo conversations)\n",
		strings.Join(credentialVars[platform], ", "), fake.Title, len(fake.ConversationIDs))
	if a.fakeStarted != nil {
		a.fakeStarted(fake)
	}
	return fake, nil
}

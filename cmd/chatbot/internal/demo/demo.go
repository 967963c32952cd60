// Package demo starts the fake servers the chatbot command runs against
// when no credentials are set (and that "chatbot fake" serves), each seeded
// with a few conversations so that export prints real-looking records and
// chat gets replies.
package demo

import (
	"context"
	"fmt"
	"net/http"
	"time"

	chatbot "github.com/chatbot-sdk/chatbot-go"
	"github.com/chatbot-sdk/chatbot-go/chat"
	"github.com/chatbot-sdk/chatbot-go/chatbottest"
)

// Config tunes the fakes. The zero value is what tests want (no pauses);
// Interactive is what a person at a terminal wants.
type Config struct {
	// StreamDelay is Chat Thing's pause before each streamed event, so
	// that a reply is seen arriving word by word.
	StreamDelay time.Duration
	// SyncDuration is how long a Chat Thing data source sync runs.
	SyncDuration time.Duration
}

// Interactive paces the fakes like a real service: replies appear word by
// word and a sync takes a moment, so the progress shows.
var Interactive = Config{StreamDelay: 30 * time.Millisecond, SyncDuration: time.Second}

// Fake is a running, seeded fake server of one platform.
type Fake struct {
	// Platform is the platform's name, as chat.FromEnv takes it.
	Platform string
	// Title is the platform's name for people ("Chat Thing").
	Title string
	// URL is the server's base URL.
	URL string
	// Env are the environment variables, in order, that point a client
	// of this module at the fake (what NewClientFromEnv reads).
	Env []Var
	// ConversationIDs are the demo conversations, in the order they were
	// made: what export takes on a platform that cannot list them.
	ConversationIDs []string
	// Server is the fake itself.
	Server Server
	// Faults injects failures into the fake.
	Faults *chatbottest.Faults
	// ChatThing is the fake when Platform is chat.NameChatThing, else nil.
	ChatThing *chatbottest.ChatThing
	// Botyard is the fake when Platform is chat.NameBotyard, else nil.
	Botyard *chatbottest.Botyard
	// Aimylogic is the fake when Platform is chat.NameAimylogic, else nil.
	Aimylogic *chatbottest.Aimylogic
	// Botuj is the fake when Platform is chat.NameBotuj, else nil.
	Botuj *chatbottest.Botuj

	open func(opts []chatbot.Option) (chat.Platform, error)
}

// Server is what every chatbottest fake offers.
type Server interface {
	// Handler serves the fake, on another address than its own.
	Handler() http.Handler
	// Requests returns the requests the fake received.
	Requests() []chatbottest.Request
	// Close stops the fake.
	Close()
}

// Var is one environment variable.
type Var struct{ Name, Value string }

// Close stops the server.
func (f *Fake) Close() { f.Server.Close() }

// opener is a Fake's open: a client of the fake made by newClient, in its
// chat adapter.
func opener[C any](newClient func(opts []chatbot.Option) (C, error), adapt func(C) chat.Platform) func([]chatbot.Option) (chat.Platform, error) {
	return func(opts []chatbot.Option) (chat.Platform, error) {
		c, err := newClient(opts)
		if err != nil {
			return nil, err
		}
		return adapt(c), nil
	}
}

// Open returns a client of the fake as a chat.Platform, with opts added.
// Closing it leaves the fake running.
func (f *Fake) Open(opts ...chatbot.Option) (chat.Platform, error) { return f.open(opts) }

// ChatThingClient returns a Chat Thing client of the fake, which must be a
// Chat Thing one.
func (f *Fake) ChatThingClient(opts ...chatbot.Option) (*chatbot.Client, error) {
	if f.ChatThing == nil {
		return nil, fmt.Errorf("the %s fake is not Chat Thing", f.Title)
	}
	return chatbot.NewClient(f.ChatThing.ChannelID, f.ChatThing.SecretKey, append([]chatbot.Option{chatbot.WithBaseURL(f.URL)}, opts...)...)
}

// Platforms are the platforms Start can fake, in the order of chat.Names.
func Platforms() []string {
	return []string{chat.NameChatThing, chat.NameBotyard, chat.NameAimylogic, chat.NameBotuj}
}

// Start starts and seeds the fake of platform.
func Start(ctx context.Context, platform string, cfg Config) (*Fake, error) {
	switch platform {
	case chat.NameChatThing:
		return startChatThing(cfg), nil
	case chat.NameBotyard:
		return startBotyard(ctx)
	case chat.NameAimylogic:
		return startAimylogic(ctx)
	case chat.NameBotuj:
		return startBotuj(), nil
	}
	return nil, fmt.Errorf("no fake for platform %q", platform)
}

// The demo conversations of Chat Thing: the fake's default bot knows the
// documented answers about the Moon and the planets, and echoes the rest.
var chatThingDemo = [][]string{
	{"How far away is the Moon?"},
	{"Which planets are in the solar system?", "Thanks!"},
	{"Hi, can I change my delivery address?"},
}

// Credentials of the Chat Thing demo channel.
const (
	demoChannel = "demo-channel"
	demoKey     = "demo-secret-key"
)

func startChatThing(cfg Config) *Fake {
	fake := chatbottest.NewChatThing(
		chatbottest.WithChatThingCredentials(demoChannel, demoKey),
		chatbottest.WithChatThingStreamDelay(cfg.StreamDelay),
		chatbottest.WithChatThingSyncDuration(cfg.SyncDuration),
	)
	var ids []string
	for _, texts := range chatThingDemo {
		ids = append(ids, fake.SeedConversation(texts...))
	}
	f := &Fake{
		Platform: chat.NameChatThing,
		Title:    "Chat Thing",
		URL:      fake.URL,
		Env: []Var{
			{chatbot.EnvChannelID, fake.ChannelID},
			{chatbot.EnvSecretKey, fake.SecretKey},
			{chatbot.EnvBaseURL, fake.URL},
		},
		ConversationIDs: ids,
		Server:          fake,
		Faults:          fake.Faults,
		ChatThing:       fake,
	}
	f.open = opener(func(opts []chatbot.Option) (*chatbot.Client, error) { return f.ChatThingClient(opts...) }, chat.ChatThing)
	return f
}

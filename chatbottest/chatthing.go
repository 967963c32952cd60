package chatbottest

import (
	"strings"
	"sync"
	"testing"
	"time"
)

// ChatThing is an in-memory Chat Thing "API channel" server for one
// channel, served over loopback HTTP. It implements every endpoint of the
// reference under /api/public/channels/{channelId}/1.0/ and keeps
// conversations, messages, data sources and rows in memory. It is safe for
// concurrent use. Point a client at it with
//
//	chatbot.NewClient(ct.ChannelID, ct.SecretKey, chatbot.WithBaseURL(ct.URL))
//
// or, in a test, get one with ct.Client(t).
type ChatThing struct {
	*core // Requests, CountRequests, Close

	// URL is the server's base URL (http://127.0.0.1:port), without the
	// /api/public/... prefix.
	URL string
	// ChannelID is the only channel the server knows; other channel IDs
	// get 404.
	ChannelID string
	// SecretKey is the X-API-Secret-Key the server expects; any other key
	// gets 403.
	SecretKey string
	// Faults makes the next requests fail, or every response slow. Stream
	// faults (StallNextStream, CutNextStream) are methods of ChatThing.
	Faults *Faults

	cfg chatThingConfig

	mu    sync.Mutex
	state chatThingState
}

// chatThingConfig is what ChatThingOptions set.
type chatThingConfig struct {
	channelID, secretKey string
	greeting             string
	syncDuration         time.Duration
	streamDelay          time.Duration
	bot                  ChatThingBot
}

// ChatThingOption configures a ChatThing.
type ChatThingOption func(*chatThingConfig)

// WithChatThingCredentials sets the channel ID and secret key the server
// accepts (the defaults are "test-channel" and "test-secret-key").
func WithChatThingCredentials(channelID, secretKey string) ChatThingOption {
	return func(c *chatThingConfig) { c.channelID, c.secretKey = channelID, secretKey }
}

// WithChatThingGreeting sets the bot's opening reply to a started
// conversation (default "Hello, how can I help you?", as documented).
func WithChatThingGreeting(s string) ChatThingOption {
	return func(c *chatThingConfig) { c.greeting = s }
}

// WithChatThingSyncDuration sets how long a data source sync runs before
// the source turns "synced" (default 50ms, so tests stay fast; 0 finishes
// a sync at once). While it runs the source is "syncing" and another sync
// request gets 429.
func WithChatThingSyncDuration(d time.Duration) ChatThingOption {
	return func(c *chatThingConfig) { c.syncDuration = max(d, 0) }
}

// WithChatThingStreamDelay makes a streamed reply wait d before each
// event, so that a terminal shows it arriving token by token (default 0).
func WithChatThingStreamDelay(d time.Duration) ChatThingOption {
	return func(c *chatThingConfig) { c.streamDelay = max(d, 0) }
}

// WithChatThingBot replaces the default bot (see ChatThingBot).
func WithChatThingBot(bot ChatThingBot) ChatThingOption {
	return func(c *chatThingConfig) { c.bot = bot }
}

// NewChatThing starts a fake Chat Thing server on a loopback port. Call
// Close when done with it (StartChatThing does, for a test).
func NewChatThing(opts ...ChatThingOption) *ChatThing {
	cfg := chatThingConfig{
		channelID:    "test-channel",
		secretKey:    "test-secret-key",
		greeting:     "Hello, how can I help you?",
		syncDuration: 50 * time.Millisecond,
		bot:          defaultChatThingBot,
	}
	for _, o := range opts {
		o(&cfg)
	}
	c := &ChatThing{
		ChannelID: cfg.channelID,
		SecretKey: cfg.secretKey,
		cfg:       cfg,
		state:     newChatThingState(),
	}
	prefix := "/api/public/channels/" + cfg.channelID + "/1.0"
	c.core = newCore(coreConfig{
		errorBody: chatThingErrorBody,
		logPath: func(path string) string {
			if rest, ok := strings.CutPrefix(path, prefix); ok && rest != "" {
				return rest
			}
			return path
		},
	})
	c.Faults = c.faults
	c.URL = c.start(c.routes)
	return c
}

// StartChatThing starts a fake Chat Thing server for a test, and closes
// it when the test ends.
func StartChatThing(tb testing.TB, opts ...ChatThingOption) *ChatThing {
	return closedAtEnd(tb, NewChatThing(opts...))
}

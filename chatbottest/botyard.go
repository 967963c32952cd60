package chatbottest

import (
	"crypto/rand"
	"net/http"
	"sync"
	"testing"
	"time"
)

// Botyard is an in-memory Botyard server (its Client API, under
// /v1/client-api, and the uploaded files, under /static), served over
// loopback HTTP. It behaves like the real server as the reference
// describes it: an HS256 JWT session in the "token" cookie, re-issued on
// every authenticated response; pages counted from the newest message;
// the same limits, statuses and {"message": …} error bodies; 500s for
// unknown routes and wrong methods; HEAD answered like GET without the
// body; a body over 25 MiB refused before it is read, with the connection
// dropped; and a dropped connection for an upload part without a
// Content-Type (where the real server crashes). Its bots answer every
// user message after a short delay. It is safe for concurrent use. Point a
// client at it with
//
//	botyard.NewClient(fake.URL)
//
// or, in a test, get one with fake.Client(t).
type Botyard struct {
	*core // Requests, CountRequests, Close

	// URL is the server's base URL (http://127.0.0.1:port).
	URL string
	// Faults makes the next requests fail, or every response slow.
	Faults *Faults

	cfg botyardConfig

	mu    sync.Mutex
	state botyardState
}

// BotyardBot is a bot of the fake server.
type BotyardBot struct {
	ID, Name, Description, Avatar string
}

// BotyardReplier decides how a bot answers a user message: each returned
// string becomes one bot message, in order. Return nil for no answer. It
// runs in the handler of the send, before the send answers, but outside
// the fake's lock: it may call the fake's methods, and a slow replier
// holds up only that send.
type BotyardReplier func(bot BotyardBot, body string) []string

// defaultBotyardReplier echoes the message.
func defaultBotyardReplier(bot BotyardBot, body string) []string {
	return []string{bot.Name + " got: " + body}
}

type botyardConfig struct {
	sessionKey    []byte // signs session tokens
	messageClock  func() time.Time
	replier       BotyardReplier
	replyDelay    time.Duration
	tokenLifetime time.Duration
	noDefaultBots bool
}

// BotyardOption configures a Botyard fake.
type BotyardOption func(*botyardConfig)

// WithBotyardReplier replaces how bots answer (nil: they never answer).
func WithBotyardReplier(r BotyardReplier) BotyardOption {
	return func(c *botyardConfig) { c.replier = r }
}

// WithBotyardReplyDelay sets how long after a user message the bot's
// answer is posted (default 20ms; 0 posts it before the send returns).
func WithBotyardReplyDelay(d time.Duration) BotyardOption {
	return func(c *botyardConfig) { c.replyDelay = max(d, 0) }
}

// WithBotyardTokenLifetime sets how long a session token stays valid
// after it is issued (default 7 days, as the real server). As there, the
// token's exp claim is in whole seconds, rounded down: a token lives at
// most d, and at least d less one second.
func WithBotyardTokenLifetime(d time.Duration) BotyardOption {
	return func(c *botyardConfig) { c.tokenLifetime = d }
}

// WithBotyardJWTKey sets the key that signs the session tokens (the real
// server's JWT_SECRET_KEY), so that a test can check a token's signature
// or make tokens of its own. By default each server draws a random key.
// An empty key is accepted, as the real server signs with one when the
// variable is unset.
func WithBotyardJWTKey(key []byte) BotyardOption {
	return func(c *botyardConfig) { c.sessionKey = append([]byte{}, key...) }
}

// WithBotyardMessageClock stamps new messages with now's millisecond, as
// is. The default stamps each message strictly later than the one before,
// which keeps tests deterministic; the real server can give several
// messages the same millisecond (a user message and a fast bot reply, say),
// and a clock that stands still reproduces that. A clock that goes back
// files the message among the older ones, as the server sorts by
// timestamp. Session tokens keep using the real time.
func WithBotyardMessageClock(now func() time.Time) BotyardOption {
	return func(c *botyardConfig) { c.messageClock = now }
}

// WithoutBotyardDefaultBots starts the server with no bots (the default is
// "Test bot", with the commands start and help, and "Echo bot").
func WithoutBotyardDefaultBots() BotyardOption {
	return func(c *botyardConfig) { c.noDefaultBots = true }
}

// StartBotyard starts a fake Botyard server for a test; the test's
// cleanup closes it.
func StartBotyard(tb testing.TB, opts ...BotyardOption) *Botyard {
	return closedAtEnd(tb, NewBotyard(opts...))
}

// NewBotyard starts a fake Botyard server on a loopback port. Call Close
// when done with it (StartBotyard does, for a test).
func NewBotyard(opts ...BotyardOption) *Botyard {
	cfg := botyardConfig{
		replier:       defaultBotyardReplier,
		replyDelay:    20 * time.Millisecond,
		tokenLifetime: 7 * 24 * time.Hour,
	}
	for _, o := range opts {
		o(&cfg)
	}
	if cfg.sessionKey == nil {
		cfg.sessionKey = make([]byte, 32)
		_, _ = rand.Read(cfg.sessionKey)
	}
	b := &Botyard{cfg: cfg, state: newBotyardState()}
	b.state.clock = cfg.messageClock
	b.core = newCore(coreConfig{
		errorBody:      func(message string) any { return byMessageBody{message} },
		noRoute:        b.noRoute,
		bodyLimit:      botyardBodyLimit,
		tooLargeStatus: http.StatusInternalServerError,
		trimSlash:      true,
	})
	b.Faults = b.faults
	if !cfg.noDefaultBots {
		test := b.AddBot("Test bot", "Just testing bot.", "https://example.com/avatar.png")
		b.AddCommand(test.ID, "start", "Start a new conversation.")
		b.AddCommand(test.ID, "help", "Show usage guide.")
		b.AddBot("Echo bot", "", "")
	}
	b.URL = b.start(b.routes)
	return b
}

package chatbottest

import (
	"crypto/rand"
	"net/http/httptest"
	"sync"
	"testing"
	"time"
)

// Botyard is an in-memory Botyard server (its Client API, under
// /v1/client-api), served over loopback HTTP. It behaves like the real
// server as the reference describes it: the "token" session cookie
// re-issued on every authenticated response, pages counted from the newest
// message, the same limits, statuses and {"message": …} error bodies,
// 500s for unknown routes and wrong methods, and a dropped connection for
// an upload part without a Content-Type (where the real server crashes).
// Its bots answer every user message after a short delay. It is safe for
// concurrent use. Point a client at it with
//
//	botyard.NewClient(fake.URL)
type Botyard struct {
	// URL is the server's base URL (http://127.0.0.1:port).
	URL string
	// Faults makes the next requests fail, or every response slow.
	Faults *Faults

	cfg    botyardConfig
	srv    *httptest.Server
	secret []byte // signs session tokens

	mu     sync.Mutex
	state  botyardState
	timers map[*time.Timer]struct{} // pending bot replies
	closed bool
	wg     sync.WaitGroup // running bot replies
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
// after it is issued (default 7 days, as the real server).
func WithBotyardTokenLifetime(d time.Duration) BotyardOption {
	return func(c *botyardConfig) { c.tokenLifetime = d }
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

// NewBotyard starts a fake Botyard server on a loopback port. Call Close
// when done with it.
func NewBotyard(opts ...BotyardOption) *Botyard {
	cfg := botyardConfig{
		replier:       defaultBotyardReplier,
		replyDelay:    20 * time.Millisecond,
		tokenLifetime: 7 * 24 * time.Hour,
	}
	for _, o := range opts {
		o(&cfg)
	}
	b := &Botyard{
		Faults: &Faults{},
		cfg:    cfg,
		secret: make([]byte, 32),
		state:  newBotyardState(),
		timers: map[*time.Timer]struct{}{},
	}
	b.state.clock = cfg.messageClock
	_, _ = rand.Read(b.secret)
	if !cfg.noDefaultBots {
		test := b.AddBot("Test bot", "Just testing bot.", "https://example.com/avatar.png")
		b.AddCommand(test.ID, "start", "Start a new conversation.")
		b.AddCommand(test.ID, "help", "Show usage guide.")
		b.AddBot("Echo bot", "", "")
	}
	b.srv = httptest.NewServer(b.handler())
	b.URL = b.srv.URL
	return b
}

// StartBotyard starts a fake Botyard server and closes it when the test
// ends.
func StartBotyard(tb testing.TB, opts ...BotyardOption) *Botyard {
	tb.Helper()
	b := NewBotyard(opts...)
	tb.Cleanup(b.Close)
	return b
}

// Close cancels pending bot answers and shuts the server down, waiting for
// the requests in flight. It is safe to call more than once.
func (b *Botyard) Close() {
	b.mu.Lock()
	if b.closed {
		b.mu.Unlock()
		return
	}
	b.closed = true
	for t := range b.timers {
		if t.Stop() {
			b.wg.Done()
		}
	}
	b.timers = nil
	b.mu.Unlock()
	b.wg.Wait()
	b.srv.Close()
}

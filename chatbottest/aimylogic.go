package chatbottest

import (
	"context"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"
)

// Aimylogic is an in-memory Aimylogic (Just AI) Chat API server for one
// channel, served over loopback HTTP. It answers every call of the API
// under {Root}/{Token}: the synchronous, simplified and asynchronous sends,
// the events long poll, a client's history, its saved state, message
// statuses and the unread count. Its bot is deterministic (see
// DefaultAimylogicBot), and the result of an asynchronous send (or of a sync send
// the bot was too slow for, or of a live agent's reply) is delivered to
// the webhook URL the test sets, as the real channel does.
//
// Status codes and error texts are the documented ones: 404 "ChannelChat
// config not found for token … and channel CHATAPI" for an unknown token,
// 400 "Invalid request payload" for a send without exactly one of query
// and event, 408 "Request timeout" when the bot is slow (SetSlowBot). Error
// bodies are plain text: the texts are documented, their wrapping is not.
// Injected faults (Faults) answer {"message": …} instead, as a gateway in
// front of the service might. Where the references are silent the fake
// makes the assumptions its method docs state. It is safe for concurrent
// use. Point a client at it with its URL and Token.
type Aimylogic struct {
	*core // Requests, CountRequests; Request.Path shows the token as {token}

	// URL is the server's base URL (http://127.0.0.1:port), without the
	// path root.
	URL string
	// Root is the path root the API lives under: "/chatapi", or
	// "/chatapi/bot" as SaluteBot serves it (WithAimylogicPathRoot).
	Root string
	// Token is the channel token, the path segment after Root. Any other
	// token gets 404. The request log shows it as "{token}".
	Token string
	// Faults makes the next requests fail, or every response slow.
	Faults *Faults

	cfg aimylogicConfig

	// deliveryCtx is the context of webhook deliveries; Close cancels
	// it, so that a delivery to a receiver that hangs ends with the fake.
	deliveryCtx      context.Context
	stopDeliveries   context.CancelFunc
	webhookClient    *http.Client
	webhookTransport *http.Transport

	mu    sync.Mutex
	state aimylogicState
}

// aimylogicConfig is what AimylogicOptions set.
type aimylogicConfig struct {
	token      string
	root       string
	webhook    string
	bot        AimylogicBot
	hold       time.Duration
	blockForm  bool
	retries    int
	retryDelay time.Duration
}

// AimylogicOption configures an Aimylogic fake.
type AimylogicOption func(*aimylogicConfig)

// DefaultAimylogicToken is the channel token of a fake made without
// WithAimylogicToken. It has the form of a real token: eight letters and
// digits, a colon, forty hex digits.
const DefaultAimylogicToken = "fakeBot1:3f786850e387550fdab836ed7e6dc881de23001b"

// WithAimylogicToken sets the channel token the server accepts. Any
// non-empty string works, characters that must be escaped in a path
// included, so that a test can check a client escapes and redacts them.
func WithAimylogicToken(token string) AimylogicOption {
	return func(c *aimylogicConfig) { c.token = token }
}

// WithAimylogicPathRoot sets the path root (default "/chatapi"); SaluteBot
// serves the same API under "/chatapi/bot".
func WithAimylogicPathRoot(root string) AimylogicOption {
	return func(c *aimylogicConfig) { c.root = "/" + strings.Trim(root, "/") }
}

// WithAimylogicWebhook sets the channel's webhook URL (its "callbackUrl"),
// where results are delivered; see SetWebhook.
func WithAimylogicWebhook(url string) AimylogicOption {
	return func(c *aimylogicConfig) { c.webhook = url }
}

// WithAimylogicBot replaces the default bot (nil keeps it).
func WithAimylogicBot(bot AimylogicBot) AimylogicOption {
	return func(c *aimylogicConfig) {
		if bot != nil {
			c.bot = bot
		}
	}
}

// WithAimylogicEventsHold sets how long an events poll with nothing to
// return waits for an event before it answers {"events":[]} (default 20s;
// 0 answers at once). The real hold time is not documented.
func WithAimylogicEventsHold(d time.Duration) AimylogicOption {
	return func(c *aimylogicConfig) { c.hold = max(d, 0) }
}

// WithAimylogicWebhookRetries sets how many times a failed webhook
// delivery (a transport error or a status other than 2xx) is tried again,
// and the pause before the first retry, which doubles for each one after
// (default 2 retries, 20ms). The real service's retry policy is not
// documented.
func WithAimylogicWebhookRetries(retries int, firstDelay time.Duration) AimylogicOption {
	return func(c *aimylogicConfig) { c.retries, c.retryDelay = max(retries, 0), max(firstDelay, 0) }
}

// WithAimylogicBlockForm sets the channel setting "Disable text input when
// using buttons", which every response reports as "blockForm" (default
// false, as on the real channel).
func WithAimylogicBlockForm(on bool) AimylogicOption {
	return func(c *aimylogicConfig) { c.blockForm = on }
}

// aimylogicDefaults is the configuration of a fake made without options.
var aimylogicDefaults = aimylogicConfig{
	token:      DefaultAimylogicToken,
	root:       "/chatapi",
	bot:        DefaultAimylogicBot,
	hold:       20 * time.Second,
	retries:    2,
	retryDelay: 20 * time.Millisecond,
}

// with returns the configuration with opts applied. An empty token keeps
// the default one, and a root of "/" serves the API at the top.
func (cfg aimylogicConfig) with(opts []AimylogicOption) aimylogicConfig {
	for _, o := range opts {
		o(&cfg)
	}
	if cfg.token == "" {
		cfg.token = DefaultAimylogicToken
	}
	if cfg.root == "/" {
		cfg.root = ""
	}
	return cfg
}

// StartAimylogic starts a fake Aimylogic Chat API server for a test; the
// test's cleanup closes it.
func StartAimylogic(tb testing.TB, opts ...AimylogicOption) *Aimylogic {
	return closedAtEnd(tb, NewAimylogic(opts...))
}

// NewAimylogic starts a fake Aimylogic Chat API server on a loopback port.
// Call Close when done with it (StartAimylogic does, for a test).
func NewAimylogic(opts ...AimylogicOption) *Aimylogic {
	cfg := aimylogicDefaults.with(opts)
	a := &Aimylogic{Root: cfg.root, Token: cfg.token, cfg: cfg, state: newAimylogicState(cfg)}
	a.deliveryCtx, a.stopDeliveries = context.WithCancel(context.Background())
	a.webhookTransport = &http.Transport{DisableKeepAlives: true}
	a.webhookClient = &http.Client{Transport: a.webhookTransport, Timeout: webhookTimeout}
	a.core = newCore(coreConfig{
		errorBody:      func(message string) any { return byMessageBody{message} },
		logPath:        a.logPath,
		noRoute:        a.noRoute,
		bodyLimit:      aimylogicBodyLimit,
		tooLargeStatus: http.StatusRequestEntityTooLarge,
	})
	a.Faults = a.faults
	a.URL = a.start(a.routes)
	return a
}

// Close shuts the server down and leaves nothing running: webhook
// deliveries that wait for their time (a delayed bot answer, a retry) are
// dropped, one under way is cancelled, a held events poll ends, and open
// connections are closed. It is safe to call more than once.
func (a *Aimylogic) Close() {
	a.stopDeliveries()
	a.core.Close()
	a.webhookTransport.CloseIdleConnections()
}

// SetWebhook sets the channel's webhook URL for the deliveries that
// follow; "" turns delivery off (the default).
func (a *Aimylogic) SetWebhook(url string) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.state.webhook = url
}

// SetBotDelay sets how long the bot takes to answer each request from now
// on (0 at first). A sync send waits that long before it answers; an asynchronous send
// answers at once and its result reaches the webhook that much later.
func (a *Aimylogic) SetBotDelay(d time.Duration) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.state.botDelay = max(d, 0)
}

// SetSlowBot makes the bot too slow for every sync send while on: the
// synchronous and simplified sends answer 408 "Request timeout" at once,
// and the bot's answer follows late (after the bot delay), as the real
// channel handles an answer that missed its time: it goes to the history,
// to the events and to the webhook.
func (a *Aimylogic) SetSlowBot(on bool) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.state.slow = on
}

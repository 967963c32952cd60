package chatbottest

import (
	"sync"
	"testing"
)

// Botuj is an in-memory botuj.pl API server (the read-only conversations
// API under /v1/api), served over loopback HTTP. It holds conversations and
// their messages, pages them with page and per_page as documented (default
// 20, at most 100), wants "Authorization: Bearer <APIKey>" on every request
// (401 otherwise) and answers an unknown conversation with 404. Error
// bodies are {"message": "…"}; the API documents none. It is safe for
// concurrent use. Fill it with Seed, AddConversation and AddMessages, and
// point a client at it with
//
//	botuj.NewClient(fake.APIKey, chatbot.WithBaseURL(fake.URL))
type Botuj struct {
	*core // Requests, CountRequests, Handler, Close

	// URL is the server's base URL (http://127.0.0.1:port), without the
	// /v1/api prefix.
	URL string
	// APIKey is the bearer key the server accepts.
	APIKey string
	// Faults makes the next requests fail, or every response slow.
	Faults *Faults

	cfg botujConfig

	mu    sync.Mutex
	state botujState
}

// BotujEnvelope is the shape of a page of items in the fake's responses.
// The API documents only the items, so the fake can answer in either of
// the two shapes a client must be ready for.
type BotujEnvelope int

const (
	// BotujBareArray answers with a bare JSON array of items and no paging
	// metadata, the least a client can rely on: it must stop on a short
	// or empty page. This is the default.
	BotujBareArray BotujEnvelope = iota
	// BotujDataEnvelope answers with an object: the items under "data",
	// beside "page", "per_page", "total" and "last_page" (at least 1).
	BotujDataEnvelope
)

type botujConfig struct {
	apiKey   string
	envelope BotujEnvelope
}

// BotujOption configures a Botuj fake.
type BotujOption func(*botujConfig)

// WithBotujAPIKey sets the bearer key the server accepts (default
// "test-api-key").
func WithBotujAPIKey(key string) BotujOption {
	return func(c *botujConfig) { c.apiKey = key }
}

// WithBotujEnvelope sets the shape of list responses (default
// BotujBareArray).
func WithBotujEnvelope(e BotujEnvelope) BotujOption {
	return func(c *botujConfig) { c.envelope = e }
}

// StartBotuj starts a fake botuj.pl server for a test; the test's cleanup
// closes it.
func StartBotuj(tb testing.TB, opts ...BotujOption) *Botuj {
	tb.Helper()
	return closedAtEnd(tb, NewBotuj(opts...))
}

// NewBotuj starts an empty fake botuj.pl server on a loopback port. Call
// Close when done with it (StartBotuj does, for a test).
func NewBotuj(opts ...BotujOption) *Botuj {
	cfg := botujConfig{apiKey: "test-api-key"}
	for _, o := range opts {
		o(&cfg)
	}
	b := &Botuj{APIKey: cfg.apiKey, cfg: cfg, state: newBotujState()}
	b.core = newCore(coreConfig{
		errorBody: func(message string) any { return bjErrorBody{message} },
		noRoute:   b.noRoute,
	})
	b.Faults = b.faults
	b.URL = b.start(b.routes)
	return b
}

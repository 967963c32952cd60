package aimylogic

import (
	"context"
	"crypto/sha256"

	chatbot "github.com/chatbot-sdk/chatbot-go"
	"github.com/chatbot-sdk/chatbot-go/internal/rest"
)

// Hosts that serve the Chat API, for chatbot.WithBaseURL. The API is the
// same on each; only the host (and, for SaluteBot, the path root: see
// WithPathRoot) differs.
const (
	// AimylogicURL is Aimylogic's cloud, the default.
	AimylogicURL = "https://bot.aimylogic.com"
	// JAICPURL is JAICP's cloud, where Just AI's own framework connects.
	JAICPURL = "https://bot.jaicp.com"
	// JAICPAppURL is the JAICP application host, which also serves the
	// API.
	JAICPAppURL = "https://app.jaicp.com"
	// TovieURL is Tovie Platform, JAICP's international edition. No
	// source available to the SDK shows this host serving the API (the
	// Tovie pages give paths only): compare it with the example requests
	// in your channel's settings.
	TovieURL = "https://app.tovie.ai"
)

// DefaultBaseURL is where a client without chatbot.WithBaseURL sends.
const DefaultBaseURL = AimylogicURL

// Environment variables read by NewClientFromEnv.
const (
	// EnvToken names the Chat API channel's token (required).
	EnvToken = "AIMYLOGIC_TOKEN"
	// EnvBaseURL optionally names another host, such as JAICPURL.
	EnvBaseURL = "AIMYLOGIC_BASE_URL"
)

// Client talks to one Chat API channel, addressed by its token. It is
// safe for concurrent use and reuses connections.
type Client struct {
	// Messages sends client requests: synchronously, with the simplified
	// GET call, or asynchronously with the answer going to the webhook.
	Messages *MessageService
	// Events long-polls what happens in a client's chat.
	Events *EventService
	// History reads a client's message history.
	History *HistoryService
	// State saves and loads a client's chat application state.
	State *StateService
	// Statuses reads and sets message statuses and counts unread
	// messages.
	Statuses *StatusService

	engine   *rest.Engine
	settings settings
	// tokenSum lets SendAndWait check that a webhook handler serves the
	// same channel without keeping a second copy of the token around.
	tokenSum [sha256.Size]byte
}

// NewClient returns a client for the Chat API channel whose token is
// token ("Bot token" in Aimylogic, "Access token" in JAICP). The token is
// a path segment of every request: the client shows it as "{token}" in
// every URL, error and log record, in any escaping.
//
// Options are the module's chatbot.Option set (chatbot.WithBaseURL with
// JAICPURL, say) plus this package's WithPathRoot, WithStatePath,
// WithPollTimeout and WithPollInterval.
func NewClient(token string, opts ...chatbot.Option) (*Client, error) {
	if err := check.Credential("token", token); err != nil {
		return nil, err
	}
	// The token is a path segment, so it is held to the rules of one.
	if err := checkID("token", token); err != nil {
		return nil, err
	}
	c := &Client{tokenSum: sha256.Sum256([]byte(token))}
	c.settings = defaultSettings()
	engine, err := rest.NewEngine(rest.Platform{
		Name:    "aimylogic",
		BaseURL: DefaultBaseURL,
		// Every answer is read with the token hidden, so that no field a
		// result keeps (raw JSON above all) can hold it. The engine calls
		// Decode only for requests, after c.engine is set.
		Decode: func(op string, body []byte, out any) error {
			shown, err := hideSecrets(c.engine.Redactor(), body)
			if err != nil {
				return err
			}
			return decodeBody(op, shown, out)
		},
		Settings: &c.settings,
		// No answer holds more: a history page is at most MaxHistoryLimit,
		// an events answer MaxEvents.
		MaxItems: MaxHistoryLimit,
		// The path root is an option: the prefix is known once options ran.
		Finish: func(p *rest.Platform) error {
			p.Prefix = append(c.settings.root.segments(), rest.SecretSegment("token", token))
			return nil
		},
	}, opts)
	if err != nil {
		return nil, err
	}
	c.engine = engine
	c.Messages = &MessageService{client: c}
	c.Events = &EventService{client: c}
	c.History = &HistoryService{client: c}
	c.State = &StateService{client: c}
	c.Statuses = &StatusService{client: c}
	return c, nil
}

// NewClientFromEnv is NewClient with the token from AIMYLOGIC_TOKEN and,
// when AIMYLOGIC_BASE_URL is set, that host (options given here win over
// it). An unset AIMYLOGIC_TOKEN is an error matching
// chatbot.ErrNoCredentials that names it.
func NewClientFromEnv(opts ...chatbot.Option) (*Client, error) {
	vals, err := chatbot.FromEnv(EnvToken)
	if err != nil {
		return nil, err
	}
	if base, _ := chatbot.FromEnv(EnvBaseURL); len(base) == 1 {
		opts = append([]chatbot.Option{chatbot.WithBaseURL(base[0])}, opts...)
	}
	return NewClient(vals[0], opts...)
}

// Close releases the idle connections of the transport the client made
// for itself; one passed in with chatbot.WithHTTPClient or
// chatbot.WithTransport is left alone. The client must not be used
// afterwards.
func (c *Client) Close() error {
	c.engine.Close()
	return nil
}

// do sends req and decodes the answer into out (nil to ignore the body).
func (c *Client) do(ctx context.Context, req *rest.Request, out any, opts []chatbot.CallOption) error {
	return c.engine.Do(ctx, req, out, rest.Calls(opts)...)
}

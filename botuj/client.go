package botuj

import (
	"context"
	"fmt"
	"net/http"
	"os"

	chatbot "github.com/chatbot-sdk/chatbot-go"
	"github.com/chatbot-sdk/chatbot-go/internal/rest"
)

// DefaultBaseURL is where botuj.pl serves its API; chatbot.WithBaseURL
// replaces it (with a fake server's URL, say).
const DefaultBaseURL = "https://botuj.pl"

// Environment variables read by NewClientFromEnv.
const (
	// EnvAPIKey holds the account's API key; required.
	EnvAPIKey = "BOTUJ_API_KEY"
	// EnvBaseURL, when set, replaces DefaultBaseURL.
	EnvBaseURL = "BOTUJ_BASE_URL"
)

// check makes this package's validation errors.
var check = rest.Checker{Pkg: "botuj"}

// Client reads one botuj.pl account's conversations and their messages.
// It is safe for concurrent use and reuses connections.
type Client struct {
	// Conversations lists the account's conversations.
	Conversations *ConversationService
	// Messages lists the messages of one conversation.
	Messages *MessageService

	engine *rest.Engine
}

// NewClient returns a client authenticated with the account's API key,
// sent as "Authorization: Bearer <apiKey>" and never shown in an error, a
// log record or a URL. Options are the module's shared chatbot.Option set;
// botuj has no options of its own.
func NewClient(apiKey string, opts ...chatbot.Option) (*Client, error) {
	if err := check.Credential("apiKey", apiKey); err != nil {
		return nil, err
	}
	engine, err := rest.NewEngine(rest.Platform{
		Name:    "botuj",
		BaseURL: DefaultBaseURL,
		Prefix:  []rest.Segment{rest.Lit("v1/api")},
		Header:  http.Header{"Authorization": {"Bearer " + apiKey}},
		Secrets: []string{apiKey},
		Decode:  decodeBody,
		// A page holds at most MaxPageLimit items; no item holds an array.
		MaxItems: MaxPageLimit,
	}, opts)
	if err != nil {
		return nil, err
	}
	c := &Client{engine: engine}
	c.Conversations = &ConversationService{client: c}
	c.Messages = &MessageService{client: c}
	return c, nil
}

// NewClientFromEnv is NewClient with the API key read from BOTUJ_API_KEY,
// and the base URL from BOTUJ_BASE_URL when it is set (options given here
// win over it). An unset or empty BOTUJ_API_KEY is an error matching
// chatbot.ErrNoCredentials that names it.
func NewClientFromEnv(opts ...chatbot.Option) (*Client, error) {
	vals, err := chatbot.FromEnv(EnvAPIKey)
	if err != nil {
		return nil, err
	}
	if base := os.Getenv(EnvBaseURL); base != "" {
		opts = append([]chatbot.Option{chatbot.WithBaseURL(base)}, opts...)
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

// bodyDecoder is a call's decoding target that reads the body itself.
type bodyDecoder interface {
	decodeBody(body []byte) error
}

// decodeBody is the platform's decoder. Every call of the API is a list
// whose envelope is not documented, so each call decodes into a listBody,
// which reads the page leniently; the engine makes any error a
// *chatbot.DecodeError naming the call and quoting the start of the body.
func decodeBody(_ string, body []byte, out any) error {
	d, ok := out.(bodyDecoder)
	if !ok {
		return fmt.Errorf("botuj: no decoder for %T", out) // a call of this package passed the wrong target
	}
	return d.decodeBody(body)
}

// get performs one idempotent GET of a list and returns its page.
func get[T any](ctx context.Context, c *Client, op, path, key string, q ListParams, opts []chatbot.CallOption) (*Page[T], error) {
	out := listBody[T]{key: key}
	req := &rest.Request{Op: op, Method: http.MethodGet, Path: path, Query: q, Idempotent: true}
	if err := c.engine.Do(ctx, req, &out, rest.Calls(opts)...); err != nil {
		return nil, err
	}
	return &Page[T]{Items: out.items, Pagination: out.meta.pagination(q)}, nil
}

// listBody is the decoding target of one list call: key is the resource's
// own list key, items and meta what decodeList found.
type listBody[T any] struct {
	key   string
	items []T
	meta  pageMeta
}

func (l *listBody[T]) decodeBody(body []byte) (err error) {
	l.items, l.meta, err = decodeList[T](body, l.key)
	return err
}

// conversationPath is the path of a conversation's messages, checked
// before any request.
func conversationPath(id ID) (string, error) {
	if id <= 0 {
		return "", check.Invalid("conversationID", fmt.Sprintf("must be a positive conversation id (Conversation.ID), not %d", id))
	}
	return check.Path(rest.Lit("conversation-messages"), rest.ID("conversationID", id.String()))
}

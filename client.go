// Package chatbot is a Go client for chat-bot platform APIs.
//
// Talk to a Chat Thing bot with the channel ID and secret key from
// CHATTHING_CHANNEL_ID and CHATTHING_SECRET_KEY:
//
//	client, err := chatbot.NewClientFromEnv()
//	if err != nil {
//		log.Fatal(err) // names the variables that are not set
//	}
//	defer client.Close()
//	reply, err := client.Conversation("").Send(ctx, "How far away is the Moon?")
//	if err != nil {
//		log.Fatal(err)
//	}
//	fmt.Println(reply.Response)
//
// The package Example runs the same against chatbottest's fake server.
//
// The root package is the client for Chat Thing's "API channel": start and
// continue conversations, stream replies token by token, page through
// conversations and messages, and manage a bot's manual data sources. It
// also holds what every platform package shares: the Option and CallOption
// sets, *APIError and its sentinels, and the server-sent-events reader.
// Packages botyard, aimylogic and botuj cover the other platforms;
// chatbottest has in-memory fake servers of all of them for tests and
// examples.
//
// A Client is safe for concurrent use and reuses connections; Close
// releases them. Every call takes a context first and per-call options
// last; retries follow the policy described in the README and never
// duplicate a message, and an error of a call that was retried says how
// many attempts were made.
//
// Client.Conversation is the handle on one conversation (Send, Stream,
// ListAll). DataSources.Mirror keeps a data source in step with a set of
// documents, and DataSources.SyncAndWait trains the bot on it.
package chatbot

import (
	"net/http"
	"os"

	"github.com/chatbot-sdk/chatbot-go/internal/rest"
)

// DefaultBaseURL is where Chat Thing serves its API.
const DefaultBaseURL = "https://chatthing.ai"

// Version is this SDK's version, as sent in the User-Agent.
const Version = "0.2.0"

// Environment variables read by NewClientFromEnv.
const (
	EnvChannelID = "CHATTHING_CHANNEL_ID"
	EnvSecretKey = "CHATTHING_SECRET_KEY"
	EnvBaseURL   = "CHATTHING_BASE_URL"
)

// check makes this package's validation errors.
var check = rest.Checker{Pkg: "chatbot"}

// Client talks to one Chat Thing API channel.
type Client struct {
	// Chats starts and lists conversations.
	Chats *ChatService
	// Messages sends, continues, streams and lists messages.
	Messages *MessageService
	// DataSources manages the bot's manual data sources and their rows.
	DataSources *DataSourceService

	engine    *rest.Engine
	channelID string
}

// NewClient returns a client for the API channel channelID, authenticated
// with the channel's secret key (sent as X-API-Secret-Key, never logged or
// shown in errors).
func NewClient(channelID, secretKey string, opts ...Option) (*Client, error) {
	if err := check.ID("channelID", channelID); err != nil {
		return nil, err
	}
	if err := check.Credential("secretKey", secretKey); err != nil {
		return nil, err
	}
	engine, err := rest.NewEngine(rest.Platform{
		Name:    "chatbot",
		BaseURL: DefaultBaseURL,
		Prefix:  []rest.Segment{rest.Lit("api/public/channels"), rest.ID("channelID", channelID), rest.Lit("1.0")},
		Header:  http.Header{"X-Api-Secret-Key": {secretKey}},
		Secrets: []string{secretKey},
		Decode:  decodeEnvelope,
		// The API's pages hold at most 100 items; its other answers hold no
		// arrays at all.
		MaxItems: 100,
		Final:    syncBusy,
	}, opts)
	if err != nil {
		return nil, err
	}
	c := &Client{engine: engine, channelID: channelID}
	c.Chats = &ChatService{client: c}
	c.Messages = &MessageService{client: c}
	c.DataSources = &DataSourceService{client: c}
	return c, nil
}

// NewClientFromEnv is NewClient with the channel ID and secret key read
// from CHATTHING_CHANNEL_ID and CHATTHING_SECRET_KEY, and the base URL from
// CHATTHING_BASE_URL when it is set (options given here win over it). An
// unset variable is an error matching ErrNoCredentials that names it.
func NewClientFromEnv(opts ...Option) (*Client, error) {
	vals, err := FromEnv(EnvChannelID, EnvSecretKey)
	if err != nil {
		return nil, err
	}
	if base := os.Getenv(EnvBaseURL); base != "" {
		opts = append([]Option{WithBaseURL(base)}, opts...)
	}
	return NewClient(vals[0], vals[1], opts...)
}

// FromEnv returns the values of the named environment variables, or an
// error matching ErrNoCredentials that names every one that is unset or
// empty. Platform packages use it for their NewClientFromEnv.
func FromEnv(names ...string) ([]string, error) {
	vals := make([]string, len(names))
	var missing []string
	for i, n := range names {
		vals[i] = os.Getenv(n)
		if vals[i] == "" {
			missing = append(missing, n)
		}
	}
	if len(missing) > 0 {
		return nil, &envError{missing: missing}
	}
	return vals, nil
}

// ChannelID returns the API channel this client talks to.
func (c *Client) ChannelID() string { return c.channelID }

// Close releases the idle connections of the transport the client made
// for itself; one passed in with WithHTTPClient or WithTransport is left
// alone. The client must not be used afterwards.
func (c *Client) Close() error {
	c.engine.Close()
	return nil
}

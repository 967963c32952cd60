// Package chatbot is a Go client for chat-bot platform APIs.
//
// The root package is the client for Chat Thing's "API channel": start and
// continue conversations, stream replies token by token, page through
// conversations and messages, and manage a bot's manual data sources. It also
// holds what every platform package shares: the Option set, *APIError and
// its sentinels, and the server-sent-events reader. Package botyard covers
// Botyard's Client API; chatbottest has in-memory fake servers of both
// platforms for tests and examples.
//
// A Client is safe for concurrent use and reuses connections. Every call
// takes a context first; retries follow the policy described in the README
// and never duplicate a message.
package chatbot

import (
	"github.com/chatbot-sdk/chatbot-go/internal/rest"
)

// DefaultBaseURL is where Chat Thing serves its API.
const DefaultBaseURL = "https://chatthing.ai"

// Version is this SDK's version, as sent in the User-Agent.
const Version = "0.1.0"

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
	prefix    string // "/api/public/channels/{channelID}/1.0", escaped
}

// NewClient returns a client for the API channel channelID, authenticated
// with the channel's secret key (sent as X-API-Secret-Key, never logged or
// shown in errors).
func NewClient(channelID, secretKey string, opts ...Option) (*Client, error) {
	if err := rest.CheckID("channelID", channelID); err != nil {
		return nil, err
	}
	if secretKey == "" {
		return nil, &ValidationError{Field: "secretKey", Reason: "must not be empty"}
	}
	cfg := rest.Defaults()
	cfg.BaseURL = DefaultBaseURL
	cfg.Header.Set("X-API-Secret-Key", secretKey)
	cfg.Secrets = append(cfg.Secrets, secretKey)
	for _, o := range opts {
		o(cfg)
	}
	engine, err := rest.New(cfg)
	if err != nil {
		return nil, err
	}
	prefix, err := rest.Path(rest.Lit("api/public/channels"), rest.ID("channelID", channelID), rest.Lit("1.0"))
	if err != nil {
		return nil, err
	}
	c := &Client{engine: engine, channelID: channelID, prefix: prefix}
	c.Chats = &ChatService{client: c}
	c.Messages = &MessageService{client: c}
	c.DataSources = &DataSourceService{client: c}
	return c, nil
}

// ChannelID returns the API channel this client talks to.
func (c *Client) ChannelID() string { return c.channelID }

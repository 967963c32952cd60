// Package botyard is a client for the Client API of Botyard, the
// self-hosted chat-bot platform (github.com/cheatsnake/botyard): the API its
// web client uses to list bots, log in, open chats, send messages with
// attachments and read the bots' replies.
//
// # Sessions
//
// Botyard authenticates with a session token (a JWT in a cookie named
// "token") that Users.Create issues and the server re-issues on every
// authenticated response. The Client keeps the newest one for its server
// only. There is no real login: Users.Create makes a new user every time,
// so an app that wants to stay the same user saves Client.Session and
// passes it to WithSession in its next run. When the session is missing or
// expired, calls fail with an error matching ErrSessionExpired and
// chatbot.ErrUnauthorized.
//
// # Replies
//
// Botyard does not stream: a bot answers later by posting into the chat.
// Messages.WaitForReplies polls for those answers; Messages.All walks a
// whole history oldest first.
//
// Errors are the module's usual ones: *chatbot.APIError (its Message is the
// server's "message"), *chatbot.ValidationError for bad input caught before
// sending, and the transport and decode errors of package chatbot.
package botyard

import (
	"context"
	"net/http"
	"strings"

	"github.com/chatbot-sdk/chatbot-go"
	"github.com/chatbot-sdk/chatbot-go/internal/rest"
)

// apiPrefix is where the Client API lives on a Botyard server.
const apiPrefix = "/v1/client-api"

// Client talks to one Botyard server as one user. It is safe for
// concurrent use; all its calls share the session.
type Client struct {
	// Bots lists the server's bots and their commands.
	Bots *BotService
	// Users logs in (creates a user) and reads the current user.
	Users *UserService
	// Chats opens, lists and deletes chats with bots.
	Chats *ChatService
	// Messages sends messages, pages through a chat and waits for replies.
	Messages *MessageService
	// Files uploads attachments.
	Files *FileService

	engine  *rest.Engine
	session *session
	limits  SizeLimits
}

// NewClient returns a client for the Botyard server at baseURL, such as
// "http://localhost:7007" (Botyard is self-hosted, so there is no default).
// Any path in baseURL is kept as a prefix, for servers behind a proxy.
// Options are the module's shared chatbot.Option set plus WithSession and
// WithSizeLimits. The *http.Client given with chatbot.WithHTTPClient is
// copied, not changed; its Jar is not used (the Client keeps the session).
func NewClient(baseURL string, opts ...chatbot.Option) (*Client, error) {
	if strings.TrimSpace(baseURL) == "" {
		return nil, rest.Invalid("baseURL", "must not be empty: Botyard is self-hosted, give your server's URL")
	}
	cfg := rest.Defaults()
	cfg.BaseURL = baseURL
	for _, o := range opts {
		o(cfg)
	}
	if cfg.OptionErr != nil {
		return nil, cfg.OptionErr
	}
	// Check the URL before the session is scoped to it.
	probe, err := rest.New(cfg)
	if err != nil {
		return nil, err
	}
	token, _ := cfg.Extra[sessionKey].(string)
	s := newSession(probe.BaseURL(), token)
	cfg.HTTPClient = httpClientWithSession(cfg.HTTPClient, s)
	cfg.SecretsFunc = s.secrets
	engine, err := rest.New(cfg)
	if err != nil {
		return nil, err
	}
	limits := DefaultSizeLimits
	if l, ok := cfg.Extra[sizeLimitsKey].(SizeLimits); ok {
		limits = l
	}
	c := &Client{engine: engine, session: s, limits: limits}
	c.Bots = &BotService{client: c}
	c.Users = &UserService{client: c}
	c.Chats = &ChatService{client: c}
	c.Messages = &MessageService{client: c}
	c.Files = &FileService{client: c}
	return c, nil
}

// Session returns the current session token, to save and pass to
// WithSession in a later run; "" before the first login, and again once
// the server has rejected the token (a 401: there is nothing left worth
// saving). It changes after every authenticated call (the server re-issues
// it), so save it late. The token grants access to the user's chats: store
// it as a secret.
func (c *Client) Session() string { return c.session.get() }

// SetSession replaces the session token, for example with one the user
// restored from storage. An empty token logs the client out locally. Calls
// already in flight cannot undo it: a token they bring back later is
// dropped.
func (c *Client) SetSession(token string) { c.session.set(token) }

// ServiceInfo returns the server's name, description and links. It needs
// no session.
func (c *Client) ServiceInfo(ctx context.Context) (*ServiceInfo, error) {
	var out ServiceInfo
	if err := c.get(ctx, "ServiceInfo", "/service-info", nil, &out); err != nil {
		return nil, err
	}
	return &out, nil
}

// FileURL returns the absolute URL of an uploaded file, which anyone can
// fetch without a session. It follows the server's rule (host + "/" +
// path), which holds while the server keeps its default files folder. A
// path prefix in the base URL (a proxy) is kept.
func (c *Client) FileURL(f *File) string {
	return strings.TrimRight(c.engine.BaseURL().String(), "/") + "/" + strings.TrimLeft(f.Path, "/")
}

// get performs an idempotent GET under the API prefix.
func (c *Client) get(ctx context.Context, op, path string, query, out any) error {
	return c.do(ctx, &rest.Request{Op: op, Method: http.MethodGet, Path: path, Query: query, Idempotent: true}, out)
}

// do sends req under the API prefix and turns a 401 into a session error.
func (c *Client) do(ctx context.Context, req *rest.Request, out any) error {
	req.Path = apiPrefix + req.Path
	err := c.engine.Do(ctx, req, out)
	return explainUnauthorized(err)
}

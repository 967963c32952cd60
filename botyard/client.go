// Package botyard is a client for the Client API of Botyard, the
// self-hosted chat-bot platform (github.com/cheatsnake/botyard): the API its
// web client uses to list bots, log in, open chats, send messages with
// attachments and read the bots' replies.
//
// Chatting with a bot of the server at BOTYARD_BASE_URL takes these steps
// (in outline, with the error checks left out; the package Example is the
// whole program, run against chatbottest's fake server):
//
//	client, err := botyard.NewClientFromEnv()
//	defer client.Close()
//	_, err = client.Users.Create(ctx, "alice") // a new user: there is no real login
//	chat, err := client.Chats.Create(ctx, botID) // botID from client.Bots.List
//	sent, err := client.Messages.Send(ctx, &botyard.SendParams{ChatID: chat.ID, Body: "Hello!"})
//	replies, err := client.Messages.WaitForReplies(ctx, chat.ID,
//		&botyard.WaitForRepliesParams{BotID: chat.BotID, After: sent.Timestamp})
//
// # Sessions
//
// Botyard authenticates with a session token (a JWT in a cookie named
// "token") that Users.Create issues and the server re-issues on every
// authenticated response. The Client keeps the newest one for its server
// only. There is no real login: Users.Create makes a new user every time,
// so an app that wants to stay the same user keeps the token: with
// WithSessionStore (FileSessionStore keeps it in a file) the client saves
// every new token as it gets it and restores it in the next run; by hand,
// save Client.Session and pass it to WithSession. WithSession says how
// long a token lives. When the session is missing or expired, calls fail
// with an error matching ErrSessionExpired and chatbot.ErrUnauthorized.
//
// # Replies
//
// Botyard does not stream: a bot answers later by posting into the chat.
// Messages.WaitForReplies polls for those answers; Messages.ListAll walks a
// whole history oldest first.
//
// Errors are the module's usual ones: *chatbot.APIError (its Message is the
// server's "message"), *chatbot.ValidationError for bad input caught before
// sending, and the transport and decode errors of package chatbot.
package botyard

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"strings"

	"github.com/chatbot-sdk/chatbot-go"
	"github.com/chatbot-sdk/chatbot-go/internal/rest"
)

// check makes this package's validation errors.
var check = rest.Checker{Pkg: "botyard"}

// Environment variables read by NewClientFromEnv.
const (
	EnvBaseURL = "BOTYARD_BASE_URL"
	EnvSession = "BOTYARD_SESSION"
)

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

	engine   *rest.Engine
	session  *session
	settings settings
}

// NewClient returns a client for the Botyard server at baseURL, such as
// "http://localhost:7007" (Botyard is self-hosted, so there is no default).
// Any path in baseURL is kept as a prefix, for servers behind a proxy.
// Options are the module's shared chatbot.Option set plus WithSession and
// WithSizeLimits. The *http.Client given with chatbot.WithHTTPClient is
// copied, not changed; its Jar is not used (the Client keeps the session).
func NewClient(baseURL string, opts ...chatbot.Option) (*Client, error) {
	if strings.TrimSpace(baseURL) == "" {
		return nil, check.Invalid("baseURL", "must not be empty: Botyard is self-hosted, give your server's URL")
	}
	c := &Client{settings: settings{limits: DefaultSizeLimits}}
	engine, err := rest.NewEngine(rest.Platform{
		Name:    "botyard",
		BaseURL: baseURL,
		Prefix:  []rest.Segment{rest.Lit("v1/client-api")},
		Transport: func(base *url.URL, next http.RoundTripper) http.RoundTripper {
			c.session = newSession(base, c.settings.session)
			return &sessionTransport{next: next, session: c.session}
		},
		DynamicSecrets: func() []string { return c.session.secrets() },
		// ListAll's last request may ask for two pages of MaxPageLimit.
		MaxItems: 2 * MaxPageLimit,
		Settings: &c.settings,
	}, opts)
	if err != nil {
		return nil, err
	}
	c.engine = engine
	if err := c.useStore(); err != nil {
		return nil, err
	}
	c.Bots = &BotService{client: c}
	c.Users = &UserService{client: c}
	c.Chats = &ChatService{client: c}
	c.Messages = &MessageService{client: c}
	c.Files = &FileService{client: c}
	return c, nil
}

// NewClientFromEnv is NewClient with the server from BOTYARD_BASE_URL and,
// when BOTYARD_SESSION is set, the session restored from it. WithSession
// given here wins over BOTYARD_SESSION, and so does a session store's
// token for the server (WithSessionStore): the store keeps the newest
// token, while the variable holds one saved once, which may since have
// expired. The variable's token is only saved to the store once the
// server re-issues it, and its rejection never deletes the store's token.
// An unset BOTYARD_BASE_URL is an error matching chatbot.ErrNoCredentials
// that names it.
func NewClientFromEnv(opts ...chatbot.Option) (*Client, error) {
	vals, err := chatbot.FromEnv(EnvBaseURL)
	if err != nil {
		return nil, err
	}
	if token := os.Getenv(EnvSession); token != "" {
		opts = append([]chatbot.Option{withEnvSession(token)}, opts...)
	}
	return NewClient(vals[0], opts...)
}

// useStore restores the session from the store given with
// WithSessionStore, unless WithSession gave one, falling back on
// BOTYARD_SESSION (NewClientFromEnv), and makes the session save every
// change to the store.
func (c *Client) useStore() error {
	store := c.settings.store
	if store == nil {
		if c.session.get() == "" {
			c.session.token = c.settings.envSession
		}
		return nil
	}
	origin := c.session.origin()
	if c.session.get() == "" {
		token, err := store.Load(origin)
		if err != nil {
			return fmt.Errorf("botyard: loading the session: %w", err)
		}
		switch {
		case token != "":
			if check.Credential("token", token) != nil {
				return errors.New("botyard: loading the session: the stored token holds control characters")
			}
			// No Save: the store has it already.
			c.session.token, c.session.stored = token, true
		default:
			// Not saved yet: the store must not learn a token the
			// server may reject.
			c.session.token = c.settings.envSession
		}
	}
	log := c.engine.Config().Logger
	redactor := c.engine.Redactor()
	c.session.saver = newSessionSaver(store, origin, func(err error) {
		if log != nil {
			log.Error("botyard: saving the session failed; the next change tries again",
				"error", redactor.Redact(err.Error()))
		}
	})
	return nil
}

// Close releases the idle connections of the transport the client made
// for itself; one passed in with chatbot.WithHTTPClient or
// chatbot.WithTransport is left alone. The client must not be used
// afterwards.
func (c *Client) Close() error {
	c.engine.Close()
	return nil
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
func (c *Client) ServiceInfo(ctx context.Context, opts ...chatbot.CallOption) (*ServiceInfo, error) {
	var out ServiceInfo
	if err := c.get(ctx, "ServiceInfo", "/service-info", nil, &out, opts); err != nil {
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

// get performs an idempotent GET.
func (c *Client) get(ctx context.Context, op, path string, query, out any, opts []chatbot.CallOption) error {
	return c.do(ctx, &rest.Request{Op: op, Method: http.MethodGet, Path: path, Query: query, Idempotent: true}, out, opts)
}

// do sends req and turns a 401 into a session error.
func (c *Client) do(ctx context.Context, req *rest.Request, out any, opts []chatbot.CallOption) error {
	err := c.engine.Do(ctx, req, out, rest.Calls(opts)...)
	return explainUnauthorized(err)
}

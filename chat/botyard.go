package chat

import (
	"context"
	"errors"
	"fmt"
	"iter"
	"sync"
	"time"

	chatbot "github.com/chatbot-sdk/chatbot-go"
	"github.com/chatbot-sdk/chatbot-go/botyard"
	"github.com/chatbot-sdk/chatbot-go/internal/page"
)

// NameBotyard is Botyard's name for FromEnv.
const NameBotyard = "botyard"

// The capabilities of Botyard, checked by the compiler. Botyard does not
// stream: a bot answers by posting later.
var (
	_ Platform      = (*botyardChat)(nil)
	_ Opener        = (*botyardChat)(nil)
	_ Sender        = (*botyardChat)(nil)
	_ HistoryReader = (*botyardChat)(nil)
	_ Lister        = (*botyardChat)(nil)
)

// DefaultNickname is the user Botyard's Start logs in as when the client
// has no session and BotyardOptions names none.
const DefaultNickname = "chatbot-go"

// botyardPage is the page size of a history walk.
const botyardPage = 100

// BotyardOptions tune the Botyard adapter; the zero value (or nil) works.
type BotyardOptions struct {
	// BotID is the bot that Start opens conversations with; "" picks the
	// server's first bot.
	BotID string
	// Nickname is the user Start creates and logs in as when the client
	// has no session; "" means DefaultNickname. Botyard has no real login:
	// every such Start makes a new user (see botyard.UserService.Create).
	Nickname string
	// MinPoll and MaxPoll bound the pause between the polls with which
	// Send waits for the bot's reply; zero takes the defaults of
	// botyard.MessageService.WaitForReplies.
	MinPoll, MaxPoll time.Duration
}

// botyardChat adapts a Botyard client. A conversation is a chat with one
// bot, and a reply is told from the user's messages by its sender, which
// is the chat's bot; so the adapter remembers each chat it has seen.
type botyardChat struct {
	c    *botyard.Client
	opts BotyardOptions

	loginMu sync.Mutex // held while Start logs in, so that it logs in once

	mu    sync.Mutex
	chats map[string]botyard.Chat // by chat ID
}

// Botyard returns client as a Platform that is an Opener, a Sender, a
// HistoryReader and a Lister (Botyard does not stream). Message.Raw holds a
// botyard.MessageItem and Conversation.Raw a botyard.Chat. Close closes
// client.
//
// Send waits for the bot's first reply (and returns the replies that came
// with it) until ctx ends, so give ctx a deadline: a bot may never answer.
// Two Sends in one conversation at once may each see the other's replies.
// Resume, and a first Send or History in a conversation the adapter has
// not seen, look for the chat among the user's chats with each bot.
func Botyard(client *botyard.Client, opts *BotyardOptions) Platform {
	p := &botyardChat{c: client, chats: map[string]botyard.Chat{}}
	if opts != nil {
		p.opts = *opts
	}
	if p.opts.Nickname == "" {
		p.opts.Nickname = DefaultNickname
	}
	return p
}

// Name returns "botyard".
func (p *botyardChat) Name() string { return NameBotyard }

// Close closes the client.
func (p *botyardChat) Close() error { return p.c.Close() }

// Start opens a chat with the configured bot, logging in first when the
// client has no session.
func (p *botyardChat) Start(ctx context.Context) (*Conversation, error) {
	if err := p.login(ctx); err != nil {
		return nil, err
	}
	botID := p.opts.BotID
	if botID == "" {
		bots, err := p.c.Bots.List(ctx)
		if err != nil {
			return nil, err
		}
		if len(bots) == 0 {
			return nil, fmt.Errorf("chat: botyard: the server has no bots: %w", chatbot.ErrNotFound)
		}
		botID = bots[0].ID
	}
	c, err := p.c.Chats.Create(ctx, botID)
	if err != nil {
		return nil, err
	}
	p.remember(*c)
	return &Conversation{ID: c.ID, Raw: *c}, nil
}

// login creates the user named by Nickname when the client has no session.
func (p *botyardChat) login(ctx context.Context) error {
	p.loginMu.Lock()
	defer p.loginMu.Unlock()
	if p.c.Session() != "" {
		return nil
	}
	_, err := p.c.Users.Create(ctx, p.opts.Nickname)
	return err
}

// Resume finds the chat among the user's chats.
func (p *botyardChat) Resume(ctx context.Context, conversationID string) (*Conversation, error) {
	c, err := p.chat(ctx, conversationID)
	if err != nil {
		return nil, err
	}
	return &Conversation{ID: c.ID, Raw: c}, nil
}

// Send posts text and waits for the bot's reply.
func (p *botyardChat) Send(ctx context.Context, conversationID, text string) (*Reply, error) {
	if err := checkMessage(conversationID, text); err != nil {
		return nil, err
	}
	c, err := p.chat(ctx, conversationID)
	if err != nil {
		return nil, err
	}
	sent, err := p.c.Messages.Send(ctx, &botyard.SendParams{ChatID: c.ID, Body: text})
	if err != nil {
		return nil, err
	}
	items, err := p.c.Messages.WaitForReplies(ctx, c.ID, &botyard.WaitForRepliesParams{
		BotID: c.BotID, After: sent.Timestamp, MinInterval: p.opts.MinPoll, MaxInterval: p.opts.MaxPoll,
	})
	if err != nil {
		return nil, err
	}
	reply := &Reply{Messages: make([]Message, len(items))}
	for i, m := range items {
		reply.Messages[i] = botyardMessage(c, m)
	}
	return reply, nil
}

// History walks the chat oldest first.
func (p *botyardChat) History(ctx context.Context, conversationID string) iter.Seq2[Message, error] {
	if err := check.ID("conversationID", conversationID); err != nil {
		return page.Fail[Message](err)
	}
	return func(yield func(Message, error) bool) {
		c, err := p.chat(ctx, conversationID)
		if err != nil {
			yield(Message{}, err)
			return
		}
		msgs := p.c.Messages.ListAll(ctx, c.ID, &botyard.HistoryParams{Limit: botyardPage})
		for m, err := range mapSeq(msgs, func(m botyard.MessageItem) Message { return botyardMessage(c, m) }) {
			if !yield(m, err) {
				return
			}
		}
	}
}

// Conversations lists the user's chats with each of the server's bots, bot
// by bot. Botyard has no listing of all of a user's chats. A bot deleted
// while the listing runs is skipped.
func (p *botyardChat) Conversations(ctx context.Context) iter.Seq2[Conversation, error] {
	return func(yield func(Conversation, error) bool) {
		bots, err := p.c.Bots.List(ctx)
		if err != nil {
			yield(Conversation{}, err)
			return
		}
		for _, b := range bots {
			chats, err := p.c.Chats.List(ctx, b.ID)
			if errors.Is(err, chatbot.ErrNotFound) {
				continue
			}
			if err != nil {
				yield(Conversation{}, err)
				return
			}
			for _, c := range chats {
				p.remember(c)
				if !yield(Conversation{ID: c.ID, Raw: c}, nil) {
					return
				}
			}
		}
	}
}

// chat returns the chat conversationID, from memory or by listing.
func (p *botyardChat) chat(ctx context.Context, conversationID string) (botyard.Chat, error) {
	if err := check.ID("conversationID", conversationID); err != nil {
		return botyard.Chat{}, err
	}
	p.mu.Lock()
	c, ok := p.chats[conversationID]
	p.mu.Unlock()
	if ok {
		return c, nil
	}
	for conv, err := range p.Conversations(ctx) {
		if err != nil {
			return botyard.Chat{}, err
		}
		if conv.ID == conversationID {
			return conv.Raw.(botyard.Chat), nil
		}
	}
	return botyard.Chat{}, fmt.Errorf("chat: botyard: conversation %q is not one of the user's chats: %w", conversationID, chatbot.ErrNotFound)
}

// remember keeps c for later lookups.
func (p *botyardChat) remember(c botyard.Chat) {
	p.mu.Lock()
	p.chats[c.ID] = c
	p.mu.Unlock()
}

// botyardMessage converts a message of chat c.
func botyardMessage(c botyard.Chat, m botyard.MessageItem) Message {
	role := RoleUser
	if m.SenderID == c.BotID {
		role = RoleBot
	}
	return Message{ID: m.ID, ConversationID: c.ID, Role: role, Text: m.Body, Time: m.Time(), Raw: m}
}

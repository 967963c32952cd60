package botyard

import (
	"context"
	"github.com/chatbot-sdk/chatbot-go"

	"github.com/chatbot-sdk/chatbot-go/internal/rest"
)

// BotService lists the server's bots and their commands.
type BotService struct{ client *Client }

// List returns every bot on the server, in the order they were created.
// It needs no session.
func (s *BotService) List(ctx context.Context, opts ...chatbot.CallOption) ([]Bot, error) {
	var out []Bot
	if err := s.client.get(ctx, "Bots.List", "/bots", nil, &out, opts); err != nil {
		return nil, err
	}
	return out, nil
}

// Get returns one bot. It needs no session. An unknown or deleted bot is an
// *chatbot.APIError matching chatbot.ErrNotFound.
func (s *BotService) Get(ctx context.Context, botID string, opts ...chatbot.CallOption) (*Bot, error) {
	p, err := check.Path(rest.Lit("bot"), rest.ID("botID", botID))
	if err != nil {
		return nil, err
	}
	var out Bot
	if err := s.client.get(ctx, "Bots.Get", p, nil, &out, opts); err != nil {
		return nil, err
	}
	return &out, nil
}

// Commands returns the commands a bot understands. Unlike the other bot
// calls it needs a session.
func (s *BotService) Commands(ctx context.Context, botID string, opts ...chatbot.CallOption) ([]Command, error) {
	p, err := check.Path(rest.Lit("bot"), rest.ID("botID", botID), rest.Lit("commands"))
	if err != nil {
		return nil, err
	}
	var out []Command
	if err := s.client.get(ctx, "Bots.Commands", p, nil, &out, opts); err != nil {
		return nil, err
	}
	return out, nil
}

package botyard

import (
	"context"
	"errors"
	"fmt"
	"net/http"

	"github.com/chatbot-sdk/chatbot-go"
	"github.com/chatbot-sdk/chatbot-go/internal/rest"
)

// MaxChatsPerBot is how many chats the server lets one user have with one
// bot.
const MaxChatsPerBot = 10

// ChatService opens, lists and deletes the current user's chats.
type ChatService struct{ client *Client }

// Create opens a new chat with a bot. The server does not check that the
// bot exists, so the client does not either; an unknown bot simply never
// answers. The server refuses an eleventh chat with the same bot
// (chatbot.ErrBadRequest).
func (s *ChatService) Create(ctx context.Context, botID string, opts ...chatbot.CallOption) (*Chat, error) {
	if err := check.ID("botID", botID); err != nil {
		return nil, err
	}
	var out Chat
	req := newJSONRequest("Chats.Create", http.MethodPost, "/chat", struct {
		BotID string `json:"botId"`
	}{botID})
	if err := s.client.do(ctx, req, &out, opts); err != nil {
		return nil, err
	}
	return &out, nil
}

// List returns the current user's chats with one bot, oldest first. The
// server has no "all my chats" listing, so botID is required; for a bot
// that no longer exists it answers chatbot.ErrNotFound even when chats with
// it remain.
func (s *ChatService) List(ctx context.Context, botID string, opts ...chatbot.CallOption) ([]Chat, error) {
	if err := check.ID("botID", botID); err != nil {
		return nil, err
	}
	var out []Chat
	q := struct {
		BotID string `url:"bot_id"`
	}{botID}
	if err := s.client.get(ctx, "Chats.List", "/chats", q, &out, opts); err != nil {
		return nil, err
	}
	return out, nil
}

// Get returns one of the current user's chats by its ID, with the ID of
// its bot, which WaitForReplies needs: an app that kept only a chat's ID
// (with the session, across runs) gets the rest back. The server has
// neither a call for one chat nor one listing all of a user's chats, so
// Get lists the bots and then the user's chats with each until it finds
// chatID: one call for the bots and one for each bot it looks through.
// When you know the bot, List(ctx, botID) is a single call.
//
// A chat it does not find (another user's, a deleted one, or one whose bot
// the server no longer lists) is an error matching chatbot.ErrNotFound.
func (s *ChatService) Get(ctx context.Context, chatID string, opts ...chatbot.CallOption) (*Chat, error) {
	if err := check.ID("chatID", chatID); err != nil {
		return nil, err
	}
	bots, err := s.client.Bots.List(ctx, opts...)
	if err != nil {
		return nil, err
	}
	for _, bot := range bots {
		chats, err := s.List(ctx, bot.ID, opts...)
		if errors.Is(err, chatbot.ErrNotFound) {
			continue // the bot was deleted after Bots.List answered
		}
		if err != nil {
			return nil, err
		}
		for i := range chats {
			if chats[i].ID == chatID {
				return &chats[i], nil
			}
		}
	}
	return nil, fmt.Errorf("botyard: Chats.Get: chat %q is not among the current user's chats with the server's %d bots: %w",
		chatID, len(bots), chatbot.ErrNotFound)
}

// Delete removes a chat and its messages (uploaded files stay). Another
// user's chat is chatbot.ErrForbidden; an unknown one chatbot.ErrNotFound.
func (s *ChatService) Delete(ctx context.Context, chatID string, opts ...chatbot.CallOption) error {
	p, err := check.Path(rest.Lit("chat"), rest.ID("chatID", chatID))
	if err != nil {
		return err
	}
	// Not marked idempotent: a retry after the server acted would report
	// ErrNotFound for a delete that worked.
	req := &rest.Request{Op: "Chats.Delete", Method: http.MethodDelete, Path: p}
	return s.client.do(ctx, req, &okMessage{}, opts)
}

// newJSONRequest builds a request that creates something: not idempotent,
// so it is retried only when the server cannot have acted on it.
func newJSONRequest(op, method, path string, body any) *rest.Request {
	return &rest.Request{Op: op, Method: method, Path: path, JSON: body}
}

// invalid reports bad caller input as a *chatbot.ValidationError.
func invalid(field, reason string) error { return check.Invalid(field, reason) }

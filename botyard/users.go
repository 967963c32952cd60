package botyard

import (
	"context"
	"fmt"
	"github.com/chatbot-sdk/chatbot-go"
	"net/http"
)

// Nickname limits the server applies (its defaults, counted in bytes).
const (
	MinNicknameLength = 3
	MaxNicknameLength = 32
)

// UserService creates users and reads the current one.
type UserService struct{ client *Client }

// Create is Botyard's "login": it creates a NEW user with nickname and
// makes the client act as that user (the server sets the session token).
// It creates a new user every time it is called, even for a nickname that
// is already taken: there is no way to log back in as an earlier user
// except by restoring its saved token (Client.Session, WithSession). A
// nickname is 3 to 32 bytes of ASCII letters, digits, spaces and dashes;
// others are rejected before sending. It needs no session.
func (s *UserService) Create(ctx context.Context, nickname string, opts ...chatbot.CallOption) (*User, error) {
	if err := checkNickname(nickname); err != nil {
		return nil, err
	}
	var out User
	req := newJSONRequest("Users.Create", http.MethodPost, "/user", struct {
		Nickname string `json:"nickname"`
	}{nickname})
	// The new user's token replaces the session even if calls made as the
	// previous user answer later.
	if err := s.client.do(asLogin(ctx), req, &out, opts); err != nil {
		return nil, err
	}
	return &out, nil
}

// Current returns the user the session belongs to. A session whose user no
// longer exists is an *chatbot.APIError matching chatbot.ErrNotFound.
func (s *UserService) Current(ctx context.Context, opts ...chatbot.CallOption) (*User, error) {
	var out User
	if err := s.client.get(ctx, "Users.Current", "/user", nil, &out, opts); err != nil {
		return nil, err
	}
	return &out, nil
}

// checkNickname applies the server's rules, in its order.
func checkNickname(n string) error {
	switch {
	case len(n) < MinNicknameLength:
		return invalid("nickname", fmt.Sprintf("must be at least %d characters long", MinNicknameLength))
	case len(n) > MaxNicknameLength:
		return invalid("nickname", fmt.Sprintf("must not be longer than %d characters", MaxNicknameLength))
	}
	for _, r := range n {
		ok := r == ' ' || r == '-' || ('a' <= r && r <= 'z') || ('A' <= r && r <= 'Z') || ('0' <= r && r <= '9')
		if !ok {
			return invalid("nickname", fmt.Sprintf("must contain only English letters, digits, spaces and dashes (found %q)", r))
		}
	}
	return nil
}

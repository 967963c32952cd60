package chat

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/chatbot-sdk/chatbot-go/internal/rest"
)

// check makes this package's validation errors ("chat: invalid …").
var check = rest.Checker{Pkg: "chat"}

// checkMessage refuses what no platform accepts before anything is sent:
// no conversation, or nothing to say.
func checkMessage(conversationID, text string) error {
	if err := check.ID("conversationID", conversationID); err != nil {
		return err
	}
	if strings.TrimSpace(text) == "" {
		return check.Invalid("text", "must not be empty")
	}
	return nil
}

// Send posts text in a conversation of p and returns the bot's reply,
// streamed when p is a Streamer and waited for when it is only a Sender.
// onDelta, when not nil, gets the reply's text as it arrives: each delta of
// a stream, or the whole text at once. A streamed reply is one message with
// no ID and no time.
//
// A platform that can do neither is an error matching errors.ErrUnsupported.
// A stream that fails part-way returns the error; onDelta has seen the text
// that arrived.
func Send(ctx context.Context, p Platform, conversationID, text string, onDelta func(delta string)) (*Reply, error) {
	if onDelta == nil {
		onDelta = func(string) {}
	}
	switch p := p.(type) {
	case Streamer:
		var b strings.Builder
		for delta, err := range p.Stream(ctx, conversationID, text) {
			if err != nil {
				return nil, err
			}
			b.WriteString(delta)
			onDelta(delta)
		}
		return &Reply{Messages: []Message{{ConversationID: conversationID, Role: RoleBot, Text: b.String()}}}, nil
	case Sender:
		reply, err := p.Send(ctx, conversationID, text)
		if err != nil {
			return nil, err
		}
		onDelta(reply.Text())
		return reply, nil
	default:
		return nil, fmt.Errorf("chat: %s cannot send messages: %w", p.Name(), errors.ErrUnsupported)
	}
}

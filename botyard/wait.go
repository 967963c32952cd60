package botyard

import (
	"context"
	"fmt"
	"time"

	"github.com/chatbot-sdk/chatbot-go/internal/rest"
)

// WaitParams tunes WaitForReplies.
type WaitParams struct {
	// BotID is the bot whose messages count as replies (Chat.BotID);
	// required.
	BotID string
	// Count is how many replies to wait for, at most 100; 0 means 1.
	Count int
	// MinInterval and MaxInterval bound the wait between polls, which
	// doubles from MinInterval (with jitter) up to MaxInterval. The
	// defaults are 300ms and 5s.
	MinInterval, MaxInterval time.Duration
}

// Polling defaults of WaitForReplies.
const (
	defaultMinPoll = 300 * time.Millisecond
	defaultMaxPoll = 5 * time.Second
	// waitPageLimit is the page size of a poll: replies beyond it are
	// picked up by the next WaitForReplies call.
	waitPageLimit = 100
)

// WaitForReplies waits until the bot has posted Count messages after sent
// (the message the user just sent) and returns them, oldest first; it may
// return more than Count when several arrive together. Botyard has no
// streaming, so it polls the message list for the bot's messages newer than
// sent, with a growing pause between polls, the way the official web
// client does. A bot message stamped in the same millisecond as sent counts
// as a reply. It stops when ctx ends, returning the replies seen so far
// with ctx's error; give ctx a deadline, since a bot may never answer.
func (s *MessageService) WaitForReplies(ctx context.Context, sent *Message, p *WaitParams) ([]MessageItem, error) {
	if sent == nil {
		return nil, invalid("sent", "must not be nil")
	}
	if err := rest.CheckID("sent.ChatID", sent.ChatID); err != nil {
		return nil, err
	}
	if sent.Timestamp <= 0 {
		// Without it every bot message of the chat would count as a reply.
		return nil, invalid("sent.Timestamp", "must be set: pass the message Send returned")
	}
	if p == nil {
		return nil, invalid("params", "must not be nil: BotID is required")
	}
	if err := rest.CheckID("BotID", p.BotID); err != nil {
		return nil, err
	}
	w := *p
	if w.Count < 0 || w.Count > waitPageLimit {
		return nil, invalid("Count", fmt.Sprintf("must be between 1 and %d (0 for 1)", waitPageLimit))
	}
	if w.Count == 0 {
		w.Count = 1
	}
	w.MinInterval, w.MaxInterval = w.intervals()
	// since is exclusive and has millisecond resolution: ask from the
	// millisecond before, so a reply stamped with sent's millisecond counts.
	q := &ListParams{Limit: waitPageLimit, SenderID: w.BotID, Since: max(sent.Timestamp-1, 0)}
	var replies []MessageItem
	for attempt := 0; ; attempt++ {
		res, err := s.List(ctx, sent.ChatID, q)
		if err != nil {
			return replies, err
		}
		replies = res.Messages
		if len(replies) >= w.Count {
			return replies, nil
		}
		t := time.NewTimer(rest.ExponentialJitter(w.MinInterval, w.MaxInterval, attempt))
		select {
		case <-ctx.Done():
			t.Stop()
			return replies, ctx.Err()
		case <-t.C:
		}
	}
}

// intervals returns the bounds of the pause between polls, with the
// defaults in place of values left out.
func (w *WaitParams) intervals() (lo, hi time.Duration) {
	lo, hi = w.MinInterval, w.MaxInterval
	if lo <= 0 {
		lo = defaultMinPoll
	}
	if hi < lo {
		hi = max(defaultMaxPoll, lo)
	}
	return lo, hi
}

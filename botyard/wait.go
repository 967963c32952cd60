package botyard

import (
	"context"
	"fmt"
	"github.com/chatbot-sdk/chatbot-go"
	"time"

	"github.com/chatbot-sdk/chatbot-go/internal/rest"
)

// WaitForRepliesParams says what WaitForReplies waits for.
type WaitForRepliesParams struct {
	// BotID is the bot whose messages count as replies (Chat.BotID);
	// required.
	BotID string
	// After is the Timestamp of the message the user sent (Message.Timestamp
	// as Send returned it); replies are the bot's messages from that
	// millisecond on. Required: without it every bot message of the chat
	// would count as a reply.
	After int64
	// Count is how many replies to wait for, at most 100; 0 means 1.
	Count int
	// MinInterval and MaxInterval bound the wait between polls, which
	// doubles from MinInterval (with jitter) up to MaxInterval. A zero
	// value takes its default (300ms and 5s), without going past the
	// other value when that one is given.
	MinInterval, MaxInterval time.Duration
}

// Polling defaults of WaitForReplies.
const (
	defaultMinPoll = 300 * time.Millisecond
	defaultMaxPoll = 5 * time.Second
	// waitPageLimit is the page size of a poll, and the most replies
	// Count may ask for.
	waitPageLimit = 100
)

// WaitForReplies waits until the bot has posted Count messages in chatID
// after the message the user just sent (p.After) and returns them, oldest first; it may
// return more than Count when several arrive together. Botyard has no
// streaming, so it polls the message list for the bot's messages newer than
// the sent message, with a growing pause between polls, the way the
// official web client does. A bot message stamped in the same millisecond
// as the sent one counts as a reply. It stops when ctx ends, returning the replies seen so far
// with ctx's error; give ctx a deadline, since a bot may never answer.
//
// The replies returned are always the oldest ones: all of them up to 200,
// and at least the oldest 100 when more are waiting. Read any further ones
// with ListAll, from the last reply's Timestamp.
func (s *MessageService) WaitForReplies(ctx context.Context, chatID string, p *WaitForRepliesParams, opts ...chatbot.CallOption) ([]MessageItem, error) {
	if err := check.ID("chatID", chatID); err != nil {
		return nil, err
	}
	if p == nil {
		return nil, invalid("params", "must not be nil: BotID and After are required")
	}
	if p.After <= 0 {
		return nil, invalid("After", "must be set: pass the Timestamp of the message Send returned")
	}
	if err := check.ID("BotID", p.BotID); err != nil {
		return nil, err
	}
	w := *p
	if w.Count < 0 || w.Count > waitPageLimit {
		return nil, invalid("Count", fmt.Sprintf("must be between 1 and %d (0 for 1)", waitPageLimit))
	}
	if w.Count == 0 {
		w.Count = 1
	}
	if err := w.checkIntervals(); err != nil {
		return nil, err
	}
	w.MinInterval, w.MaxInterval = w.intervals()
	// since is exclusive and has millisecond resolution: ask from the
	// millisecond before, so a reply stamped with sent's millisecond counts.
	since := p.After - 1
	var replies []MessageItem
	for attempt := 0; ; attempt++ {
		// The oldest replies, whatever their number: page 1 alone would
		// hold only the newest 100.
		oldest := &oldestReader{op: "Messages.WaitForReplies", fetchPage: s.pager(opts), chatID: chatID, size: waitPageLimit, senderID: w.BotID}
		got, _, err := oldest.fetch(ctx, since)
		if err != nil {
			return replies, err
		}
		replies = got
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

// checkIntervals rejects poll bounds that cannot both hold.
func (w *WaitForRepliesParams) checkIntervals() error {
	switch {
	case w.MinInterval < 0 || w.MaxInterval < 0:
		return invalid("MinInterval", "intervals must not be negative")
	case w.MaxInterval > 0 && w.MaxInterval < w.MinInterval:
		return invalid("MaxInterval", fmt.Sprintf("is %s, less than MinInterval (%s)", w.MaxInterval, w.MinInterval))
	}
	return nil
}

// intervals returns the bounds of the pause between polls, with defaults
// in place of zero values; a default never goes past a bound the caller
// gave.
func (w *WaitForRepliesParams) intervals() (lo, hi time.Duration) {
	lo, hi = w.MinInterval, w.MaxInterval
	if lo <= 0 {
		lo = defaultMinPoll
		if hi > 0 {
			lo = min(lo, hi)
		}
	}
	if hi <= 0 {
		hi = max(defaultMaxPoll, lo)
	}
	return lo, hi
}

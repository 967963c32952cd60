package chatbottest

import (
	"fmt"
	"regexp"
	"strings"
)

// ChatThingBot computes the bot's reply to message, sent in conversation
// conversationID. The server calls it without holding its lock, possibly
// from several goroutines at once.
//
// The default bot is deterministic: a message mentioning the Moon gets the
// reference's documented answer (so a streamed reply matches the
// documented sample chunk for chunk), one mentioning planets gets the
// documented planets answer, and anything else is echoed back as
// `You said: "<message>"`.
type ChatThingBot func(conversationID, message string) string

// The documented example answers the default bot knows.
const (
	moonAnswer    = "The average distance from the Earth to the Moon is about 238,855 miles (384,400 kilometers)."
	planetsAnswer = "There are eight planets in the solar system."
)

func defaultChatThingBot(_, message string) string {
	lower := strings.ToLower(message)
	switch {
	case strings.Contains(lower, "moon"):
		return moonAnswer
	case strings.Contains(lower, "planets"):
		return planetsAnswer
	}
	return fmt.Sprintf("You said: %q", message)
}

// SetBot replaces the bot for the messages that follow; nil restores the
// default bot.
func (c *ChatThing) SetBot(bot ChatThingBot) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.state.bot = bot
}

// QueueReplies scripts the next replies: each message sent (streamed or
// not) takes the next queued reply, in order, before the bot is asked
// again. Greetings are not affected.
func (c *ChatThing) QueueReplies(replies ...string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.state.queued = append(c.state.queued, replies...)
}

// nextReply pops a queued reply, or returns the bot to ask. c.mu is held.
func (c *ChatThing) nextReply() (reply string, bot ChatThingBot) {
	if len(c.state.queued) > 0 {
		reply = c.state.queued[0]
		c.state.queued = c.state.queued[1:]
		return reply, nil
	}
	if c.state.bot != nil {
		return "", c.state.bot
	}
	return "", c.cfg.bot
}

// tokenPattern splits a reply the way the reference's sample stream is
// split: words with their leading space (" average"), runs of digits
// ("238"), punctuation with an optional leading space (" (", ")."), and
// any other whitespace on its own (the lone " " before "238"). Every
// character belongs to exactly one token, so the tokens join back into the
// reply.
var tokenPattern = regexp.MustCompile(` ?\pL+| ?[^\s\pL\pN]+|\pN+|\s+`)

// tokens splits reply into the content deltas of a stream.
func tokens(reply string) []string { return tokenPattern.FindAllString(reply, -1) }

package chatbottest

import (
	"net/http"
	"strings"
	"time"
)

// ctReply is the documented answer of start-conversation and message.
type ctReply struct {
	Success        bool   `json:"success"`
	ConversationID string `json:"conversationId"`
	Response       string `json:"response"`
}

// startConversation: POST …/conversation, no body. The conversation opens
// with the bot's greeting, which is also its first message.
func (c *ChatThing) startConversation(w http.ResponseWriter, r *http.Request) {
	c.handle(w, r, nil, func(now time.Time) (any, error) {
		conv := c.state.addConversation(now)
		c.state.addMessage(conv, "assistant", c.cfg.greeting, now)
		return ctReply{Success: true, ConversationID: conv.id, Response: c.cfg.greeting}, nil
	})
}

// sendMessage: POST …/message, {conversationId?, message, stream?}. Without
// a conversationId it starts a conversation (the one-off mode). The
// reference's one-off section names the field "response", which its other
// sections contradict; the fake requires "message".
func (c *ChatThing) sendMessage(w http.ResponseWriter, r *http.Request) {
	var in struct {
		ConversationID string `json:"conversationId"`
		Message        string `json:"message"`
		Stream         bool   `json:"stream"`
	}
	if err := decodeChatThingBody(r, &in); err != nil {
		c.writeError(w, http.StatusBadRequest, err.Error())
		return
	}
	if strings.TrimSpace(in.Message) == "" {
		c.writeError(w, http.StatusBadRequest, `"message" is required`)
		return
	}

	now := time.Now()
	c.mu.Lock()
	conv := c.state.convByID[in.ConversationID]
	switch {
	case conv == nil && in.ConversationID != "":
		c.mu.Unlock()
		c.writeError(w, http.StatusNotFound, "conversation not found")
		return
	case conv == nil:
		conv = c.state.addConversation(now)
	}
	reply, bot := c.nextReply()
	c.mu.Unlock()
	if bot != nil {
		reply = bot(conv.id, in.Message)
	}

	// The user message and the reply are stored together, so concurrent
	// sends to one conversation never interleave a question with another's
	// answer.
	c.mu.Lock()
	c.state.addMessage(conv, "user", in.Message, now)
	c.state.addMessage(conv, "assistant", reply, now)
	replyID := conv.messages[len(conv.messages)-1].id
	var fault *streamFault
	if in.Stream {
		fault = c.state.popStreamFault()
	}
	c.mu.Unlock()

	if in.Stream {
		c.streamReply(w, r, replyID, reply, now, fault)
		return
	}
	writeJSON(w, http.StatusOK, ctReply{Success: true, ConversationID: conv.id, Response: reply})
}

// listConversations: POST …/conversations, {limit?, cursor?}.
func (c *ChatThing) listConversations(w http.ResponseWriter, r *http.Request) {
	type item struct {
		ID             string `json:"id"`
		CreatedAt      string `json:"createdAt"`
		InitialMessage string `json:"initialMessage"`
	}
	var in ctListParams
	c.handle(w, r, &in, func(time.Time) (any, error) {
		convs, pg, err := ctPage(&c.state, c.state.conversations, in)
		if err != nil {
			return nil, err
		}
		items := make([]item, len(convs))
		for i, conv := range convs {
			items[i] = item{conv.id, timestamp(conv.createdAt), conv.initialMessage()}
		}
		return struct {
			Success       bool         `json:"success"`
			Conversations []item       `json:"conversations"`
			Pagination    ctPagination `json:"pagination"`
		}{true, items, pg}, nil
	})
}

// listMessages: POST …/messages, {conversationId, limit?, cursor?}, oldest
// first as in the documented example.
func (c *ChatThing) listMessages(w http.ResponseWriter, r *http.Request) {
	type item struct {
		ID        string `json:"id"`
		Message   string `json:"message"`
		Role      string `json:"role"`
		CreatedAt string `json:"createdAt"`
	}
	var in struct {
		ConversationID string `json:"conversationId"`
		ctListParams
	}
	c.handle(w, r, &in, func(time.Time) (any, error) {
		if in.ConversationID == "" {
			return nil, badRequest(`"conversationId" is required`)
		}
		conv := c.state.convByID[in.ConversationID]
		if conv == nil {
			return nil, notFound("conversation not found")
		}
		msgs, pg, err := ctPage(&c.state, conv.messages, in.ctListParams)
		if err != nil {
			return nil, err
		}
		items := make([]item, len(msgs))
		for i, m := range msgs {
			items[i] = item{m.id, m.text, m.role, timestamp(m.createdAt)}
		}
		return struct {
			Success    bool         `json:"success"`
			Messages   []item       `json:"messages"`
			Pagination ctPagination `json:"pagination"`
		}{true, items, pg}, nil
	})
}

package chatbottest

import (
	"context"
	"encoding/json"
	"fmt"
	"time"
)

// AimylogicRequest is a request an Aimylogic fake received, as its
// request log (Requests, CountRequests) keeps it. Path is the whole URL
// path with the token segment shown as "{token}"
// ("/chatapi/{token}/events"), whether or not the token was the
// channel's.
type AimylogicRequest = Request

// AimylogicMessage is a message of a client's history, as History returns
// it.
type AimylogicMessage struct {
	// QuestionID is the message's ID: a client request's is the
	// questionId its send returned; the bot's answer to it has an ID of
	// its own, which the status calls take.
	QuestionID string
	// Author is "CLIENT", "BOT" or "OPERATOR" (a live agent).
	Author string
	// Text is the client's query, the bot's answer text or the agent's
	// text.
	Text string
	// Event is the event a client request raised, if it was one.
	Event string
	// CID is the connection the request came from, if it said.
	CID string
	// Status is the message's status: a client request is DELIVERED, and
	// a bot or agent message starts as SENT.
	Status string
	// Time is when the server took the request or the answer was ready.
	Time time.Time
	// Replies are the bot's or agent's reply objects, as JSON.
	Replies json.RawMessage
}

// History returns a client's messages, oldest first (nil for a client the
// fake has not seen).
func (a *Aimylogic) History(clientID string) []AimylogicMessage {
	var out []AimylogicMessage
	a.withClient(clientID, func(c *alClient) {
		out = make([]AimylogicMessage, len(c.messages))
		for i, m := range c.messages {
			out[i] = AimylogicMessage{
				QuestionID: m.id, Author: m.author, Text: m.text, Event: m.event,
				CID: m.cid, Status: m.status, Time: m.at,
			}
			if m.replies != nil {
				out[i].Replies, _ = json.Marshal(m.replies)
			}
		}
	})
	return out
}

// State returns the state a client saved, as it was sent; ok is false
// when it saved none.
func (a *Aimylogic) State(clientID string) (state json.RawMessage, ok bool) {
	a.withClient(clientID, func(c *alClient) { state = append(json.RawMessage(nil), c.state...) })
	return state, state != nil
}

// Deliveries returns the webhook delivery attempts made so far, in the
// order they ended.
func (a *Aimylogic) Deliveries() []AimylogicDelivery {
	a.mu.Lock()
	defer a.mu.Unlock()
	return append([]AimylogicDelivery(nil), a.state.deliveries...)
}

// WaitDeliveries waits until at least n webhook delivery attempts have
// ended (with an answer or an error) and returns them all, in the order
// they ended. It returns early with the attempts so far and an error when
// ctx ends or the fake is closed.
func (a *Aimylogic) WaitDeliveries(ctx context.Context, n int) ([]AimylogicDelivery, error) {
	for {
		a.mu.Lock()
		done := append([]AimylogicDelivery(nil), a.state.deliveries...)
		more := a.state.delivered
		a.mu.Unlock()
		if len(done) >= n {
			return done, nil
		}
		select {
		case <-more:
		case <-ctx.Done():
			return done, fmt.Errorf("chatbottest: %d of %d webhook deliveries: %w", len(done), n, ctx.Err())
		case <-a.closing:
			return done, fmt.Errorf("chatbottest: %d of %d webhook deliveries: the fake is closed", len(done), n)
		}
	}
}

// AddEvents has n requests of a client answered as if another page of the
// client had sent them: each a query "message 1", "message 2", … without a
// connection ID, answered by the bot at once. Each answer is a botResponse
// event (so a poll with all=true sees it) and a pair of history messages;
// nothing goes to the webhook. It returns the requests' IDs, oldest
// first. Use it to fill a poll: 250 events or more make a full answer.
func (a *Aimylogic) AddEvents(clientID string, n int) []string {
	ids := make([]string, 0, max(n, 0))
	for i := 1; i <= n; i++ {
		req := AimylogicQuery{ClientID: clientID, Query: fmt.Sprintf("message %d", i)}
		p, _, _ := a.take(req)
		_, id, _ := a.commit(p, a.cfg.bot(req))
		ids = append(ids, id)
	}
	return ids
}

// AddAgentReply has a live agent write text to a client, and returns the
// message's ID. The reply is an event of type "operatorReply" (the fake's
// name: the real one is not documented) that every poll of the client
// sees, a history message by "OPERATOR", and a webhook delivery, as the
// documentation lists an agent's reply among the webhook's triggers.
func (a *Aimylogic) AddAgentReply(clientID, text string) string {
	a.mu.Lock()
	id, body := a.state.agentReply(clientID, text)
	webhook := a.state.webhook
	a.mu.Unlock()
	a.deliver(body, id, webhook)
	return id
}

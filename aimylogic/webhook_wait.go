package aimylogic

import (
	"context"
	"fmt"
	"sync"

	chatbot "github.com/chatbot-sdk/chatbot-go"
)

// SendAndWait sends p asynchronously (SendAsync) and waits for its result
// to reach hook, the handler serving this channel's webhook, until ctx
// ends. Other results reaching hook meanwhile go where they always go.
//
// hook must be the handler that receives this channel's deliveries in
// this process: the pairing lives in its memory. Behind a load balancer
// that spreads deliveries over several instances, the result may reach
// another instance and the wait ends only with ctx; there, use SendAsync
// and pair results with WebhookResult.QuestionID yourself (through shared
// storage).
//
// The webhook may deliver the result before SendAsync has returned its ID.
// So, while the send is in flight, hook holds back the deliveries for
// p.ClientID (up to its DeliveryTimeout) until it knows which result to
// hand over here; deliveries for other clients are not delayed.
//
// When the send fails, its error is returned. When ctx ends after the send
// succeeded, the error is a *WaitError that holds the request's ID; a
// result that arrives later goes to hook's OnResult or Results.
func (s *MessageService) SendAndWait(ctx context.Context, hook *WebhookHandler, p *SendParams, opts ...chatbot.CallOption) (*WebhookResult, error) {
	switch {
	case hook == nil:
		return nil, invalid("hook", "must not be nil")
	case hook.tokenSum != s.client.tokenSum:
		return nil, invalid("hook", "serves another channel: its token differs from this client's")
	}
	if err := p.Validate(); err != nil {
		return nil, err
	}
	hook.pairs.begin(p.ClientID)
	sent, err := s.SendAsync(ctx, p, opts...)
	var id string
	if err == nil {
		id = sent.QuestionID
	}
	waiter := hook.pairs.end(p.ClientID, id)
	if err != nil {
		return nil, err
	}
	select {
	case res := <-waiter:
		return res, nil
	case <-ctx.Done():
		if res := hook.pairs.forget(id, waiter); res != nil {
			return res, nil // it came just as ctx ended
		}
		return nil, &WaitError{QuestionID: id, Err: context.Cause(ctx)}
	}
}

// WaitError is SendAndWait's error when the request was accepted but its
// result had not reached the webhook when the context ended. Err is the
// context's error: errors.Is(err, context.DeadlineExceeded) works.
type WaitError struct {
	// QuestionID is the ID SendAsync returned; the result, when it comes,
	// goes to the handler's OnResult or Results with this ID.
	QuestionID string
	Err        error
}

// Error names the request and why the wait ended.
func (e *WaitError) Error() string {
	return fmt.Sprintf("aimylogic: Messages.SendAndWait: no webhook result for request %q: %v", e.QuestionID, e.Err)
}

// Unwrap returns the context's error.
func (e *WaitError) Unwrap() error { return e.Err }

// pairing matches webhook results with the SendAndWait calls waiting for
// them. A call first says a send for its client is in flight (begin),
// then turns that into a wait for the ID the send returned (end).
type pairing struct {
	mu      sync.Mutex
	waiters map[string]chan *WebhookResult // by question ID
	sending map[string]int                 // client ID → sends without an ID yet
	changed chan struct{}                  // closed (and replaced) when a send ends
}

// begin notes a send for clientID whose ID is not known yet.
func (p *pairing) begin(clientID string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.sending == nil {
		p.sending = map[string]int{}
	}
	p.sending[clientID]++
}

// end notes that the send for clientID is over and, when it returned a
// question ID, returns the channel its result will come on.
func (p *pairing) end(clientID, questionID string) chan *WebhookResult {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.sending[clientID]--; p.sending[clientID] <= 0 {
		delete(p.sending, clientID)
	}
	var waiter chan *WebhookResult
	if questionID != "" {
		if p.waiters == nil {
			p.waiters = map[string]chan *WebhookResult{}
		}
		waiter = make(chan *WebhookResult, 1)
		p.waiters[questionID] = waiter
	}
	if p.changed != nil {
		close(p.changed)
		p.changed = nil
	}
	return waiter
}

// forget stops waiting for questionID and returns a result that was
// handed over meanwhile, if any.
func (p *pairing) forget(questionID string, waiter chan *WebhookResult) *WebhookResult {
	p.mu.Lock()
	if p.waiters[questionID] == waiter {
		delete(p.waiters, questionID)
	}
	p.mu.Unlock()
	select {
	case res := <-waiter:
		return res
	default:
		return nil
	}
}

// handOver gives res to the SendAndWait call waiting for it and reports
// whether there was one. While a send of res's client has no ID yet, it
// waits for that send to end (res may be its result), or for ctx. The
// result goes into the waiter's buffer under the lock, so that forget
// either finds it there or keeps it from being handed over.
func (p *pairing) handOver(ctx context.Context, res *WebhookResult) (bool, error) {
	for {
		p.mu.Lock()
		if waiter, ok := p.waiters[res.QuestionID]; ok && res.QuestionID != "" {
			delete(p.waiters, res.QuestionID)
			waiter <- res // its buffer holds one, and only this result goes there
			p.mu.Unlock()
			return true, nil
		}
		if res.ClientID == "" || p.sending[res.ClientID] == 0 {
			p.mu.Unlock()
			return false, nil
		}
		if p.changed == nil {
			p.changed = make(chan struct{})
		}
		changed := p.changed
		p.mu.Unlock()
		select {
		case <-changed:
		case <-ctx.Done():
			return false, ctx.Err()
		}
	}
}

package aimylogic

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// blocked reports whether some handOver waits for a send to end.
func (p *pairing) blocked() bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.changed != nil
}

func TestPairingHoldsAResultUntilTheSendEnds(t *testing.T) {
	var p pairing
	p.begin("u")
	res := &WebhookResult{Response: Response{ClientID: "u", QuestionID: "q"}}
	handed := make(chan bool)
	go func() {
		ok, err := p.handOver(context.Background(), res)
		assert.NoError(t, err)
		handed <- ok
	}()
	require.Eventually(t, p.blocked, 5*time.Second, time.Millisecond, "the delivery waits for the send")

	// Another client's result is not held.
	ok, err := p.handOver(context.Background(), &WebhookResult{Response: Response{ClientID: "v", QuestionID: "q"}})
	require.NoError(t, err)
	assert.False(t, ok)

	waiter := p.end("u", "q")
	assert.True(t, <-handed)
	assert.Same(t, res, <-waiter)
	assert.Empty(t, p.waiters, "a handed-over waiter is forgotten")
	assert.Empty(t, p.sending)
}

func TestPairingReleasesResultsOfAFailedSend(t *testing.T) {
	var p pairing
	p.begin("u")
	p.begin("u") // two sends of one client in flight
	res := &WebhookResult{Response: Response{ClientID: "u", QuestionID: "agent-1"}}
	handed := make(chan bool)
	go func() {
		ok, err := p.handOver(context.Background(), res)
		assert.NoError(t, err)
		handed <- ok
	}()
	require.Eventually(t, p.blocked, 5*time.Second, time.Millisecond)
	assert.Nil(t, p.end("u", ""), "the first send failed")
	waiter := p.end("u", "q-2")
	assert.False(t, <-handed, "no send waits for agent-1: it goes to the sink")
	assert.Empty(t, waiter)
	assert.Nil(t, p.forget("q-2", waiter))
	assert.Empty(t, p.waiters)
}

func TestPairingGivesUpWithTheDelivery(t *testing.T) {
	var p pairing
	p.begin("u")
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	ok, err := p.handOver(ctx, &WebhookResult{Response: Response{ClientID: "u", QuestionID: "q"}})
	assert.False(t, ok)
	require.ErrorIs(t, err, context.Canceled)
}

func TestPairingForgetKeepsAResultHandedOverMeanwhile(t *testing.T) {
	var p pairing
	p.begin("u")
	waiter := p.end("u", "q")
	res := &WebhookResult{Response: Response{ClientID: "u", QuestionID: "q"}}
	ok, err := p.handOver(context.Background(), res)
	require.NoError(t, err)
	require.True(t, ok)
	assert.Same(t, res, p.forget("q", waiter))
}

package aimylogic_test

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	chatbot "github.com/chatbot-sdk/chatbot-go"
	"github.com/chatbot-sdk/chatbot-go/aimylogic"
	"github.com/chatbot-sdk/chatbot-go/internal/testkit"
)

// asyncSend is a SendAsync of "hi" for clientID answered with questionID;
// then, when set, runs while the server holds its answer.
func asyncSend(clientID, questionID string, then func()) testkit.Exchange {
	return testkit.Exchange{
		Method: http.MethodPost, Path: root + "/async", JSON: `{"clientId":"` + clientID + `","query":"hi"}`,
		Check: func(testing.TB, *testkit.Request) {
			if then != nil {
				then()
			}
		},
		Reply: testkit.Reply{Body: `{"questionId":"` + questionID + `"}`},
	}
}

func TestSendAndWaitResultAfterTheSend(t *testing.T) {
	h, rec, _ := callbackHandler(t)
	c, _ := replay(t, asyncSend("u", "q-1", nil))
	done := make(chan *aimylogic.WebhookResult)
	go func() {
		res, err := c.Messages.SendAndWait(context.Background(), h, &aimylogic.SendParams{ClientID: "u", Query: "hi"})
		assert.NoError(t, err)
		done <- res
	}()
	// The platform delivers (and, getting no answer in time, would
	// deliver again) until the waiting call has its result; deliveries
	// that come before the call began are normal results.
	tick := time.NewTicker(time.Millisecond)
	defer tick.Stop()
	var res *aimylogic.WebhookResult
	for res == nil {
		select {
		case res = <-done:
		case <-tick.C:
			require.Equal(t, http.StatusOK, deliver(h, result("u", "q-1", "the answer")).Code)
		}
	}
	assert.Equal(t, "q-1", res.QuestionID)
	assert.Equal(t, "the answer", res.Data.Answer)
	for _, other := range rec.results() {
		assert.Equal(t, "q-1", other.QuestionID)
	}
}

func TestSendAndWaitResultBeforeTheSendReturns(t *testing.T) {
	// The platform posts the result while the async call's answer is
	// still on its way: the handler holds that delivery until it knows
	// the ID, and another client's delivery is not held.
	h, rec, _ := callbackHandler(t)
	early := make(chan int, 1)
	c, _ := replay(t, asyncSend("u", "q-1", func() {
		assert.Equal(t, http.StatusOK, deliver(h, result("someone else", "q-9", "agent reply")).Code)
		go func() { early <- deliver(h, result("u", "q-1", "fast answer")).Code }()
	}))
	res, err := c.Messages.SendAndWait(context.Background(), h, &aimylogic.SendParams{ClientID: "u", Query: "hi"})
	require.NoError(t, err)
	assert.Equal(t, "fast answer", res.Data.Answer)
	assert.Equal(t, http.StatusOK, <-early)
	got := rec.results()
	require.Len(t, got, 1, "the early result went to the waiting call only")
	assert.Equal(t, "q-9", got[0].QuestionID)
}

func TestSendAndWaitGivesUpWithItsContext(t *testing.T) {
	h, rec, _ := callbackHandler(t)
	c, _ := replay(t, asyncSend("u", "q-1", nil))
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer cancel()
	res, err := c.Messages.SendAndWait(ctx, h, &aimylogic.SendParams{ClientID: "u", Query: "hi"})
	assert.Nil(t, res)
	var we *aimylogic.WaitError
	require.ErrorAs(t, err, &we)
	assert.Equal(t, "q-1", we.QuestionID)
	require.ErrorIs(t, err, context.DeadlineExceeded)
	assert.Contains(t, err.Error(), `aimylogic: Messages.SendAndWait: no webhook result for request "q-1"`)

	// The late result is a normal result now.
	require.Equal(t, http.StatusOK, deliver(h, result("u", "q-1", "late")).Code)
	got := rec.results()
	require.Len(t, got, 1)
	assert.Equal(t, "late", got[0].Data.Answer)
}

func TestSendAndWaitSendFailure(t *testing.T) {
	h, rec, _ := callbackHandler(t)
	c, _ := replay(t, testkit.Exchange{
		Method: http.MethodPost, Path: root + "/async", JSON: `{"clientId":"u","query":"hi"}`,
		Reply: testkit.Reply{Status: http.StatusBadRequest, Body: "Invalid request payload"},
	})
	_, err := c.Messages.SendAndWait(context.Background(), h, &aimylogic.SendParams{ClientID: "u", Query: "hi"})
	require.ErrorIs(t, err, chatbot.ErrBadRequest)
	// Nothing is left waiting: the client's deliveries are not held.
	require.Equal(t, http.StatusOK, deliver(h, result("u", "q", "x")).Code)
	assert.Len(t, rec.results(), 1)
}

func TestSendAndWaitChecksItsArguments(t *testing.T) {
	c, srv := replay(t)
	other, err := aimylogic.NewWebhookHandler("another channel", nil)
	require.NoError(t, err)
	mine, err := aimylogic.NewWebhookHandler(token, nil)
	require.NoError(t, err)
	for name, call := range map[string]func() error{
		"nil hook": func() error {
			_, err := c.Messages.SendAndWait(context.Background(), nil, &aimylogic.SendParams{ClientID: "u", Query: "x"})
			return err
		},
		"other channel": func() error {
			_, err := c.Messages.SendAndWait(context.Background(), other, &aimylogic.SendParams{ClientID: "u", Query: "x"})
			return err
		},
		"bad params": func() error {
			_, err := c.Messages.SendAndWait(context.Background(), mine, &aimylogic.SendParams{ClientID: "u"})
			return err
		},
	} {
		var ve *chatbot.ValidationError
		assert.ErrorAs(t, call(), &ve, name)
	}
	assert.Empty(t, srv.Requests())
}

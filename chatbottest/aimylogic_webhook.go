package chatbottest

import (
	"bytes"
	"io"
	"net/http"
	"time"
)

// webhookTimeout bounds one delivery attempt, so that a receiver that
// never answers cannot hold a delivery for longer.
const webhookTimeout = 10 * time.Second

// maxWebhookAnswer is how much of a receiver's answer the fake reads
// (and throws away) before it closes the response.
const maxWebhookAnswer = 64 << 10

// AimylogicDelivery is one attempt to deliver a result to the webhook, as
// Deliveries lists it.
type AimylogicDelivery struct {
	// URL is the webhook URL the attempt went to.
	URL string
	// QuestionID is the ID of the result delivered: the request's for a
	// bot answer, the message's for a live agent's reply.
	QuestionID string
	// Body is the JSON posted: an array holding the one result.
	Body []byte
	// Attempt counts the tries of this delivery from 1.
	Attempt int
	// Status is the receiver's status; 0 when no answer came.
	Status int
	// Err is the transport error when no answer came, else "".
	Err string
}

// Delivered reports whether the attempt got a 2xx answer.
func (d AimylogicDelivery) Delivered() bool { return d.Status >= 200 && d.Status < 300 }

// deliver posts a result to the webhook, as the real channel does for an
// asynchronous request, an answer that came too late for a sync send, and
// a live agent's reply. What the documentation leaves open is assumed: a
// POST of a JSON array holding the one result, with Content-Type
// application/json and no signature, where any 2xx counts as delivered.
// A failed attempt (a transport error or another status) is tried again
// after a pause that doubles each time, as many times as
// WithAimylogicWebhookRetries allows. Every attempt runs on its own
// goroutine, scheduled through the core so that Close drops the attempts
// still waiting and cancels the one under way. A webhook of "" delivers
// nothing.
func (a *Aimylogic) deliver(result []byte, questionID, webhook string) {
	if webhook == "" {
		return
	}
	body := make([]byte, 0, len(result)+2)
	body = append(append(append(body, '['), result...), ']')
	a.attempt(AimylogicDelivery{URL: webhook, QuestionID: questionID, Body: body, Attempt: 1}, 0)
}

// attempt schedules try d after delay, and the next try if it fails.
func (a *Aimylogic) attempt(d AimylogicDelivery, delay time.Duration) {
	a.after(delay, func() {
		d.Status, d.Err = a.post(d.URL, d.Body)
		a.mu.Lock()
		a.state.deliveries = append(a.state.deliveries, d)
		close(a.state.delivered)
		a.state.delivered = make(chan struct{})
		a.mu.Unlock()
		if d.Delivered() || d.Attempt > a.cfg.retries || a.deliveryCtx.Err() != nil {
			return
		}
		next := d
		next.Attempt, next.Status, next.Err = d.Attempt+1, 0, ""
		a.attempt(next, a.cfg.retryDelay<<(d.Attempt-1))
	})
}

// post sends one delivery and returns the receiver's status, or the
// transport error's text.
func (a *Aimylogic) post(url string, body []byte) (status int, errText string) {
	req, err := http.NewRequestWithContext(a.deliveryCtx, http.MethodPost, url, bytes.NewReader(body))
	if err != nil {
		return 0, err.Error()
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := a.webhookClient.Do(req)
	if err != nil {
		return 0, err.Error()
	}
	defer resp.Body.Close()
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, maxWebhookAnswer))
	return resp.StatusCode, ""
}

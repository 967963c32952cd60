package chatbottest

import (
	"encoding/json"
	"net/http"
	"time"
)

// send is the synchronous send: POST {root}/{token} with a JSON body.
func (a *Aimylogic) send(w http.ResponseWriter, r *http.Request) {
	if req, ok := a.readSend(w, r); ok {
		a.syncSend(w, r, req)
	}
}

// simpleSend is the simplified send: GET {root}/{token} with clientId,
// query or event, and (an assumption) cid in the query string. It answers
// like the synchronous send.
func (a *Aimylogic) simpleSend(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	req := AimylogicQuery{ClientID: q.Get("clientId"), Query: q.Get("query"), Event: q.Get("event"), CID: q.Get("cid")}
	if !validSend(req) {
		alText(w, http.StatusBadRequest, alBadPayload)
		return
	}
	a.syncSend(w, r, req)
}

// syncSend takes the request, lets the bot answer and answers with the
// result. A slow bot (SetSlowBot) gets 408 at once, and its answer is
// recorded and delivered to the webhook later, after the bot delay.
// Otherwise the send waits out the bot delay first; a client that leaves
// meanwhile loses only the response, as the bot answers all the same.
func (a *Aimylogic) syncSend(w http.ResponseWriter, r *http.Request, req AimylogicQuery) {
	p, delay, slow := a.take(req)
	ans := a.cfg.bot(req)
	if slow {
		alText(w, http.StatusRequestTimeout, alTimeout)
		a.answerLater(delay, p, ans)
		return
	}
	a.wait(r, delay)
	body, _, _ := a.commit(p, ans)
	writeJSON(w, http.StatusOK, json.RawMessage(body))
}

// sendAsync is the asynchronous send: POST {root}/{token}/async. It
// answers with the request's ID only, as {"questionId": …} (the shape is
// an assumption), and the result goes to the webhook after the bot delay.
func (a *Aimylogic) sendAsync(w http.ResponseWriter, r *http.Request) {
	req, ok := a.readSend(w, r)
	if !ok {
		return
	}
	p, delay, _ := a.take(req)
	ans := a.cfg.bot(req)
	writeJSON(w, http.StatusOK, struct {
		QuestionID string `json:"questionId"`
	}{p.questionID})
	a.answerLater(delay, p, ans)
}

// take accepts a request and reads the bot's settings for it.
func (a *Aimylogic) take(req AimylogicQuery) (p *alPending, delay time.Duration, slow bool) {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.state.accept(req), a.state.botDelay, a.state.slow
}

// commit records the bot's answer and returns the result object with its
// ID and the webhook URL to deliver it to.
func (a *Aimylogic) commit(p *alPending, ans AimylogicAnswer) (body []byte, questionID, webhook string) {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.state.answer(p, ans), p.questionID, a.state.webhook
}

// answerLater records the answer after delay and delivers it to the
// webhook; Close drops it if it has not happened yet.
func (a *Aimylogic) answerLater(delay time.Duration, p *alPending, ans AimylogicAnswer) {
	a.after(delay, func() {
		a.deliver(a.commit(p, ans))
	})
}

package chatbottest

import (
	"encoding/json"
	"fmt"
	"time"
)

// aimylogicState is everything the fake remembers; Aimylogic.mu guards it.
type aimylogicState struct {
	token     string // echoed in every response, as the real service does
	blockForm bool

	webhook  string
	botDelay time.Duration
	slow     bool

	ids     int       // the last message ID handed out
	last    time.Time // the newest timestamp handed out
	clients map[string]*alClient
	// changed is closed (and replaced) whenever an event is added, to wake
	// the events polls that are waiting.
	changed chan struct{}
	// deliveries are the webhook attempts that ended; delivered is closed
	// (and replaced) whenever one is added.
	deliveries []AimylogicDelivery
	delivered  chan struct{}
}

// alClient is one end user: their messages, events, state and session.
type alClient struct {
	messages []*alMessage // the history, oldest first
	byID     map[string]*alMessage
	events   []alEvent // oldest first; times strictly increase
	// cursor is how many of events the client's polls have been past:
	// where a poll without ts starts ("every event since the client's
	// previous request").
	cursor    int
	state     json.RawMessage // nil: nothing saved
	inSession bool
}

// Authors of history messages, as JAICP's chat-history schema names them.
const (
	alAuthorClient   = "CLIENT"
	alAuthorBot      = "BOT"
	alAuthorOperator = "OPERATOR"
)

// alMessage is one message of a client's history.
type alMessage struct {
	id, author string
	text       string // the query, the answer or the agent's text
	event      string // the event a client request raised
	cid        string
	status     string
	at         time.Time
	replies    []AimylogicReply
}

// Event types. Only botResponse is known from a working client; the name
// of a live agent's reply is the fake's invention.
const (
	alEventBot   = "botResponse"
	alEventAgent = "operatorReply"
)

// alEvent is one event of a client's chat.
type alEvent struct {
	typ     string
	at      time.Time
	cid     string // the connection whose request caused it ("" for an agent)
	payload json.RawMessage
}

// alResponse is a result object, as the sync send returns it, the webhook
// delivers it and a botResponse event carries it; its fields are in the
// documented example's order.
type alResponse struct {
	Token      string `json:"token"`
	ClientID   string `json:"clientId"`
	QuestionID string `json:"questionId"`
	CID        string `json:"cid,omitempty"`
	Data       alData `json:"data"`
	Timestamp  string `json:"timestamp"`
	BlockForm  bool   `json:"blockForm"`
}

// alData is a result's "data": the bot's answer.
type alData struct {
	NLPClass          string           `json:"nlpClass"`
	Confidence        float64          `json:"confidence"`
	Replies           []AimylogicReply `json:"replies"`
	Answer            string           `json:"answer"`
	NewSessionStarted bool             `json:"newSessionStarted"`
	DebugData         []any            `json:"debugData"`
	EndSession        bool             `json:"endSession"`
}

// alWireTime is how the service writes timestamps: UTC, milliseconds, no
// offset.
const alWireTime = "2006-01-02T15:04:05.000"

func newAimylogicState(cfg aimylogicConfig) aimylogicState {
	return aimylogicState{
		token:     cfg.token,
		blockForm: cfg.blockForm,
		webhook:   cfg.webhook,
		clients:   map[string]*alClient{},
		changed:   make(chan struct{}),
		delivered: make(chan struct{}),
	}
}

// newID returns the next message ID. The real service hands out UUIDs;
// these have the form of one but count up from 1, so that runs repeat.
func (s *aimylogicState) newID() string {
	s.ids++
	return fmt.Sprintf("00000000-0000-4000-8000-%012d", s.ids)
}

// stamp returns the time now to the millisecond, strictly later than any
// time it returned before: events keep their order by time, and a ts taken
// from one event never matches a different one.
func (s *aimylogicState) stamp() time.Time {
	now := time.Now().UTC().Truncate(time.Millisecond)
	if !now.After(s.last) {
		now = s.last.Add(time.Millisecond)
	}
	s.last = now
	return now
}

// client returns the client with this ID, creating it.
func (s *aimylogicState) client(id string) *alClient {
	c := s.clients[id]
	if c == nil {
		c = &alClient{byID: map[string]*alMessage{}}
		s.clients[id] = c
	}
	return c
}

// withClient runs f with the fake's lock held when it has a client with
// this ID, and reports whether it had one. It leaves the clients as they
// are: reading about a client the fake has not seen creates none.
func (a *Aimylogic) withClient(id string, f func(c *alClient)) bool {
	a.mu.Lock()
	defer a.mu.Unlock()
	c := a.state.clients[id]
	if c != nil {
		f(c)
	}
	return c != nil
}

// addMessage appends m to the client's history.
func (c *alClient) addMessage(m *alMessage) {
	c.messages = append(c.messages, m)
	c.byID[m.id] = m
}

// addEvent appends an event to the client's chat and wakes the polls.
func (s *aimylogicState) addEvent(c *alClient, ev alEvent) {
	c.events = append(c.events, ev)
	close(s.changed)
	s.changed = make(chan struct{})
}

// alPending is a client request the server has taken, waiting for the
// bot's answer.
type alPending struct {
	req        AimylogicQuery
	questionID string
	newSession bool
}

// accept takes a client request: it gets its ID and joins the history.
func (s *aimylogicState) accept(req AimylogicQuery) *alPending {
	c := s.client(req.ClientID)
	p := &alPending{req: req, questionID: s.newID(), newSession: !c.inSession}
	c.inSession = true
	c.addMessage(&alMessage{
		id: p.questionID, author: alAuthorClient, text: req.Query, event: req.Event,
		cid: req.CID, status: "DELIVERED", at: s.stamp(),
	})
	return p
}

// answer records the bot's answer to p (a bot message in the history, a
// botResponse event) and returns the result object.
func (s *aimylogicState) answer(p *alPending, ans AimylogicAnswer) []byte {
	c := s.client(p.req.ClientID)
	if ans.EndSession {
		c.inSession = false
	}
	replies := ans.Replies
	if replies == nil {
		replies = []AimylogicReply{}
	}
	at := s.stamp()
	text := answerText(replies)
	body, _ := json.Marshal(alResponse{
		Token: s.token, ClientID: p.req.ClientID, QuestionID: p.questionID, CID: p.req.CID,
		Data: alData{
			NLPClass: ans.NLPClass, Confidence: ans.Confidence, Replies: replies, Answer: text,
			NewSessionStarted: p.newSession, DebugData: []any{}, EndSession: ans.EndSession,
		},
		Timestamp: at.Format(alWireTime), BlockForm: s.blockForm,
	})
	c.addMessage(&alMessage{id: s.newID(), author: alAuthorBot, text: text, cid: p.req.CID, status: "SENT", at: at, replies: replies})
	s.addEvent(c, alEvent{typ: alEventBot, at: at, cid: p.req.CID, payload: body})
	return body
}

// agentReply records a live agent's text to a client and returns the
// result object, shaped like a bot's.
func (s *aimylogicState) agentReply(clientID, text string) (id string, body []byte) {
	c := s.client(clientID)
	at := s.stamp()
	replies := []AimylogicReply{aimylogicText(text, "")}
	m := &alMessage{id: s.newID(), author: alAuthorOperator, text: text, status: "SENT", at: at, replies: replies}
	c.addMessage(m)
	body, _ = json.Marshal(alResponse{
		Token: s.token, ClientID: clientID, QuestionID: m.id,
		Data:      alData{Replies: replies, Answer: text, DebugData: []any{}},
		Timestamp: at.Format(alWireTime), BlockForm: s.blockForm,
	})
	s.addEvent(c, alEvent{typ: alEventAgent, at: at, payload: body})
	return m.id, body
}

package aimylogic

import (
	"context"
	"net/http"

	chatbot "github.com/chatbot-sdk/chatbot-go"
	"github.com/chatbot-sdk/chatbot-go/internal/rest"
)

// SendParams is a client request: a text query or an event, on behalf of
// one end user. The synchronous send waits for the bot's Response; the
// asynchronous send returns an AsyncResult and delivers the Response to
// the channel's webhook.
type SendParams struct {
	// ClientID identifies the end user (and their dialogue); required.
	// The integrator chooses it; it is shown in the Aimylogic "Dialogs"
	// section. At most MaxIDBytes, without "/", "?", "#", "%" or control
	// characters, because the same ID is used in the paths of the
	// history, state and status calls.
	ClientID string `json:"clientId"`
	// Query is the user's text. Exactly one of Query and Event is set.
	Query string `json:"query,omitempty"`
	// Event is the name of an event to raise in the bot's script instead
	// of a text query.
	Event string `json:"event,omitempty"`
	// CID is an optional connection ID: any string naming one browser
	// tab or app session, so that the events call can tell connections
	// apart.
	CID string `json:"cid,omitempty"`
	// Data is extra data for the bot's script. Only a third-party client
	// is known to send it; the API documentation does not name it.
	Data map[string]any `json:"data,omitempty"`
}

// Validate checks the parameters before anything is sent: a valid
// ClientID, exactly one of Query and Event, and a valid CID if set.
func (p *SendParams) Validate() error {
	if p == nil {
		return invalid("params", "must not be nil")
	}
	return checkSend(p.ClientID, p.Query, p.Event, p.CID)
}

// SimpleSendParams is a client request for the simplified send call,
// which carries its parameters in the query string (GET) and answers with
// a Response like the synchronous send.
type SimpleSendParams struct {
	// ClientID identifies the end user; required, with the same rules as
	// SendParams.ClientID.
	ClientID string `url:"clientId"`
	// Query is the user's text. Exactly one of Query and Event is set.
	Query string `url:"query,omitempty"`
	// Event is the name of an event to raise instead of a text query.
	Event string `url:"event,omitempty"`
	// CID is an optional connection ID. The documentation names only
	// clientId, query and event for this call; whether the server reads
	// cid here is not known.
	CID string `url:"cid,omitempty"`
}

// Validate checks the parameters before anything is sent: a valid
// ClientID, exactly one of Query and Event, and a valid CID if set.
func (p *SimpleSendParams) Validate() error {
	if p == nil {
		return invalid("params", "must not be nil")
	}
	return checkSend(p.ClientID, p.Query, p.Event, p.CID)
}

// checkSend is the rule both sends share: a valid ClientID, exactly one
// of query and event, and a valid CID if set.
func checkSend(clientID, query, event, cid string) error {
	if err := checkID("ClientID", clientID); err != nil {
		return err
	}
	if err := checkQueryOrEvent(query, event); err != nil {
		return err
	}
	return checkOptionalID("CID", cid)
}

// MessageService sends client requests to the bot. Get it from
// Client.Messages.
type MessageService struct{ client *Client }

// Send sends a text query or an event on behalf of p.ClientID and waits
// for the bot's Response (POST /chatapi/{token}). A bot that takes too
// long makes the server answer 408, an *chatbot.APIError. A send is never
// repeated after the server may have acted on it (see the README's retry
// policy), so a bot never sees the same message twice.
func (s *MessageService) Send(ctx context.Context, p *SendParams, opts ...chatbot.CallOption) (*Response, error) {
	return s.respond(ctx, p.Validate, &rest.Request{Op: "Messages.Send", Method: http.MethodPost, JSON: p}, opts)
}

// SendSimple sends a request with the simplified call, which carries its
// parameters in the query string (GET /chatapi/{token}?clientId=…), and
// returns the bot's Response like Send. It takes no extra Data.
func (s *MessageService) SendSimple(ctx context.Context, p *SimpleSendParams, opts ...chatbot.CallOption) (*Response, error) {
	return s.respond(ctx, p.Validate, &rest.Request{Op: "Messages.SendSimple", Method: http.MethodGet, Query: p}, opts)
}

// respond validates with validate, sends req and decodes the bot's
// Response, the shared end of both synchronous sends.
func (s *MessageService) respond(ctx context.Context, validate func() error, req *rest.Request, opts []chatbot.CallOption) (*Response, error) {
	if err := validate(); err != nil {
		return nil, err
	}
	var out Response
	if err := s.client.do(ctx, req, &out, opts); err != nil {
		return nil, err
	}
	return &out, nil
}

// SendAsync sends a request without waiting for the bot
// (POST /chatapi/{token}/async) and returns only its ID; the bot's
// Response goes to the webhook set in the channel's settings, where
// WebhookResult.QuestionID matches it. SendAndWait pairs the two for you.
func (s *MessageService) SendAsync(ctx context.Context, p *SendParams, opts ...chatbot.CallOption) (*AsyncResult, error) {
	if err := p.Validate(); err != nil {
		return nil, err
	}
	var out AsyncResult
	req := &rest.Request{Op: "Messages.SendAsync", Method: http.MethodPost, Path: "/async", JSON: p}
	if err := s.client.do(ctx, req, &out, opts); err != nil {
		return nil, err
	}
	return &out, nil
}

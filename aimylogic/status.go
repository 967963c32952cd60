package aimylogic

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"

	chatbot "github.com/chatbot-sdk/chatbot-go"
	"github.com/chatbot-sdk/chatbot-go/internal/rest"
)

// MessageStatus is the delivery status of a bot message. The set is open:
// decoding keeps values the SDK does not know; setting a status accepts
// only the constants.
type MessageStatus string

// Message statuses. The Chat API documentation lists the first four; the
// platform's own status list adds StatusNotDelivered.
const (
	StatusSent         MessageStatus = "SENT"
	StatusDelivered    MessageStatus = "DELIVERED"
	StatusRead         MessageStatus = "READ"
	StatusNotSent      MessageStatus = "NOT_SENT"
	StatusNotDelivered MessageStatus = "NOT_DELIVERED"
)

// Known reports whether s is one of the constants.
func (s MessageStatus) Known() bool {
	switch s {
	case StatusSent, StatusDelivered, StatusRead, StatusNotSent, StatusNotDelivered:
		return true
	}
	return false
}

// checkStatus refuses a status the SDK does not know: the server's answer
// to one is not documented, and a typo should fail before it is sent.
func checkStatus(field string, s MessageStatus) error {
	if !s.Known() {
		return invalid(field, fmt.Sprintf("%q is not one of SENT, DELIVERED, READ, NOT_SENT, NOT_DELIVERED", string(s)))
	}
	return nil
}

// SetStatusParams sets the status of one bot message.
type SetStatusParams struct {
	// ClientID is the end user the message was sent to; required.
	ClientID string `json:"-"`
	// QuestionID is the message's ID, as the history lists it (not
	// necessarily the ID a send call returned); required.
	QuestionID string `json:"-"`
	// Status is the new status; one of the constants.
	Status MessageStatus `json:"status"`
}

// Validate checks the parameters before anything is sent: valid IDs and a
// known Status.
func (p *SetStatusParams) Validate() error {
	if p == nil {
		return invalid("params", "must not be nil")
	}
	if err := checkID("ClientID", p.ClientID); err != nil {
		return err
	}
	if err := checkID("QuestionID", p.QuestionID); err != nil {
		return err
	}
	return checkStatus("Status", p.Status)
}

// SetStatusesParams sets the statuses of several messages of one client.
type SetStatusesParams struct {
	// ClientID is the end user the messages were sent to; required.
	ClientID string `json:"-"`
	// Statuses are the changes; at least one.
	Statuses []StatusUpdate `json:"statuses"`
}

// StatusUpdate is one change of a SetStatusesParams. The documentation
// says only that the items are objects; the field names here are an
// assumption, matching the single-message call.
type StatusUpdate struct {
	QuestionID string        `json:"questionId"`
	Status     MessageStatus `json:"status"`
}

// Validate checks the parameters before anything is sent: a valid
// ClientID, at least one update, and a valid ID and known status in each.
func (p *SetStatusesParams) Validate() error {
	if p == nil {
		return invalid("params", "must not be nil")
	}
	if err := checkID("ClientID", p.ClientID); err != nil {
		return err
	}
	if len(p.Statuses) == 0 {
		return invalid("Statuses", "must hold at least one update")
	}
	for i, u := range p.Statuses {
		if err := checkID(indexed("Statuses", i, "QuestionID"), u.QuestionID); err != nil {
			return err
		}
		if err := checkStatus(indexed("Statuses", i, "Status"), u.Status); err != nil {
			return err
		}
	}
	return nil
}

// StatusResult is the status of one message, as the get-status call
// returns it.
type StatusResult struct {
	// QuestionID is the message's ID when the server repeats it.
	QuestionID string `json:"questionId,omitempty"`
	// Status may be a value the SDK does not know; it is kept as sent.
	Status MessageStatus `json:"status"`
}

// UnmarshalJSON accepts the forms the undocumented body may take: a JSON
// string (the status itself) or an object with "status". A body without a
// status is an error.
func (s *StatusResult) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	var w struct {
		QuestionID looseString `json:"questionId"`
		Status     string      `json:"status"`
	}
	if len(b) > 0 && b[0] == '{' {
		if err := json.Unmarshal(b, &w); err != nil {
			return err
		}
	} else if err := json.Unmarshal(b, &w.Status); err != nil {
		return err
	}
	if w.Status == "" {
		return errors.New("status response: no status")
	}
	*s = StatusResult{QuestionID: string(w.QuestionID), Status: MessageStatus(w.Status)}
	return nil
}

// maxPlainStatus bounds a status that arrives as plain text.
const maxPlainStatus = 64

// decodeStatusBody reads the get-status response body, which may also be
// the bare status as plain text (READ).
func decodeStatusBody(body []byte) (*StatusResult, error) {
	body = trimBody(body)
	var out StatusResult
	if json.Valid(body) {
		if err := json.Unmarshal(body, &out); err != nil {
			return nil, err
		}
		return &out, nil
	}
	if len(body) == 0 || len(body) > maxPlainStatus || bytes.IndexFunc(body, func(r rune) bool {
		return !(r == '_' || (r >= 'A' && r <= 'Z') || (r >= 'a' && r <= 'z') || (r >= '0' && r <= '9'))
	}) >= 0 {
		return nil, errors.New("status response: neither JSON nor a plain status word")
	}
	out.Status = MessageStatus(body)
	return &out, nil
}

// StatusService reads and sets the delivery statuses of bot messages and
// counts a client's unread ones. Get it from Client.Statuses. Message IDs
// come from the history (HistoryMessage.QuestionID).
type StatusService struct{ client *Client }

// Get returns the status of message questionID of clientID
// (GET …/client/{clientId}/message/{questionId}/status). A status the SDK
// does not know is returned as it is.
func (s *StatusService) Get(ctx context.Context, clientID, questionID string, opts ...chatbot.CallOption) (*StatusResult, error) {
	if err := checkID("ClientID", clientID); err != nil {
		return nil, err
	}
	if err := checkID("QuestionID", questionID); err != nil {
		return nil, err
	}
	path, err := messageStatusPath(clientID, questionID)
	if err != nil {
		return nil, err
	}
	var out StatusResult
	req := &rest.Request{Op: "Statuses.Get", Method: http.MethodGet, Path: path, Idempotent: true}
	if err := s.client.do(ctx, req, &out, opts); err != nil {
		return nil, err
	}
	return &out, nil
}

// Set sets the status of one message (POST …/message/{questionId}/status
// with {"status": …}), such as StatusRead once the user has seen it.
func (s *StatusService) Set(ctx context.Context, p *SetStatusParams, opts ...chatbot.CallOption) error {
	if err := p.Validate(); err != nil {
		return err
	}
	path, err := messageStatusPath(p.ClientID, p.QuestionID)
	if err != nil {
		return err
	}
	req := &rest.Request{Op: "Statuses.Set", Method: http.MethodPost, Path: path, JSON: p, Idempotent: true}
	return s.client.do(ctx, req, nil, opts)
}

// SetMany sets the statuses of several messages of one client in one
// request (POST …/client/{clientId}/message-statuses).
func (s *StatusService) SetMany(ctx context.Context, p *SetStatusesParams, opts ...chatbot.CallOption) error {
	if err := p.Validate(); err != nil {
		return err
	}
	path, err := check.Path(rest.Lit("client"), rest.ID("ClientID", p.ClientID), rest.Lit("message-statuses"))
	if err != nil {
		return err
	}
	req := &rest.Request{Op: "Statuses.SetMany", Method: http.MethodPost, Path: path, JSON: p, Idempotent: true}
	return s.client.do(ctx, req, nil, opts)
}

// UnreadCount returns how many bot messages clientID has not read
// (GET …/client/{clientId}/message-not-read-count), for a badge.
func (s *StatusService) UnreadCount(ctx context.Context, clientID string, opts ...chatbot.CallOption) (*UnreadCount, error) {
	if err := checkID("ClientID", clientID); err != nil {
		return nil, err
	}
	path, err := check.Path(rest.Lit("client"), rest.ID("ClientID", clientID), rest.Lit("message-not-read-count"))
	if err != nil {
		return nil, err
	}
	var out UnreadCount
	req := &rest.Request{Op: "Statuses.UnreadCount", Method: http.MethodGet, Path: path, Idempotent: true}
	if err := s.client.do(ctx, req, &out, opts); err != nil {
		return nil, err
	}
	return &out, nil
}

// messageStatusPath is the path of one message's status.
func messageStatusPath(clientID, questionID string) (string, error) {
	return check.Path(rest.Lit("client"), rest.ID("ClientID", clientID),
		rest.Lit("message"), rest.ID("QuestionID", questionID), rest.Lit("status"))
}

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

// SaveStateParams stores a chat application's state for one client: any
// JSON object, which the server keeps as it is without looking inside.
type SaveStateParams struct {
	// ClientID is the end user the state belongs to; required.
	ClientID string `json:"-"`
	// State is the object to store: a struct, a map, or a json.RawMessage
	// (or []byte) holding a JSON object. It is sent as the whole request
	// body. Anything that does not encode as a JSON object is refused,
	// because the server answers 400 "Invalid state format".
	State any `json:"-"`
}

// Validate checks the parameters before anything is sent: a valid
// ClientID and a State that encodes as a JSON object.
func (p *SaveStateParams) Validate() error {
	if p == nil {
		return invalid("params", "must not be nil")
	}
	_, err := p.body()
	return err
}

// body returns the request body: State as a JSON object.
func (p *SaveStateParams) body() ([]byte, error) {
	if err := checkID("ClientID", p.ClientID); err != nil {
		return nil, err
	}
	var b []byte
	switch v := p.State.(type) {
	case nil:
		return nil, invalid("State", "must not be nil")
	case json.RawMessage:
		b = v
	case []byte:
		b = v
	default:
		var err error
		if b, err = json.Marshal(v); err != nil {
			return nil, invalid("State", fmt.Sprintf("does not encode as JSON: %v", err))
		}
	}
	b = bytes.TrimSpace(b)
	if len(b) == 0 || b[0] != '{' || !json.Valid(b) {
		return nil, invalid("State", "must be a JSON object")
	}
	return b, nil
}

// ClientState is a client's stored chat application state, exactly as it
// was saved.
type ClientState struct {
	// JSON is the stored object; empty when the server returned nothing
	// (no state saved yet).
	JSON json.RawMessage
}

// Empty reports whether there is no stored state: an empty body or null.
func (s *ClientState) Empty() bool { return isNull(trimBody(s.JSON)) }

// Decode unmarshals the state into v. It reports an error for an Empty
// state, so that "nothing saved" is not mistaken for a zero value.
func (s *ClientState) Decode(v any) error {
	if s.Empty() {
		return errors.New("aimylogic: client state: nothing saved")
	}
	return json.Unmarshal(s.JSON, v)
}

// UnmarshalJSON keeps the body as it is.
func (s *ClientState) UnmarshalJSON(b []byte) error {
	s.JSON = append(json.RawMessage(nil), b...)
	return nil
}

// MarshalJSON writes the state back as it was received (null when Empty).
func (s ClientState) MarshalJSON() ([]byte, error) {
	if s.Empty() {
		return []byte("null"), nil
	}
	return s.JSON, nil
}

// decodeStateBody reads the load-state response body. An empty body is "no
// state"; anything else must be JSON.
func decodeStateBody(body []byte) (*ClientState, error) {
	body = trimBody(body)
	if len(body) == 0 {
		return &ClientState{}, nil
	}
	if !json.Valid(body) {
		return nil, errors.New("client state: the body is not JSON")
	}
	return &ClientState{JSON: append(json.RawMessage(nil), body...)}, nil
}

// StateService saves and loads the chat application state the server
// keeps per client (a widget's open panels, a draft): any JSON object,
// stored as it is. Get it from Client.State. The paths of both calls were
// lost from the documentation; WithStatePath changes the assumed one.
type StateService struct{ client *Client }

// Save stores p.State for p.ClientID, replacing what was stored. Saving the
// same state twice is harmless, so a failed attempt is retried.
func (s *StateService) Save(ctx context.Context, p *SaveStateParams, opts ...chatbot.CallOption) error {
	if p == nil {
		return invalid("params", "must not be nil")
	}
	body, err := p.body()
	if err != nil {
		return err
	}
	path, err := s.path(p.ClientID)
	if err != nil {
		return err
	}
	req := &rest.Request{
		Op: "State.Save", Method: http.MethodPost, Path: path, Body: body,
		Header: http.Header{"Content-Type": {"application/json"}}, Idempotent: true,
	}
	return s.client.do(ctx, req, nil, opts)
}

// Load returns the state stored for clientID, exactly as saved. A client
// that never saved one gets an Empty ClientState, not an error (when the
// server answers with an empty body; a 404 is an *chatbot.APIError).
func (s *StateService) Load(ctx context.Context, clientID string, opts ...chatbot.CallOption) (*ClientState, error) {
	if err := checkID("ClientID", clientID); err != nil {
		return nil, err
	}
	path, err := s.path(clientID)
	if err != nil {
		return nil, err
	}
	var out ClientState
	req := &rest.Request{Op: "State.Load", Method: http.MethodGet, Path: path, Idempotent: true}
	if err := s.client.do(ctx, req, &out, opts); err != nil {
		return nil, err
	}
	return &out, nil
}

// path is the configured state path for clientID.
func (s *StateService) path(clientID string) (string, error) {
	return check.Path(s.client.settings.statePath.segments(clientID)...)
}

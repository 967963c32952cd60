package aimylogic

import (
	"encoding/json"
	"errors"
)

// Response is the bot's answer to one client request: what the synchronous
// and simplified send calls return, what a webhook delivers (see
// WebhookResult) and what a "botResponse" event carries. The API has no
// published schema; the fields are those of its documented example, and
// any of them may be absent (bots built with Just AI's JAICF framework
// leave out several).
//
// The channel token the server echoes in the body is deliberately not
// kept, and the client reads the body with the token shown as "{token}"
// wherever else it appears, so that printing or logging a Response cannot
// leak it.
type Response struct {
	// ClientID is the end user the request was made for.
	ClientID string `json:"clientId"`
	// QuestionID is the server's ID for the request (a UUID on the real
	// service; "12345" in the documentation).
	QuestionID string `json:"questionId"`
	// CID is the connection ID the request carried; empty when it had
	// none.
	CID string `json:"cid,omitempty"`
	// Data is the bot's result.
	Data ResponseData `json:"data"`
	// Timestamp is when the server took the request, in UTC.
	Timestamp Time `json:"timestamp"`
	// BlockForm is the channel setting "Disable text input when using
	// buttons": when true, a chat UI should hide free-text input while
	// the replies offer buttons.
	BlockForm bool `json:"blockForm"`
}

// ResponseData is the bot's result inside a Response.
type ResponseData struct {
	// NLPClass is the script state or intent the request matched, such
	// as "/CatchAll".
	NLPClass string `json:"nlpClass,omitempty"`
	// Confidence is the classifier's score. It is not a probability: the
	// documentation's own example is negative.
	Confidence float64 `json:"confidence"`
	// Replies are the bot's messages, in order.
	Replies Replies `json:"replies"`
	// Answer is the text of the answer as one string. For JAICF bots it
	// is the text replies joined by blank lines; do not expect it to
	// equal any single reply.
	Answer string `json:"answer"`
	// NewSessionStarted reports that this request opened a new session.
	NewSessionStarted bool `json:"newSessionStarted"`
	// DebugData is the engine's debug output, undocumented and kept as
	// received.
	DebugData json.RawMessage `json:"debugData,omitempty"`
	// EndSession reports that the bot closed the session with this
	// answer.
	EndSession bool `json:"endSession"`
	// Raw is the whole data object as received. Bots may add keys of
	// their own (JAICF bots add "sessionId" and "responseData"); read
	// them from here.
	Raw json.RawMessage `json:"-"`
}

// responseWire is the body as it travels: identifiers may be numbers, and
// some servers put the replies at the top level. Data is decoded in a
// second step so that its raw text is kept without a third pass.
type responseWire struct {
	Token      json.RawMessage `json:"token"`
	ClientID   looseString     `json:"clientId"`
	QuestionID looseString     `json:"questionId"`
	CID        looseString     `json:"cid"`
	Data       json.RawMessage `json:"data"`
	Replies    Replies         `json:"replies"`
	Timestamp  Time            `json:"timestamp"`
	BlockForm  bool            `json:"blockForm"`
}

// UnmarshalJSON reads a response. When data.replies is absent or empty, a
// top-level "replies" list is used instead (one third-party client reads
// them from there); IDs sent as numbers are kept as their text.
func (r *Response) UnmarshalJSON(b []byte) error {
	_, err := r.decode(b)
	return err
}

// decode reads a response and returns the raw "token" member, which the
// Response itself never keeps.
func (r *Response) decode(b []byte) (token json.RawMessage, err error) {
	var w responseWire
	if err := json.Unmarshal(b, &w); err != nil {
		return nil, err
	}
	*r = Response{
		ClientID:   string(w.ClientID),
		QuestionID: string(w.QuestionID),
		CID:        string(w.CID),
		Timestamp:  w.Timestamp,
		BlockForm:  w.BlockForm,
	}
	if !isNull(trimBody(w.Data)) {
		var d responseData
		if err := json.Unmarshal(w.Data, &d); err != nil {
			return nil, prefixField("data", err)
		}
		r.Data = ResponseData(d)
		r.Data.Raw = w.Data
	}
	if len(r.Data.Replies) == 0 && len(w.Replies) > 0 {
		r.Data.Replies = w.Replies
	}
	return w.Token, nil
}

// prefixField puts a parent member's name in front of the field of a JSON
// type error from a nested decode, so that it names the member in full.
func prefixField(parent string, err error) error {
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) {
		moved := *te
		moved.Field = parent
		if te.Field != "" {
			moved.Field += "." + te.Field
		}
		return &moved
	}
	return err
}

// responseData has ResponseData's fields without its methods.
type responseData ResponseData

// UnmarshalJSON reads the data object and keeps it whole in Raw.
func (d *ResponseData) UnmarshalJSON(b []byte) error {
	var w responseData
	if err := json.Unmarshal(b, &w); err != nil {
		return err
	}
	*d = ResponseData(w)
	if !isNull(trimBody(b)) {
		d.Raw = append(json.RawMessage(nil), b...)
	}
	return nil
}

package aimylogic

import (
	"bytes"
	"encoding/json"
	"errors"
	"unicode"
)

// AsyncResult is what the asynchronous send returns: only the ID of the
// request. The bot's Response goes to the channel's webhook, where
// WebhookResult.QuestionID matches this ID.
type AsyncResult struct {
	QuestionID string `json:"questionId"`
}

// maxPlainID bounds an ID that arrives as plain text, so that an HTML page
// answered with status 200 is an error rather than an ID.
const maxPlainID = 256

// UnmarshalJSON accepts the forms the undocumented body may take: a JSON
// string or number (the ID itself), or an object with "questionId" (or
// "id"). An object with neither is an error.
func (a *AsyncResult) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	if len(b) > 0 && b[0] == '{' {
		var w struct {
			QuestionID looseString `json:"questionId"`
			ID         looseString `json:"id"`
		}
		if err := json.Unmarshal(b, &w); err != nil {
			return err
		}
		id := w.QuestionID
		if id == "" {
			id = w.ID
		}
		if id == "" {
			return errors.New("async response: no questionId in the object")
		}
		*a = AsyncResult{QuestionID: string(id)}
		return nil
	}
	var id looseString
	if err := json.Unmarshal(b, &id); err != nil {
		return err
	}
	if id == "" {
		return errors.New("async response: empty request ID")
	}
	*a = AsyncResult{QuestionID: string(id)}
	return nil
}

// decodeAsyncBody reads the asynchronous send's response body, which may
// also be the bare ID as plain text.
func decodeAsyncBody(body []byte) (*AsyncResult, error) {
	body = trimBody(body)
	if len(body) == 0 {
		return nil, errors.New("async response: empty body, expected the request ID")
	}
	var out AsyncResult
	if json.Valid(body) {
		if err := json.Unmarshal(body, &out); err != nil {
			return nil, err
		}
		return &out, nil
	}
	if len(body) > maxPlainID || bytes.IndexFunc(body, func(r rune) bool {
		return unicode.IsSpace(r) || unicode.IsControl(r) || r == unicode.ReplacementChar || r == '<' || r == '{' || r == '['
	}) >= 0 {
		return nil, errors.New("async response: neither JSON nor a plain request ID")
	}
	out.QuestionID = string(body)
	return &out, nil
}

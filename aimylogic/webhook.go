package aimylogic

import (
	"bytes"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/json"
	"errors"
	"fmt"

	chatbot "github.com/chatbot-sdk/chatbot-go"
)

// MaxWebhookBody is the largest webhook body the SDK decodes, in bytes. A
// response holds at most 100 replies of 50,000 characters in all, well
// under 1 MiB even with every character escaped; the rest leaves room for
// several results in one delivery.
const MaxWebhookBody = 4 << 20

// WebhookResult is one object of a webhook delivery: the result of an
// asynchronous request, a live agent's reply, or a notice that a request
// timed out. It has the shape of a Response, whose fields it embeds.
// Deliveries for which no request is pending (agent replies, the bot's
// messages of a text campaign) are normal.
//
// The platform does not sign its deliveries; the only proof of origin is
// the channel token echoed in the body, which HasToken compares. The
// token itself is not kept (only its SHA-256, and "{token}" in Raw), so
// that a logged WebhookResult cannot leak it.
type WebhookResult struct {
	Response
	// Raw is the object as delivered, for fields the SDK does not model,
	// with the value of its "token" member replaced by "{token}" (a
	// WebhookHandler shows the token so wherever it appears).
	//
	// Other callbacks pointed at the same URL, such as the text-campaign
	// service's sending reports ({"status", "textCampaignId", …}), carry
	// no channel token, so a WebhookHandler refuses them with 403:
	// deliveries are unsigned, and the token is the only proof that one
	// comes from the channel. Receive those at a URL of their own; decoded
	// by hand into a WebhookResult, their fields are in Raw.
	Raw json.RawMessage `json:"-"`

	tokenSum [sha256.Size]byte
	hasToken bool
}

// HasToken reports, in constant time, whether the delivery carried the
// channel token token. Use it to reject deliveries that did not come from
// your channel.
func (w *WebhookResult) HasToken(token string) bool {
	if !w.hasToken || token == "" {
		return false
	}
	sum := sha256.Sum256([]byte(token))
	return subtle.ConstantTimeCompare(sum[:], w.tokenSum[:]) == 1
}

// UnmarshalJSON reads the result, notes the token's digest and keeps the
// object in Raw.
func (w *WebhookResult) UnmarshalJSON(b []byte) error {
	rawToken, err := w.read(b)
	if err != nil {
		return err
	}
	w.noteToken(rawToken)
	return nil
}

// read decodes the result from b, keeps b in Raw with its "token" member
// hidden, and returns that member as it stood in b.
func (w *WebhookResult) read(b []byte) (rawToken json.RawMessage, err error) {
	var r Response
	rawToken, err = r.decode(b)
	if err != nil {
		return nil, err
	}
	raw := hideToken(append(json.RawMessage(nil), bytes.TrimSpace(b)...))
	*w = WebhookResult{Response: r, Raw: raw}
	return rawToken, nil
}

// noteToken keeps the digest of rawToken, a "token" member as delivered,
// on a result read has just filled.
func (w *WebhookResult) noteToken(rawToken json.RawMessage) {
	var token string
	// A token that is not a string is no token.
	if json.Unmarshal(rawToken, &token) == nil && token != "" {
		w.tokenSum, w.hasToken = sha256.Sum256([]byte(token)), true
	}
}

// decodeWebhook reads a webhook body. The documentation says an array of
// result objects is sent, but its example is a single object; both are
// accepted. Malformed input is an error that says what is wrong without
// quoting the body, which holds the channel token.
//
// hide, when not nil, returns an object with the channel token hidden
// (or an error when it cannot be). Each result is then decoded from what
// hide returns, so that none of its fields keeps the token, while its
// token check is taken from the object as delivered: the hidden text
// cannot tell the token from a delivery that sent "{token}".
func decodeWebhook(body []byte, hide func([]byte) ([]byte, error)) ([]WebhookResult, error) {
	if len(body) > MaxWebhookBody {
		return nil, fmt.Errorf("aimylogic: webhook body of %d bytes exceeds %d: %w", len(body), MaxWebhookBody, chatbot.ErrBodyTooLarge)
	}
	skipped := leadingJunk(body)
	body = trimBody(body)
	if len(body) == 0 {
		return nil, errors.New("aimylogic: webhook body is empty")
	}
	switch body[0] {
	case '[':
		var items []json.RawMessage
		if err := json.Unmarshal(body, &items); err != nil {
			return nil, webhookError(err, skipped)
		}
		out := make([]WebhookResult, len(items))
		for i, item := range items {
			if err := decodeWebhookItem(item, hide, &out[i]); err != nil {
				return nil, fmt.Errorf("aimylogic: webhook body: item %d: %w", i, err)
			}
		}
		return out, nil
	case '{':
		if !json.Valid(body) {
			return nil, webhookError(json.Unmarshal(body, new(any)), skipped)
		}
		out := make([]WebhookResult, 1)
		if err := decodeWebhookItem(body, hide, &out[0]); err != nil {
			return nil, fmt.Errorf("aimylogic: webhook body: %w", err)
		}
		return out, nil
	}
	if !json.Valid(body) {
		return nil, webhookError(json.Unmarshal(body, new(any)), skipped)
	}
	return nil, errors.New("aimylogic: webhook body must be a JSON object or an array of objects")
}

// decodeWebhookItem reads one result object, already checked to be JSON,
// so only type errors remain (and hide's refusal). See decodeWebhook for
// hide.
func decodeWebhookItem(b []byte, hide func([]byte) ([]byte, error), into *WebhookResult) error {
	b = bytes.TrimSpace(b)
	if len(b) == 0 || b[0] != '{' {
		return errors.New("not a JSON object")
	}
	if hide == nil {
		return describeTypeError(into.UnmarshalJSON(b))
	}
	shown, err := hide(b)
	if err != nil {
		return err
	}
	if _, err := into.read(shown); err != nil {
		return describeTypeError(err)
	}
	var head struct {
		Token json.RawMessage `json:"token"`
	}
	if err := json.Unmarshal(b, &head); err != nil {
		return describeTypeError(err)
	}
	into.noteToken(head.Token)
	return nil
}

// webhookError describes a failed decode of the whole body. A syntax error
// says where the body stops being JSON, counting bytes from 1 at the start
// of the body as received (skipped bytes were trimmed off its front).
func webhookError(err error, skipped int) error {
	var syn *json.SyntaxError
	if errors.As(err, &syn) {
		return fmt.Errorf("aimylogic: webhook body is not valid JSON at byte %d: %w", syn.Offset+int64(skipped), err)
	}
	return fmt.Errorf("aimylogic: webhook body: %w", describeTypeError(err))
}

// describeTypeError keeps a JSON type error's field and kinds but never the
// value, so that no part of the body reaches the error text.
func describeTypeError(err error) error {
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) {
		return fmt.Errorf("field %q: got a JSON %s, want %s", te.Field, te.Value, te.Type)
	}
	return err
}

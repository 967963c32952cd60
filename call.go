package chatbot

import (
	"bytes"
	"context"
	"errors"
	"regexp"

	"github.com/chatbot-sdk/chatbot-go/internal/rest"
)

// envelope is the part every Chat Thing response shares.
type envelope struct {
	Success *bool  `json:"success"`
	Message string `json:"message,omitempty"`
	Error   string `json:"error,omitempty"`
}

func (e *envelope) env() *envelope { return e }

// enveloped is any response struct that embeds envelope.
type enveloped interface{ env() *envelope }

// explicitFailure finds "success": false in a body that is not valid JSON
// (the docs show success-only bodies with a trailing comma).
var explicitFailure = regexp.MustCompile(`"success"\s*:\s*false`)

// call sends req under the channel prefix and decodes the response into
// out. A 2xx whose body says "success": false is an *APIError matching
// ErrUnsuccessful. Success-only responses (out has nothing but the
// envelope) are decoded leniently: any 2xx counts unless it says false (the
// docs show such bodies with a trailing comma). Any other response must
// carry the documented "success" flag: an empty body or one without it (a
// proxy's or captive portal's 200) is a *DecodeError, not a zero-valued
// result.
func (c *Client) call(ctx context.Context, req *rest.Request, out enveloped, successOnly bool) error {
	req.Path = c.prefix + req.Path
	req.Lenient = successOnly
	env := out.env()
	var missing *DecodeError
	req.Verdict = func(body []byte) (bool, string) {
		if env.Success == nil && !successOnly {
			missing = &DecodeError{Op: req.Op, Snippet: c.engine.Snippet(body), Err: errNoSuccessFlag}
			return false, ""
		}
		failed := env.Success != nil && !*env.Success
		if env.Success == nil && successOnly {
			failed = explicitFailure.Match(body)
		}
		if !failed {
			return false, ""
		}
		if msg := firstNonEmpty(env.Message, env.Error); msg != "" {
			return true, msg
		}
		return true, `response said "success": false`
	}
	if err := c.engine.Do(ctx, req, out); err != nil {
		return err
	}
	if missing != nil {
		return missing
	}
	return nil
}

// errNoSuccessFlag is the cause of the DecodeError for a 2xx body that is
// not the API's JSON envelope.
var errNoSuccessFlag = errors.New(`the body has no "success" flag`)

func firstNonEmpty(s ...string) string {
	for _, v := range s {
		if len(bytes.TrimSpace([]byte(v))) > 0 {
			return v
		}
	}
	return ""
}

// checkLimit enforces the documented 1..100 range; 0 means the server's
// default (10).
func checkLimit(limit int) error {
	if limit < 0 || limit > 100 {
		return &ValidationError{Field: "Limit", Reason: "must be between 1 and 100 (0 for the default of 10)"}
	}
	return nil
}

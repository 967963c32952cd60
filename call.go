package chatbot

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"regexp"
	"strings"

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

// successOnly is the response of calls that return nothing but the flag.
type successOnly struct{ envelope }

// explicitFailure finds "success": false in a body that is not valid JSON
// (the docs show success-only bodies with a trailing comma).
var explicitFailure = regexp.MustCompile(`"success"\s*:\s*false`)

// errNoSuccessFlag is the cause of the DecodeError for a 2xx body that is
// not the API's JSON envelope.
var errNoSuccessFlag = errors.New(`the body has no "success" flag`)

// decodeEnvelope is Chat Thing's response decoder, given to the engine as
// the platform's Decode. A body saying "success": false is refused (an
// *APIError matching ErrUnsuccessful). Success-only responses are decoded
// leniently: any 2xx counts unless it says false, because the docs show
// such bodies with a trailing comma. Any other response must carry the
// documented flag: an empty body or one without it (a proxy's or captive
// portal's 200) is a *DecodeError, not a zero-valued result.
func decodeEnvelope(_ string, body []byte, out any) error {
	o, ok := out.(enveloped)
	if !ok {
		return json.Unmarshal(body, out)
	}
	_, lenient := out.(*successOnly)
	env := o.env()
	if len(body) > 0 {
		if err := json.Unmarshal(body, out); err != nil && !lenient {
			return err
		}
	}
	switch {
	case env.Success == nil && !lenient:
		return errNoSuccessFlag
	case env.Success == nil && explicitFailure.Match(body), env.Success != nil && !*env.Success:
		return rest.Refused(firstNonEmpty(env.Message, env.Error, `response said "success": false`))
	}
	return nil
}

// syncBusy is Chat Thing's one answer a retry cannot change: a 429 to a
// sync means "a sync is running" or "out of storage tokens", neither of
// which passes in the seconds a retry waits.
func syncBusy(op string, status int) bool {
	return op == opSync && status == http.StatusTooManyRequests
}

// call sends req and decodes the response into out.
func (c *Client) call(ctx context.Context, req *rest.Request, out any, opts []CallOption) error {
	return c.engine.Do(ctx, req, out, rest.Calls(opts)...)
}

func firstNonEmpty(s ...string) string {
	for _, v := range s {
		if strings.TrimSpace(v) != "" {
			return v
		}
	}
	return ""
}

// checkLimit enforces the documented 1..100 range; 0 means the server's
// default (10).
func checkLimit(limit int) error {
	if limit < 0 || limit > 100 {
		return check.Invalid("Limit", "must be between 1 and 100 (0 for the default of 10)")
	}
	return nil
}

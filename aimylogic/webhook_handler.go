package aimylogic

import (
	"context"
	"crypto/sha256"
	"crypto/subtle"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"time"

	"github.com/chatbot-sdk/chatbot-go/internal/redact"
)

// DefaultDeliveryTimeout is how long a WebhookHandler lets one delivery
// wait for room (a full Results channel, a busy OnResult) before it
// answers 503.
const DefaultDeliveryTimeout = 10 * time.Second

// WebhookOptions configures a WebhookHandler. Set at most one of OnResult
// and Results; with neither, only the results SendAndWait waits for are
// used, and the rest are acknowledged and dropped.
type WebhookOptions struct {
	// OnResult is called, one result at a time per delivery, with each
	// result that no SendAndWait call is waiting for: agent replies,
	// timeout notices, results of SendAsync calls you pair yourself. It
	// may be called from several deliveries at once. An error makes the
	// handler answer 500, which asks a platform that retries to deliver
	// again. ctx ends with the delivery's request or DeliveryTimeout.
	OnResult func(ctx context.Context, r *WebhookResult) error
	// Results receives those results instead, for a consumer goroutine.
	// When it is full, the delivery waits for room up to
	// DeliveryTimeout, then the handler answers 503: backpressure reaches
	// the platform instead of piling up in memory.
	Results chan<- *WebhookResult
	// DeliveryTimeout bounds the wait of one delivery for OnResult or
	// Results (and for a SendAndWait call of the same client that has not
	// yet learnt its request's ID); DefaultDeliveryTimeout when zero.
	DeliveryTimeout time.Duration
	// Logger, when set, records each refused delivery at warn level: the
	// status and the reason, never the body.
	Logger *slog.Logger
}

// WebhookHandler is an http.Handler for the Chat API webhook, the URL set
// in the channel's settings where the platform posts the results of
// asynchronous requests, live agents' replies and timeout notices.
//
// It accepts POST only (405 otherwise) and bodies up to MaxWebhookBody
// (413 past it). The body may be an array of results, as the
// documentation says, or a single result, as its example shows; anything
// else is refused with 400 and a reason that never quotes the body. Each
// result must carry the channel's token (403 otherwise): the platform
// does not sign its deliveries, and the token is the only proof of
// origin. Each result is read with the token, in any spelling, shown as
// "{token}" wherever it appears (a bot may repeat it in its data), so that
// no field of a result, Raw and Data.Raw included, can leak it; the check
// itself reads the body as delivered.
//
// Results then go to the SendAndWait call waiting for their question ID,
// or else to WebhookOptions.OnResult or Results. Results no request is
// waiting for are normal. The answer is 200 once every result of the
// delivery has been handed over; 503 when there was no room in time; 500
// when OnResult failed. Results handed over before a failure stay handed
// over, so a platform that retries may deliver them twice.
type WebhookHandler struct {
	tokenSum [sha256.Size]byte
	redactor *redact.Redactor
	onResult func(ctx context.Context, r *WebhookResult) error
	results  chan<- *WebhookResult
	timeout  time.Duration
	logger   *slog.Logger
	pairs    pairing
}

// NewWebhookHandler returns a handler for the webhook of the channel whose
// token is token. o may be nil.
func NewWebhookHandler(token string, o *WebhookOptions) (*WebhookHandler, error) {
	if err := check.Credential("token", token); err != nil {
		return nil, err
	}
	if o == nil {
		o = &WebhookOptions{}
	}
	switch {
	case o.OnResult != nil && o.Results != nil:
		return nil, invalid("WebhookOptions", "set at most one of OnResult and Results")
	case o.DeliveryTimeout < 0:
		return nil, invalid("WebhookOptions.DeliveryTimeout", "must not be negative")
	}
	h := &WebhookHandler{
		tokenSum: sha256.Sum256([]byte(token)),
		redactor: redact.New([]redact.Secret{{Value: token, Shown: "{token}"}}, nil),
		onResult: o.OnResult,
		results:  o.Results,
		timeout:  o.DeliveryTimeout,
		logger:   o.Logger,
	}
	if h.timeout == 0 {
		h.timeout = DefaultDeliveryTimeout
	}
	return h, nil
}

// errNoRoom is a delivery that found no room in time.
var errNoRoom = errors.New("no room for the result in time")

// ServeHTTP handles one delivery.
func (h *WebhookHandler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", http.MethodPost)
		h.refuse(w, r, http.StatusMethodNotAllowed, "use POST")
		return
	}
	if r.ContentLength > MaxWebhookBody {
		h.refuse(w, r, http.StatusRequestEntityTooLarge, fmt.Sprintf("the body exceeds %d bytes", MaxWebhookBody))
		return
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, MaxWebhookBody))
	if err != nil {
		var tooLarge *http.MaxBytesError
		if errors.As(err, &tooLarge) {
			h.refuse(w, r, http.StatusRequestEntityTooLarge, fmt.Sprintf("the body exceeds %d bytes", MaxWebhookBody))
			return
		}
		h.refuse(w, r, http.StatusBadRequest, "the body could not be read")
		return
	}
	results, err := decodeWebhook(body, h.hide)
	if err != nil {
		h.refuse(w, r, http.StatusBadRequest, err.Error())
		return
	}
	for i := range results {
		if !h.ours(&results[i]) {
			h.refuse(w, r, http.StatusForbidden, fmt.Sprintf("result %d does not carry this channel's token", i))
			return
		}
	}
	ctx, cancel := context.WithTimeout(r.Context(), h.timeout)
	defer cancel()
	for i := range results {
		if err := h.deliver(ctx, &results[i]); err != nil {
			if errors.Is(err, errNoRoom) {
				w.Header().Set("Retry-After", "1")
				h.refuse(w, r, http.StatusServiceUnavailable, fmt.Sprintf("result %d: %v", i, err))
				return
			}
			h.refuse(w, r, http.StatusInternalServerError, fmt.Sprintf("result %d was not accepted", i))
			h.log(r, http.StatusInternalServerError, "OnResult failed: "+err.Error())
			return
		}
	}
	w.WriteHeader(http.StatusOK)
}

// ours reports, in constant time, whether res carries the handler's token.
func (h *WebhookHandler) ours(res *WebhookResult) bool {
	return res.hasToken && subtle.ConstantTimeCompare(res.tokenSum[:], h.tokenSum[:]) == 1
}

// hide returns a result object with the channel token, in any spelling,
// shown as "{token}", for decodeWebhook.
func (h *WebhookHandler) hide(obj []byte) ([]byte, error) { return hideSecrets(h.redactor, obj) }

// deliver hands res to its waiter or to the configured sink.
func (h *WebhookHandler) deliver(ctx context.Context, res *WebhookResult) error {
	handed, err := h.pairs.handOver(ctx, res)
	if err != nil {
		return fmt.Errorf("%w: a request of the same client is still being sent", errNoRoom)
	}
	switch {
	case handed:
	case h.onResult != nil:
		return h.onResult(ctx, res)
	case h.results != nil:
		select {
		case h.results <- res:
		case <-ctx.Done():
			return errNoRoom
		}
	}
	return nil
}

// refuse answers status with a one-line reason and logs it.
func (h *WebhookHandler) refuse(w http.ResponseWriter, r *http.Request, status int, reason string) {
	if status != http.StatusInternalServerError {
		h.log(r, status, reason)
	}
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(status)
	fmt.Fprintf(w, "aimylogic webhook: %s\n", reason)
}

// log records a refused delivery.
func (h *WebhookHandler) log(r *http.Request, status int, reason string) {
	if h.logger == nil {
		return
	}
	h.logger.LogAttrs(r.Context(), slog.LevelWarn, "aimylogic webhook delivery refused",
		slog.Int("status", status), slog.String("reason", reason), slog.String("remote", r.RemoteAddr))
}

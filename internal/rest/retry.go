package rest

import (
	"context"
	"math/rand/v2"
	"net/http"
	"net/http/httptrace"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/hashicorp/go-retryablehttp"
)

// callState follows one logical call across its attempts. It travels in the
// request context because retryablehttp's hooks see only the context.
type callState struct {
	op          string
	idempotent  bool
	oneShot     bool
	maxAttempts int
	attempt     int
	// deadline is when the call's own timeout ends it (zero: none). The
	// engine's timeout is a timer, not a context deadline (a stream must
	// outlive it), so the retry policy learns it here.
	deadline time.Time
	start    time.Time
	// wrote is set once any part of the current attempt's request has been
	// written to a connection: from then on the server may have acted on it.
	wrote atomic.Bool
}

type callStateKey struct{}

func withCallState(ctx context.Context, st *callState) context.Context {
	ctx = context.WithValue(ctx, callStateKey{}, st)
	return httptrace.WithClientTrace(ctx, &httptrace.ClientTrace{
		WroteHeaders: func() { st.wrote.Store(true) },
	})
}

func stateFrom(ctx context.Context) *callState {
	st, _ := ctx.Value(callStateKey{}).(*callState)
	if st == nil {
		st = &callState{op: "request"}
	}
	return st
}

// beforeAttempt resets the per-attempt part of the state.
func beforeAttempt(_ retryablehttp.Logger, req *http.Request, attempt int) {
	st := stateFrom(req.Context())
	st.attempt = attempt + 1
	st.start = time.Now()
	st.wrote.Store(false)
}

// checkRetry is the whole retry policy:
//
//   - a cancelled or expired context ends everything at once;
//   - a call that has made its attempts (the client's WithMaxAttempts, or
//     the call's own) stops;
//   - a call whose body is a plain io.Reader (it cannot be rebuilt) is
//     never retried;
//   - connection errors are retried when the call is idempotent, or when the
//     request never reached the wire (so the server cannot have acted);
//   - 429 and 503 are retried for every call: the server refused the work;
//   - 408, 502 and 504 are retried only for idempotent calls, because the
//     server may have acted before the gateway gave up;
//   - a Retry-After longer than MaxRetryAfter, or past the context's
//     deadline, stops the retries so the caller sees the error and its
//     RetryAfter at once instead of a hung call or a bare DeadlineExceeded;
//   - an answer the platform declares final for the call (Chat Thing's
//     "busy with this very job" 429 to a sync) is returned at once;
//   - everything else (500 included) is returned as it is.
func (e *Engine) checkRetry(ctx context.Context, resp *http.Response, err error) (bool, error) {
	st := stateFrom(ctx)
	e.logAttempt(ctx, st, resp, err)
	if ctx.Err() != nil {
		return false, ctx.Err()
	}
	if st.oneShot || st.attempt >= st.maxAttempts {
		return false, nil // the body cannot be sent a second time, or no attempt is left
	}
	if err != nil {
		if ok, _ := retryablehttp.ErrorPropagatedRetryPolicy(ctx, nil, err); !ok {
			return false, nil // redirects loop, bad scheme, TLS trust: permanent
		}
		return st.idempotent || !st.wrote.Load(), nil
	}
	if e.platform.Final != nil && e.platform.Final(st.op, resp.StatusCode) {
		return false, nil
	}
	switch resp.StatusCode {
	case http.StatusTooManyRequests, http.StatusServiceUnavailable:
	case http.StatusRequestTimeout, http.StatusBadGateway, http.StatusGatewayTimeout:
		if !st.idempotent {
			return false, nil
		}
	default:
		return false, nil
	}
	if d, ok := ParseRetryAfter(resp.Header.Get("Retry-After"), time.Now()); ok {
		if d > e.cfg.MaxRetryAfter {
			return false, nil
		}
		if deadline, has := st.earliestDeadline(ctx); has && time.Now().Add(d).After(deadline) {
			return false, nil // the caller would get DeadlineExceeded instead of the server's answer
		}
	}
	return true, nil
}

// earliestDeadline is the sooner of the context's deadline and the call's
// own timeout.
func (st *callState) earliestDeadline(ctx context.Context) (time.Time, bool) {
	deadline, has := ctx.Deadline()
	if !st.deadline.IsZero() && (!has || st.deadline.Before(deadline)) {
		return st.deadline, true
	}
	return deadline, has
}

// backoff waits what the server asked for when it said so, else an
// exponentially growing, jittered delay between MinBackoff and MaxBackoff.
func (e *Engine) backoff(minWait, maxWait time.Duration, attempt int, resp *http.Response) time.Duration {
	if resp != nil {
		if d, ok := ParseRetryAfter(resp.Header.Get("Retry-After"), time.Now()); ok {
			return d
		}
	}
	return ExponentialJitter(minWait, maxWait, attempt)
}

// ExponentialJitter returns a delay in [d/2, d] where d = minWait·2^attempt,
// capped at maxWait. The jitter keeps many clients from retrying in step.
func ExponentialJitter(minWait, maxWait time.Duration, attempt int) time.Duration {
	if minWait <= 0 {
		return 0
	}
	d := minWait
	for i := 0; i < attempt && d < maxWait; i++ {
		d *= 2
	}
	if maxWait > 0 && d > maxWait {
		d = maxWait
	}
	half := d / 2
	return half + rand.N(d-half+1)
}

// ParseRetryAfter reads a Retry-After value: delay seconds or an HTTP date.
// A date in the past gives zero.
func ParseRetryAfter(v string, now time.Time) (time.Duration, bool) {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0, false
	}
	if secs, err := strconv.ParseInt(v, 10, 64); err == nil {
		if secs < 0 {
			return 0, false
		}
		if secs > int64(24*time.Hour/time.Second) {
			secs = int64(24 * time.Hour / time.Second)
		}
		return time.Duration(secs) * time.Second, true
	}
	t, err := http.ParseTime(v)
	if err != nil {
		return 0, false
	}
	if d := t.Sub(now); d > 0 {
		return d, true
	}
	return 0, true
}

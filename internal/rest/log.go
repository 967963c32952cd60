package rest

import (
	"context"
	"log/slog"
	"net/http"
	"time"
)

// logAttempt writes one record per attempt: debug for a success, warn for a
// failure. Only the path goes out, with secrets removed.
func (e *Engine) logAttempt(ctx context.Context, st *callState, resp *http.Response, err error) {
	l := e.cfg.Logger
	if l == nil {
		return
	}
	level := slog.LevelDebug
	attrs := []slog.Attr{
		slog.String("op", st.op),
		slog.Int("attempt", st.attempt),
		slog.Duration("duration", time.Since(st.start)),
	}
	switch {
	case err != nil:
		level = slog.LevelWarn
		attrs = append(attrs, slog.String("error", e.redact(err.Error())))
	case resp != nil:
		attrs = append(attrs,
			slog.String("method", resp.Request.Method),
			slog.String("path", e.redact(resp.Request.URL.Path)),
			slog.Int("status", resp.StatusCode))
		if resp.StatusCode >= 400 {
			level = slog.LevelWarn
		}
	}
	if !l.Enabled(ctx, level) {
		return
	}
	l.LogAttrs(ctx, level, "chatbot request", attrs...)
}

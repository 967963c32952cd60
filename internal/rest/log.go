package rest

import (
	"context"
	"log/slog"
	"net/http"
	"time"
)

// logAttempt writes one record per attempt: debug for a success, warn for a
// failure. Only the path goes out, with secrets shown as placeholders.
func (e *Engine) logAttempt(ctx context.Context, st *callState, resp *http.Response, err error) {
	l := e.cfg.Logger
	if l == nil {
		return
	}
	level := slog.LevelDebug
	if err != nil || (resp != nil && resp.StatusCode >= 400) {
		level = slog.LevelWarn
	}
	if !l.Enabled(ctx, level) {
		return
	}
	attrs := []slog.Attr{
		slog.String("platform", e.check.Pkg),
		slog.String("op", st.op),
		slog.Int("attempt", st.attempt),
		slog.Duration("duration", time.Since(st.start)),
	}
	switch {
	case err != nil:
		attrs = append(attrs, slog.String("error", e.redactor.Redact(err.Error())))
	case resp != nil:
		attrs = append(attrs,
			slog.String("method", resp.Request.Method),
			slog.String("path", e.redactor.Redact(resp.Request.URL.EscapedPath())),
			slog.Int("status", resp.StatusCode))
	}
	l.LogAttrs(ctx, level, "chatbot request", attrs...)
}

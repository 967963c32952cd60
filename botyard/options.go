package botyard

import (
	"github.com/chatbot-sdk/chatbot-go"
	"github.com/chatbot-sdk/chatbot-go/internal/rest"
)

// extraKey keys botyard's own settings in rest.Config.Extra.
type extraKey int

const (
	sessionKey extraKey = iota
	sizeLimitsKey
)

// WithSession restores a session saved from Client.Session in an earlier
// run, so the client acts as that user without logging in (which would
// create a new user). The token is a secret: it never appears in errors or
// logs. The server keeps accepting it until it expires (7 days after its
// last use, by default); after that calls fail with ErrSessionExpired.
func WithSession(token string) chatbot.Option {
	return func(c *rest.Config) {
		if token == "" {
			c.Reject("WithSession", "token must not be empty")
			return
		}
		extra(c)[sessionKey] = token
	}
}

// SizeLimits are the largest files, in bytes, the client lets through,
// per category of the declared Content-Type (the server's own categories).
// Zero means no client-side limit for that category. Request caps the whole
// multipart body: the server answers a larger one with a 500 and drops the
// connection.
type SizeLimits struct {
	Image, Audio, Video, Other int64
	Request                    int64
}

// DefaultSizeLimits are the server's defaults: 2 MiB images, 5 MiB audio,
// 25 MiB video, 10 MiB other files, 25 MiB per request.
var DefaultSizeLimits = SizeLimits{
	Image:   2 << 20,
	Audio:   5 << 20,
	Video:   25 << 20,
	Other:   10 << 20,
	Request: 25 << 20,
}

// WithSizeLimits sets the upload limits the client checks before and while
// sending (default DefaultSizeLimits). Set them to match a server whose
// config changes "limits.file", or to SizeLimits{} to leave every check to
// the server.
func WithSizeLimits(l SizeLimits) chatbot.Option {
	return func(c *rest.Config) {
		if l.Image < 0 || l.Audio < 0 || l.Video < 0 || l.Other < 0 || l.Request < 0 {
			c.Reject("WithSizeLimits", "limits must not be negative")
			return
		}
		extra(c)[sizeLimitsKey] = l
	}
}

func extra(c *rest.Config) map[any]any {
	if c.Extra == nil {
		c.Extra = map[any]any{}
	}
	return c.Extra
}

package botyard

import (
	"errors"

	"github.com/chatbot-sdk/chatbot-go"
)

// settings are the options only a Botyard client takes: the slot that
// chatbot.PlatformOption fills in.
type settings struct {
	session string
	limits  SizeLimits
}

// WithSession restores a session saved from Client.Session in an earlier
// run, so the client acts as that user without logging in (which would
// create a new user). The token is a secret: it never appears in errors or
// logs. The server keeps accepting it until it expires (7 days after its
// last use, by default); after that calls fail with ErrSessionExpired.
func WithSession(token string) chatbot.Option {
	return chatbot.PlatformOption("botyard.WithSession", func(s *settings) error {
		if err := check.Credential("token", token); err != nil {
			return errors.New("the token must not be empty nor hold control characters")
		}
		s.session = token
		return nil
	})
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
	return chatbot.PlatformOption("botyard.WithSizeLimits", func(s *settings) error {
		if l.Image < 0 || l.Audio < 0 || l.Video < 0 || l.Other < 0 || l.Request < 0 {
			return errors.New("limits must not be negative")
		}
		s.limits = l
		return nil
	})
}

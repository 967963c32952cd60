package botyard

import (
	"errors"

	"github.com/chatbot-sdk/chatbot-go"
)

// settings are the options only a Botyard client takes: the slot that
// chatbot.PlatformOption fills in.
type settings struct {
	session string
	// envSession is BOTYARD_SESSION, for NewClientFromEnv: it gives way
	// to the store's token for the server, which is at least as fresh.
	envSession string
	store      SessionStore
	limits     SizeLimits
}

// withEnvSession restores the session from BOTYARD_SESSION unless
// WithSession or the session store gives one.
func withEnvSession(token string) chatbot.Option {
	return chatbot.PlatformOption("botyard."+EnvSession, func(s *settings) error {
		if err := check.Credential("token", token); err != nil {
			return errors.New("the token must not be empty nor hold control characters")
		}
		s.envSession = token
		return nil
	})
}

// WithSession restores a session saved from Client.Session in an earlier
// run, so the client acts as that user without logging in (which would
// create a new user). The token is a secret: it never appears in errors or
// logs. To have it saved and restored for you, use WithSessionStore; a
// token given here wins over the store's.
//
// How long a token lives: the server signs each token with an expiry set
// when it issues it, 7 days later with its default settings
// (limits.user.authTokenLifetime). Users.Create issues the first one, and
// every call that needs the session gets a fresh token with a full new
// lifetime, which the client keeps in place of the one it sent. The token
// sent is not revoked: it stays valid until its own expiry, 7 days after
// the call that issued it. The calls that need no session (ServiceInfo,
// Bots.List, Bots.Get) issue nothing. So a token saved from Client.Session
// stays good for 7 days after the last call made with the session, and a
// client in use keeps its session alive for as long as it makes a call
// every 7 days. An expired token, or one signed with another key (the
// server's JWT_SECRET_KEY changed), fails with ErrSessionExpired.
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

package aimylogic

import (
	"errors"
	"fmt"
	"net/url"
	"strings"
	"time"

	chatbot "github.com/chatbot-sdk/chatbot-go"
	"github.com/chatbot-sdk/chatbot-go/internal/rest"
)

// settings are the options only an Aimylogic client takes: the slot that
// chatbot.PlatformOption fills in.
type settings struct {
	root         pathTemplate
	statePath    pathTemplate
	pollTimeout  time.Duration
	pollInterval time.Duration
}

// Defaults of the settings.
const (
	// DefaultPathRoot is the path before the token on every product but
	// SaluteBot.
	DefaultPathRoot = "chatapi"
	// DefaultStatePath is where the client saves and loads the chat
	// application state, after the token. The documentation lost the
	// path of both calls; this is where their siblings' paths put it.
	DefaultStatePath = "client/{clientId}/state"
	// DefaultPollTimeout bounds one events poll. The server's hold time
	// is not published; the Chat API documentation asks for a timeout
	// comfortably over it, 60 seconds at least.
	DefaultPollTimeout = 90 * time.Second
	// DefaultPollInterval is the least time between the starts of two
	// polls when the first came back empty, so that a server that does
	// not hold the request open is not asked in a tight loop.
	DefaultPollInterval = time.Second
)

func defaultSettings() settings {
	return settings{
		root:         mustTemplate(DefaultPathRoot, false),
		statePath:    mustTemplate(DefaultStatePath, true),
		pollTimeout:  DefaultPollTimeout,
		pollInterval: DefaultPollInterval,
	}
}

// WithPathRoot sets the path before the token: "chatapi" (the default)
// gives https://host/chatapi/{token}/…; SaluteBot serves the same API
// under "chatapi/bot". Segments are separated by "/", may not be empty,
// "." or "..", and hold only characters a path needs no escaping for.
func WithPathRoot(root string) chatbot.Option {
	return chatbot.PlatformOption("aimylogic.WithPathRoot", func(s *settings) error {
		t, err := parseTemplate(root, false)
		if err != nil {
			return err
		}
		s.root = t
		return nil
	})
}

// WithStatePath sets the path of the state calls (State.Save and
// State.Load) after the token, with "{clientId}" where the client ID
// goes; the default is DefaultStatePath. The documentation lost this
// path, so it is configurable in case the server differs.
func WithStatePath(path string) chatbot.Option {
	return chatbot.PlatformOption("aimylogic.WithStatePath", func(s *settings) error {
		t, err := parseTemplate(path, true)
		if err != nil {
			return err
		}
		s.statePath = t
		return nil
	})
}

// WithPollTimeout bounds each events poll (Events.Poll and each poll of
// Events.Follow), retries included; the default is DefaultPollTimeout. It
// must exceed the server's hold time: a poll it cuts short counts as one
// that found no events.
func WithPollTimeout(d time.Duration) chatbot.Option {
	return chatbot.PlatformOption("aimylogic.WithPollTimeout", func(s *settings) error {
		if d <= 0 {
			return errors.New("must be positive")
		}
		s.pollTimeout = d
		return nil
	})
}

// WithPollInterval sets the least time between the starts of two polls of
// Events.Follow when the first found no events (default
// DefaultPollInterval; 0 polls again at once). A server that holds the
// request open until something happens is never slowed down by it.
func WithPollInterval(d time.Duration) chatbot.Option {
	return chatbot.PlatformOption("aimylogic.WithPollInterval", func(s *settings) error {
		if d < 0 {
			return errors.New("must not be negative")
		}
		s.pollInterval = d
		return nil
	})
}

// clientIDField is the placeholder of a path template.
const clientIDField = "{clientId}"

// pathTemplate is a configured path: fixed segments and, for the state
// path, one placeholder for the client ID.
type pathTemplate []string

// parseTemplate checks a configured path. withClient requires exactly one
// "{clientId}" segment; without it none is allowed.
func parseTemplate(path string, withClient bool) (pathTemplate, error) {
	path = strings.Trim(path, "/")
	if path == "" {
		return nil, errors.New("must not be empty")
	}
	var t pathTemplate
	placeholders := 0
	for _, seg := range strings.Split(path, "/") {
		if seg == clientIDField && withClient {
			placeholders++
			t = append(t, seg)
			continue
		}
		switch {
		case seg == "" || seg == "." || seg == "..":
			return nil, fmt.Errorf("has an empty, \".\" or \"..\" segment in %q", path)
		case seg != url.PathEscape(seg):
			return nil, fmt.Errorf("segment %q may hold only ASCII letters, digits and -._~$&+,;=:@", seg)
		}
		t = append(t, seg)
	}
	if withClient && placeholders != 1 {
		return nil, fmt.Errorf("must hold %s exactly once", clientIDField)
	}
	return t, nil
}

// mustTemplate parses a template the package itself defines.
func mustTemplate(path string, withClient bool) pathTemplate {
	t, err := parseTemplate(path, withClient)
	if err != nil {
		panic("aimylogic: bad built-in path " + path)
	}
	return t
}

// segments returns the template as path segments, the client ID (if the
// template has a place for it) as a checked caller ID.
func (t pathTemplate) segments(clientID ...string) []rest.Segment {
	out := make([]rest.Segment, 0, len(t))
	for _, seg := range t {
		if seg == clientIDField && len(clientID) > 0 {
			out = append(out, rest.ID("ClientID", clientID[0]))
			continue
		}
		out = append(out, rest.Lit(seg))
	}
	return out
}

package apierr

import (
	"fmt"
	"net/url"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Segment is one part of a path: a fixed literal, a value that came from
// the caller (named for error messages), or a secret such as Aimylogic's
// bot token, which is sent but shown everywhere as "{name}".
type Segment struct {
	Literal string
	Field   string
	Value   string
	Secret  bool
}

// Lit is a fixed path part, written as it is.
func Lit(s string) Segment { return Segment{Literal: s} }

// ID is a caller-supplied path part, checked with CheckID and escaped.
func ID(field, value string) Segment { return Segment{Field: field, Value: value} }

// SecretSegment is a credential carried in the path. The engine sends it
// escaped and replaces it, in any escaped form, with "{field}" wherever it
// could be shown.
func SecretSegment(field, value string) Segment {
	return Segment{Field: field, Value: value, Secret: true}
}

// MaxIDBytes bounds an identifier: no platform issues longer ones, and a
// huge value would only end up in logs and proxies.
const MaxIDBytes = 1024

// Path joins segments into an escaped path that starts with "/".
func (c Checker) Path(segs ...Segment) (string, error) {
	var b strings.Builder
	for _, s := range segs {
		b.WriteByte('/')
		if s.Field == "" {
			b.WriteString(s.Literal)
			continue
		}
		if err := c.ID(s.Field, s.Value); err != nil {
			return "", err
		}
		b.WriteString(url.PathEscape(s.Value))
	}
	return b.String(), nil
}

// ID validates an identifier before it is used anywhere in a request: in
// a path, a query or a JSON body. Escaping alone is not enough: a proxy
// that decodes %2F before routing sends "../../admin" somewhere else, and
// control characters reach log files. So an ID may not contain "/", "?",
// "#", "%" or a control character, may not be "." or "..", and is at most
// MaxIDBytes long, nor hold invalid UTF-8. Spaces, unicode, quotes and "+&;=" are left alone: some
// platforms allow them and they escape safely.
func (c Checker) ID(field, value string) error {
	switch {
	case strings.TrimSpace(value) == "":
		return c.Invalid(field, "must not be empty")
	case len(value) > MaxIDBytes:
		return c.Invalid(field, fmt.Sprintf("is %d bytes long; IDs are at most %d", len(value), MaxIDBytes))
	case value == "." || value == "..":
		return c.Invalid(field, fmt.Sprintf("must not be %q", value))
	case !utf8.ValidString(value):
		return c.Invalid(field, "must be valid UTF-8") // JSON would change the bytes, and paths would not match
	case strings.ContainsAny(value, "/?#%"):
		return c.Invalid(field, `must not contain "/", "?", "#" or "%"`)
	case strings.IndexFunc(value, unicode.IsControl) >= 0:
		return c.Invalid(field, "must not contain control characters")
	}
	return nil
}

// Credential checks a key or token before a client is built: a CR or LF in
// a header value would split the request, and no control character
// belongs in a credential.
func (c Checker) Credential(field, value string) error {
	switch {
	case value == "":
		return c.Invalid(field, "must not be empty")
	case strings.IndexFunc(value, unicode.IsControl) >= 0:
		return c.Invalid(field, "must not contain control characters (a CR, LF, tab…)")
	}
	return nil
}

package rest

import (
	"fmt"
	"net/url"
	"strings"
)

// Segment is one part of a path: either a fixed literal or a value that came
// from the caller and is named for error messages.
type Segment struct {
	Literal string
	Field   string
	Value   string
}

// Lit is a fixed path part, written as it is.
func Lit(s string) Segment { return Segment{Literal: s} }

// ID is a caller-supplied path part. It must be non-empty and must not be
// "." or ".."; it is escaped, so a "/" inside it stays inside the segment.
func ID(field, value string) Segment { return Segment{Field: field, Value: value} }

// Path joins segments into an escaped path that starts with "/".
func Path(segs ...Segment) (string, error) {
	var b strings.Builder
	for _, s := range segs {
		b.WriteByte('/')
		if s.Field == "" {
			b.WriteString(s.Literal)
			continue
		}
		if err := CheckID(s.Field, s.Value); err != nil {
			return "", err
		}
		b.WriteString(url.PathEscape(s.Value))
	}
	return b.String(), nil
}

// CheckID validates an identifier before it is used anywhere in a request.
func CheckID(field, value string) error {
	switch {
	case strings.TrimSpace(value) == "":
		return Invalid(field, "must not be empty")
	case value == "." || value == "..":
		return Invalid(field, fmt.Sprintf("must not be %q", value))
	case strings.ContainsAny(value, "\x00\r\n"):
		return Invalid(field, "must not contain control characters")
	}
	return nil
}

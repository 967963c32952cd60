package aimylogic

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/chatbot-sdk/chatbot-go/internal/rest"
)

// check makes this package's validation and decode errors, so that each
// says it comes from package aimylogic.
var check = rest.Checker{Pkg: "aimylogic"}

// MaxIDBytes is the longest client ID, connection ID or message ID the SDK
// sends. The API states no limit; the bound keeps a mistaken value (a whole
// document passed as an ID) from reaching a URL.
const MaxIDBytes = 1024

// invalid builds the *chatbot.ValidationError every Validate method
// returns.
func invalid(field, reason string) error { return check.Invalid(field, reason) }

// checkID validates an identifier that is, or may later be, a path segment.
// A client ID travels in the body of a send call but in the path of the
// history, state and status calls, so it is held to the path rules
// everywhere: an ID that could be sent but never looked up would be a trap.
// "/", "?", "#" and "%" are refused rather than escaped because proxies in
// front of the API may decode an escaped segment before routing it.
func checkID(field, value string) error {
	switch {
	case strings.TrimSpace(value) == "":
		return invalid(field, "must not be empty")
	case len(value) > MaxIDBytes:
		return invalid(field, fmt.Sprintf("is %d bytes; at most %d are allowed", len(value), MaxIDBytes))
	case value == "." || value == "..":
		return invalid(field, fmt.Sprintf("must not be %q", value))
	case !utf8.ValidString(value):
		return invalid(field, "must be valid UTF-8")
	case strings.ContainsAny(value, "/?#%"):
		return invalid(field, `must not contain "/", "?", "#" or "%"`)
	case hasControl(value):
		return invalid(field, "must not contain control characters")
	}
	return nil
}

// checkOptionalID validates an identifier that may be left empty, such as
// the connection ID.
func checkOptionalID(field, value string) error {
	if value == "" {
		return nil
	}
	return checkID(field, value)
}

// hasControl reports whether s holds a C0 or C1 control character or DEL.
func hasControl(s string) bool {
	return strings.IndexFunc(s, unicode.IsControl) >= 0
}

// checkQueryOrEvent enforces that a send call carries exactly one of a text
// query and an event name: the server answers 400 otherwise.
func checkQueryOrEvent(query, event string) error {
	switch {
	case query == "" && event == "":
		return invalid("Query", "one of Query or Event is required")
	case query != "" && event != "":
		return invalid("Event", "must be empty when Query is set; send one of the two")
	case query != "" && strings.TrimSpace(query) == "":
		return invalid("Query", "must not be only whitespace")
	case event != "" && strings.TrimSpace(event) == "":
		return invalid("Event", "must not be only whitespace")
	case event != "" && hasControl(event):
		return invalid("Event", "must not contain control characters")
	}
	return nil
}

// indexed names one element of a list field, such as "Statuses[2].Status".
func indexed(list string, i int, field string) string {
	return fmt.Sprintf("%s[%d].%s", list, i, field)
}

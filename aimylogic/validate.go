package aimylogic

import (
	"fmt"
	"strings"
	"unicode"

	"github.com/chatbot-sdk/chatbot-go/internal/rest"
)

// check makes this package's validation and decode errors, so that each
// says it comes from package aimylogic.
var check = rest.Checker{Pkg: "aimylogic"}

// MaxIDBytes is the longest client ID, connection ID or message ID the SDK
// sends: the module's one ID rule (see checkID). The API states no limit;
// the bound keeps a mistaken value (a whole document passed as an ID) from
// reaching a URL.
const MaxIDBytes = rest.MaxIDBytes

// invalid builds the *chatbot.ValidationError every Validate method
// returns.
func invalid(field, reason string) error { return check.Invalid(field, reason) }

// checkID validates an identifier with the module's ID rule. A client ID
// travels in the body of a send call but in the path of the history,
// state and status calls, so it is held to the path rules everywhere: an
// ID that could be sent but never looked up would be a trap.
func checkID(field, value string) error { return check.ID(field, value) }

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

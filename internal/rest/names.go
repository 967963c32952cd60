package rest

import "github.com/chatbot-sdk/chatbot-go/internal/apierr"

// The names platform packages build requests with; defined in apierr,
// next to the errors they produce.
type (
	// Checker makes a package's validation errors and paths.
	Checker = apierr.Checker
	// Segment is one part of a request path.
	Segment = apierr.Segment
)

// MaxIDBytes bounds an identifier.
const MaxIDBytes = apierr.MaxIDBytes

// Path segment constructors: a literal, a caller's ID (validated and
// escaped), and a secret shown as "{field}".
var (
	Lit           = apierr.Lit
	ID            = apierr.ID
	SecretSegment = apierr.SecretSegment
)

package botuj

import (
	"bytes"
	"fmt"
	"strconv"

	"github.com/chatbot-sdk/chatbot-go/internal/lenient"
)

// ID identifies a conversation or a message. The API sends ids as JSON
// integers (7202, 10906), while its own path example writes one as text
// ("/conversation-messages/1234"), so an ID also decodes from a string
// holding an integer. It encodes as a JSON number.
type ID int64

// UnmarshalJSON accepts null (leaving the ID unchanged), a JSON integer, or
// a JSON string holding a base-10 integer. Anything else, fractions and
// exponents included, is an error: an id that cannot be read exactly is
// not one to guess at. The error never repeats the value, which a hostile
// server could fill with anything, a caller's key included.
func (id *ID) UnmarshalJSON(b []byte) error {
	s, null, err := lenient.Scalar(b)
	switch {
	case null:
		return nil
	case err != nil:
		return fmt.Errorf("botuj: id: %w", err)
	}
	kind := "a number"
	if b := bytes.TrimSpace(b); b[0] == '"' {
		kind = fmt.Sprintf("a %d-byte string", len(s))
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		return fmt.Errorf("botuj: id is %s that is not a 64-bit integer", kind)
	}
	*id = ID(n)
	return nil
}

// String returns the id in base 10, as it goes into a URL path.
func (id ID) String() string { return strconv.FormatInt(int64(id), 10) }

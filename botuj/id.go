package botuj

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strconv"
	"unicode/utf8"
)

// ID identifies a conversation or a message. The API sends ids as JSON
// integers (7202, 10906), while its own path example writes one as text
// ("/conversation-messages/1234"), so an ID also decodes from a string
// holding an integer. It encodes as a JSON number.
type ID int64

// maxQuotedID bounds how much of a bad id an error message repeats.
const maxQuotedID = 32

// UnmarshalJSON accepts null (leaving the ID unchanged), a JSON integer, or
// a JSON string holding a base-10 integer. Anything else, fractions and
// exponents included, is an error: an id that cannot be read exactly is
// not one to guess at.
func (id *ID) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	if bytes.Equal(b, []byte("null")) {
		return nil
	}
	s := string(b)
	if len(b) > 0 && b[0] == '"' {
		if err := json.Unmarshal(b, &s); err != nil {
			return fmt.Errorf("botuj: id: %w", err)
		}
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		return fmt.Errorf("botuj: id %q is not a 64-bit integer", quoteStart(s, maxQuotedID))
	}
	*id = ID(n)
	return nil
}

// String returns the id in base 10, as it goes into a URL path.
func (id ID) String() string { return strconv.FormatInt(int64(id), 10) }

// quoteStart returns at most n bytes of s, cut on a rune boundary, so that
// an error never repeats an arbitrarily long server value.
func quoteStart(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n] + "…"
}

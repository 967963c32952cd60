// Package lenient holds the decoding rules that several platforms share
// for values their servers write loosely: timestamps in more than one
// form, and identifiers sent as a string or a number. Each platform keeps
// its own public type and its own parsing rules; the JSON handling, which
// is the same everywhere, lives here once.
package lenient

import (
	"bytes"
	"encoding/json"
	"errors"
	"time"
)

// Stamp is the decoded state of a lenient timestamp: the time (zero when
// it could not be read), the value as received, and whether that value was
// JSON text (a number, an object) rather than the contents of a string.
type Stamp struct {
	Time   time.Time
	Raw    string
	IsJSON bool
}

// DecodeTime reads b, one JSON value. Null or nothing gives the zero
// Stamp; a string is read with parse; a number with parseNumber when it is
// not nil; anything else keeps its text in Raw with a zero time. It never
// fails: one odd timestamp must not fail a whole response.
func DecodeTime(b []byte, parse, parseNumber func(string) time.Time) Stamp {
	b = bytes.TrimSpace(b)
	switch {
	case len(b) == 0 || bytes.Equal(b, []byte("null")):
		return Stamp{}
	case b[0] == '"':
		s, ok := unquote(b)
		if !ok {
			return Stamp{Raw: string(b), IsJSON: true}
		}
		return Stamp{Time: parse(s), Raw: s}
	}
	st := Stamp{Raw: string(b), IsJSON: true}
	if parseNumber != nil {
		st.Time = parseNumber(st.Raw)
	}
	return st
}

// unquote returns the contents of a JSON string, without a second pass
// over the usual string that holds no escapes.
func unquote(b []byte) (string, bool) {
	if len(b) >= 2 && b[len(b)-1] == '"' && bytes.IndexByte(b, '\\') < 0 {
		return string(b[1 : len(b)-1]), true
	}
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return "", false
	}
	return s, true
}

// EncodeTime writes st back as it was received when there is a raw value,
// else the time with format, or null for the zero time.
func EncodeTime(st Stamp, format func(time.Time) string) ([]byte, error) {
	switch {
	case st.Raw != "" && st.IsJSON:
		return []byte(st.Raw), nil
	case st.Raw != "":
		return json.Marshal(st.Raw)
	case st.Time.IsZero():
		return []byte("null"), nil
	}
	return json.Marshal(format(st.Time))
}

// ErrNotScalar is returned by Scalar for a value that is neither a string
// nor a number.
var ErrNotScalar = errors.New("want a string or a number")

// Scalar returns the text of b when it is a JSON string (its contents) or
// a number (its digits, kept exactly); null gives null=true. It is for
// identifiers that some servers send as numbers and others as strings.
func Scalar(b []byte) (text string, null bool, err error) {
	b = bytes.TrimSpace(b)
	switch {
	case bytes.Equal(b, []byte("null")):
		return "", true, nil
	case len(b) > 0 && b[0] == '"':
		s, ok := unquote(b)
		if !ok {
			return "", false, errors.New("malformed string")
		}
		return s, false, nil
	case len(b) > 0 && (b[0] == '-' || (b[0] >= '0' && b[0] <= '9')):
		var n json.Number
		if err := json.Unmarshal(b, &n); err != nil {
			return "", false, errors.New("malformed number")
		}
		return string(n), false, nil
	}
	return "", false, ErrNotScalar
}

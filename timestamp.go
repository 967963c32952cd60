package chatbot

import (
	"strconv"
	"time"

	"github.com/chatbot-sdk/chatbot-go/internal/lenient"
)

// Time is a timestamp from a Chat Thing response. It decodes leniently: the
// documentation's own examples contain dates such as "2024-16-01T10:07:04Z"
// (month 16), and one bad date must not fail a whole response. Raw always
// keeps the string the server sent; Time is zero when it could not be read.
type Time struct {
	time.Time
	// Raw is the value exactly as received ("" for null or absent).
	Raw string
}

// UnmarshalJSON accepts null, an RFC 3339 string, an RFC 3339 string with
// month and day swapped (when the month is over 12 and the day is not), or
// anything else, which leaves the time zero and the raw text in Raw.
func (t *Time) UnmarshalJSON(b []byte) error {
	st := lenient.DecodeTime(b, ParseLenientTime, nil)
	*t = Time{Time: st.Time, Raw: st.Raw}
	return nil
}

// MarshalJSON writes back the raw value when there is one.
func (t Time) MarshalJSON() ([]byte, error) {
	return lenient.EncodeTime(lenient.Stamp{Time: t.Time, Raw: t.Raw}, func(t time.Time) string { return t.Format(time.RFC3339Nano) })
}

// Valid reports whether the timestamp was present and understood.
func (t Time) Valid() bool { return !t.Time.IsZero() }

// ParseLenientTime reads s as RFC 3339; if that fails because the month is
// over 12 while the day is 12 or less, it retries with the two swapped (the
// documented "2024-16-01" becomes 16 January 2024). Anything else gives the
// zero time.
func ParseLenientTime(s string) time.Time {
	if ts, err := time.Parse(time.RFC3339Nano, s); err == nil {
		return ts
	}
	if len(s) < 10 || s[4] != '-' || s[7] != '-' {
		return time.Time{}
	}
	month, err1 := strconv.Atoi(s[5:7])
	day, err2 := strconv.Atoi(s[8:10])
	if err1 != nil || err2 != nil || month <= 12 || day > 12 || day < 1 {
		return time.Time{}
	}
	swapped := s[:5] + s[8:10] + "-" + s[5:7] + s[10:]
	if ts, err := time.Parse(time.RFC3339Nano, swapped); err == nil {
		return ts
	}
	return time.Time{}
}

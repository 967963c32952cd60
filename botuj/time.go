package botuj

import (
	"time"

	"github.com/chatbot-sdk/chatbot-go/internal/lenient"
)

// Time is a createdOn timestamp. The API writes UTC times with six
// fractional digits ("2024-06-23T11:58:10.169778Z"); Time reads any number
// of fractional digits, a numeric offset instead of "Z", and a time with no
// zone at all, which it takes as UTC. A value it cannot read leaves the time
// zero and never fails the page it came in. Raw always keeps the text the
// server sent.
//
// It is not chatbot.Time because the rules differ: chatbot.Time swaps
// month and day in an impossible date, a guess made for Chat Thing's
// documentation that botuj data gives no reason for, and it does not read
// the zone-less form the botuj reference asks clients to accept.
type Time struct {
	time.Time
	// Raw is the value exactly as received ("" for null or absent). A
	// value that was not a JSON string is kept as its JSON text.
	Raw string
}

// zonelessLayout is RFC 3339 without the offset; Parse accepts any number
// of fractional digits after the seconds with it.
const zonelessLayout = "2006-01-02T15:04:05.999999999"

// UnmarshalJSON accepts null, a timestamp string, or any other JSON value,
// which leaves the time zero and its text in Raw. It never returns an
// error.
func (t *Time) UnmarshalJSON(b []byte) error {
	st := lenient.DecodeTime(b, parseTime, nil)
	*t = Time{Time: st.Time, Raw: st.Raw}
	return nil
}

// MarshalJSON writes back the raw value when there is one, so that a
// decoded item encodes to what the server sent.
func (t Time) MarshalJSON() ([]byte, error) {
	return lenient.EncodeTime(lenient.Stamp{Time: t.Time, Raw: t.Raw}, func(t time.Time) string { return t.UTC().Format(time.RFC3339Nano) })
}

// Valid reports whether the timestamp was present and understood.
func (t Time) Valid() bool { return !t.Time.IsZero() }

// parseTime reads s as RFC 3339, or as RFC 3339 without a zone (then UTC).
// Anything else gives the zero time.
func parseTime(s string) time.Time {
	if ts, err := time.Parse(time.RFC3339Nano, s); err == nil {
		return ts
	}
	if ts, err := time.ParseInLocation(zonelessLayout, s, time.UTC); err == nil {
		return ts
	}
	return time.Time{}
}

package aimylogic

import (
	"strconv"
	"strings"
	"time"

	"github.com/chatbot-sdk/chatbot-go/internal/lenient"
)

// Time is a timestamp from the API. The server writes UTC date-times
// without an offset ("2022-09-28T12:32:13.262"), which RFC 3339 parsers
// (and so chatbot.Time) reject; Time reads them as UTC. It never fails to
// decode: a value it cannot read leaves the time zero and its text in Raw,
// so one odd timestamp cannot fail a whole response.
type Time struct {
	time.Time
	// Raw is the value as received: the text of a JSON string, or the
	// JSON itself for a number or any other kind ("" for null or absent).
	Raw string
	// isJSON marks Raw as JSON text (a number, object or boolean) rather
	// than the contents of a string, so that MarshalJSON writes it back
	// unchanged.
	isJSON bool
}

// wireLayout is how the server writes a timestamp: UTC, milliseconds, no
// offset.
const wireLayout = "2006-01-02T15:04:05.000"

// Layouts tried in order after RFC 3339. Fractional seconds of any length
// are accepted by each, because Go's parser allows them after the seconds
// field even when the layout has none.
var offsetLessLayouts = []string{
	"2006-01-02T15:04:05",
	"2006-01-02 15:04:05",
	"2006-01-02T15:04:05Z0700", // Java's default offset form, +0300
}

// UnmarshalJSON accepts null, a date-time string with or without an offset
// (offset-less means UTC), a number of seconds or milliseconds since the
// Unix epoch, or anything else, which leaves the time zero and the text in
// Raw. It never returns an error.
func (t *Time) UnmarshalJSON(b []byte) error {
	st := lenient.DecodeTime(b, func(s string) time.Time { ts, _ := parseTime(s); return ts },
		func(s string) time.Time { ts, _ := parseEpoch(s); return ts })
	*t = Time{Time: st.Time, Raw: st.Raw, isJSON: st.IsJSON}
	return nil
}

// MarshalJSON writes back the raw value when there is one; otherwise it
// writes the time the way the server does (UTC, milliseconds, no offset),
// or null for the zero Time.
func (t Time) MarshalJSON() ([]byte, error) {
	return lenient.EncodeTime(lenient.Stamp{Time: t.Time, Raw: t.Raw, IsJSON: t.isJSON},
		func(t time.Time) string { return t.UTC().Format(wireLayout) })
}

// Valid reports whether the timestamp was present and understood.
func (t Time) Valid() bool { return !t.Time.IsZero() }

// parseTime reads a date-time string: RFC 3339 first (the neighbouring
// JAICP APIs write "…Z"), then the offset-less forms as UTC.
func parseTime(s string) (time.Time, bool) {
	s = strings.TrimSpace(s)
	if ts, err := time.Parse(time.RFC3339Nano, s); err == nil {
		return ts, true
	}
	for _, layout := range offsetLessLayouts {
		if ts, err := time.Parse(layout, s); err == nil {
			return ts.UTC(), true
		}
	}
	if _, err := strconv.ParseUint(s, 10, 64); err == nil {
		return parseEpoch(s)
	}
	return time.Time{}, false
}

// epochMillisFrom is the size above which an epoch number counts as
// milliseconds: 1e11 seconds is the year 5138, 1e11 milliseconds is 1973.
const epochMillisFrom = 100_000_000_000

// parseEpoch reads "1583767519.497" (seconds) or "1583767519497"
// (milliseconds) exactly, without going through a float. Exponents, signs
// and values past the year 9999 give the zero time.
func parseEpoch(s string) (time.Time, bool) {
	whole, frac, _ := strings.Cut(s, ".")
	if whole == "" || len(whole) > 16 || !digits(whole) || !digits(frac) {
		return time.Time{}, false
	}
	n, err := strconv.ParseInt(whole, 10, 64)
	if err != nil {
		return time.Time{}, false
	}
	unit := time.Second
	if n >= epochMillisFrom {
		unit = time.Millisecond
	}
	// Digits of the fraction beyond nanoseconds are dropped.
	frac = (frac + "000000000")[:9]
	nanos, _ := strconv.ParseInt(frac, 10, 64) // nine digits always parse
	var ts time.Time
	if unit == time.Second {
		ts = time.Unix(n, nanos)
	} else {
		ts = time.UnixMilli(n).Add(time.Duration(nanos / 1e3))
	}
	if ts.Year() > 9999 {
		return time.Time{}, false
	}
	return ts.UTC(), true
}

// digits reports whether s is made of ASCII digits only ("" counts).
func digits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

package main

import (
	"strings"
	"time"
)

// parseSince reads --since: an RFC 3339 time (as export prints it), a date
// (midnight UTC), or a duration counted back from now ("36h").
func parseSince(s string, now time.Time) (time.Time, error) {
	s = strings.TrimSpace(s)
	if t, err := time.Parse(time.RFC3339Nano, s); err == nil {
		return t, nil
	}
	if t, err := time.Parse(time.DateOnly, s); err == nil {
		return t, nil
	}
	if d, err := time.ParseDuration(s); err == nil && d > 0 {
		return now.Add(-d), nil
	}
	return time.Time{}, usagef("--since %q: want an RFC 3339 time (2024-06-01T12:00:00Z), a date (2024-06-01) or a duration (36h)", s)
}

package aimylogic

import (
	"bytes"
	"encoding/json"
	"errors"
	"math"
)

// UnreadCount is how many bot messages a client has not read. The
// response's shape is not published, so decoding accepts a bare number, a
// number in a string, or an object holding "count" (or, failing that,
// exactly one numeric field).
type UnreadCount struct {
	Count int `json:"count"`
}

// UnmarshalJSON reads the count from any of the accepted forms. A count
// that is negative, fractional or not found is an error.
func (u *UnreadCount) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	if len(b) > 0 && b[0] == '{' {
		var fields map[string]json.RawMessage
		if err := json.Unmarshal(b, &fields); err != nil {
			return err
		}
		if v, ok := fields["count"]; ok {
			b = v
		} else {
			b = nil
			for _, v := range fields {
				if _, err := countFrom(v, false); err == nil {
					if b != nil {
						return errors.New("unread count: several numbers and no \"count\"")
					}
					b = v
				}
			}
			if b == nil {
				return errors.New("unread count: no number in the object")
			}
		}
	}
	n, err := countFrom(b, true)
	if err != nil {
		return err
	}
	u.Count = n
	return nil
}

// countFrom reads a non-negative whole number from a JSON number or, when
// quoted is true, from a JSON string holding one.
func countFrom(b []byte, quoted bool) (int, error) {
	b = bytes.TrimSpace(b)
	if quoted && len(b) > 0 && b[0] == '"' {
		var s string
		if err := json.Unmarshal(b, &s); err != nil {
			return 0, err
		}
		b = []byte(s)
	}
	var f float64
	if len(b) == 0 || (b[0] != '-' && (b[0] < '0' || b[0] > '9')) {
		return 0, errors.New("unread count: not a number")
	}
	if err := json.Unmarshal(b, &f); err != nil {
		return 0, errors.New("unread count: not a number")
	}
	if f < 0 || f != math.Trunc(f) || f > math.MaxInt32 {
		return 0, errors.New("unread count: not a non-negative whole number")
	}
	return int(f), nil
}

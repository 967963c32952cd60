package rest

import "fmt"

// longestArray reports whether body holds a JSON array of more than max
// elements, at any depth. It runs before decoding: encoding/json allocates
// a whole element for each one, so a page of millions of "{}" (three bytes
// each) would take hundreds of times its own size in memory. Bodies that
// are not JSON pass through untouched; the decoder reports them.
func longestArray(body []byte, max int) error {
	var counts []int // elements seen so far in each open array; -1 for an object
	inString, escaped := false, false
	for i, c := range body {
		switch {
		case inString:
			switch {
			case escaped:
				escaped = false
			case c == '\\':
				escaped = true
			case c == '"':
				inString = false
			}
		case c == '"':
			inString = true
			if err := countValue(counts, max, i); err != nil {
				return err
			}
		case c == '[' || c == '{':
			if err := countValue(counts, max, i); err != nil {
				return err
			}
			if c == '[' {
				counts = append(counts, 0)
			} else {
				counts = append(counts, -1)
			}
		case c == ']' || c == '}':
			if len(counts) > 0 {
				counts = counts[:len(counts)-1]
			}
		case c == ',' || c == ':' || c == ' ' || c == '\t' || c == '\n' || c == '\r':
		default: // a number, true, false or null: counted at its first byte
			if i == 0 || !isScalarByte(body[i-1]) {
				if err := countValue(counts, max, i); err != nil {
					return err
				}
			}
		}
	}
	return nil
}

// countValue counts a value that starts at offset in the innermost open
// array, if that is an array.
func countValue(counts []int, max, offset int) error {
	if n := len(counts); n > 0 && counts[n-1] >= 0 {
		counts[n-1]++
		if counts[n-1] > max {
			return fmt.Errorf("an array holds more than %d items (at byte %d), more than the API ever sends in one response", max, offset)
		}
	}
	return nil
}

func isScalarByte(c byte) bool {
	return c != ',' && c != '[' && c != '{' && c != ':' && c != ' ' && c != '\t' && c != '\n' && c != '\r'
}

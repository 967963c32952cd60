package rest

import (
	"bytes"
	"fmt"
)

// longestArray reports whether body holds a JSON array of more than max
// elements, at any depth. It runs before decoding: encoding/json allocates
// a whole element for each one, so a page of millions of "{}" (three bytes
// each) would take hundreds of times its own size in memory. Bodies that
// are not JSON pass through untouched; the decoder reports them.
func longestArray(body []byte, max int) error {
	var stack [16]int   // no allocation for the usual nesting depth
	counts := stack[:0] // elements seen so far in each open array; -1 for an object
	for i := 0; i < len(body); i++ {
		c := body[i]
		switch {
		case c == '"':
			if err := countValue(counts, max, i); err != nil {
				return err
			}
			i = stringEnd(body, i+1)
		case c == '[' || c == '{':
			if err := countValue(counts, max, i); err != nil {
				return err
			}
			if len(counts) == maxDepth {
				return fmt.Errorf("values nest more than %d deep (at byte %d)", maxDepth, i)
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

// maxDepth is encoding/json's own nesting limit; the scan refuses deeper
// bodies before keeping a counter for each level.
const maxDepth = 10000

// stringEnd returns the index of the quote that closes the string whose
// content starts at i (len(b) when it is not closed). IndexByte skips the
// content in large steps: strings are most of a typical body.
func stringEnd(b []byte, i int) int {
	for {
		j := bytes.IndexByte(b[i:], '"')
		if j < 0 {
			return len(b)
		}
		end := i + j
		backslashes := 0
		for k := end - 1; k >= i && b[k] == '\\'; k-- {
			backslashes++
		}
		if backslashes%2 == 0 {
			return end
		}
		i = end + 1
	}
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

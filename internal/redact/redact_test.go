package redact

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestRedactorCoversEverySpelling(t *testing.T) {
	const token = `a"b c/d+é`
	r := New([]Secret{{Value: token, Shown: "{token}"}, {Value: "hdr-key", Shown: Redacted}}, func() []string { return []string{"cookie=1"} })
	quoted, _ := json.Marshal(token)
	in := bytes.Join([][]byte{[]byte(token), []byte("a%22b%20c%2Fd+%C3%A9"), []byte("a%22b+c%2Fd%2B%C3%A9"), quoted, []byte("hdr-key cookie=1")}, []byte(" | "))
	out := r.Redact(string(in))
	assert.Equal(t, `{token} | {token} | {token} | "{token}" | [REDACTED] [REDACTED]`, out)
}

// A body echoing a key twice: redacting the first copy shortened the text
// and the half-cut second copy slid into the excerpt.
func TestExcerptNeverKeepsPartOfASecondCopy(t *testing.T) {
	const key = "sk_live_Q9w8E7r6Q9w8E7r6Q9w8E7r6Q9w8E7r6Q9w8E7r6Q9w8E7r6Q9w8E7r6Q9w8"
	r := New([]Secret{{Value: key, Shown: Redacted}}, nil)
	for n := 8; n <= 200; n++ {
		for pad := 0; pad < 40; pad++ {
			body := strings.Repeat("x", pad) + key + `","echo":"` + key + strings.Repeat("y", 300)
			got := r.Excerpt([]byte(body), n)
			assert.NotContains(t, got, key[:12], "n=%d pad=%d", n, pad)
		}
	}
}

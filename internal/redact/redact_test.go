package redact

import (
	"bytes"
	"encoding/json"
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

package aimylogic

import (
	"bytes"
	"encoding/json"
	"errors"

	"github.com/chatbot-sdk/chatbot-go/internal/lenient"
	"github.com/chatbot-sdk/chatbot-go/internal/redact"
)

// looseString decodes an identifier the server may write as a JSON string
// or, when the integrator sent a number (one third-party client encodes
// clientId as an integer), as a number, whose text it keeps. Null is "".
type looseString string

func (s *looseString) UnmarshalJSON(b []byte) error {
	text, _, err := lenient.Scalar(b) // null gives ""
	if err != nil {
		return err
	}
	*s = looseString(text)
	return nil
}

// utf8BOM is skipped at the start of a body: some HTTP stacks add it and
// encoding/json rejects it.
var utf8BOM = []byte("\xef\xbb\xbf")

// trimBody removes surrounding white space and a leading byte-order mark.
func trimBody(b []byte) []byte {
	return bytes.TrimRight(b[leadingJunk(b):], jsonSpace)
}

// leadingJunk counts the bytes of white space and byte-order mark that
// trimBody drops from the front of b, so that positions in the trimmed
// body can be reported as positions in b.
func leadingJunk(b []byte) int {
	rest := bytes.TrimLeft(bytes.TrimPrefix(bytes.TrimLeft(b, jsonSpace), utf8BOM), jsonSpace)
	return len(b) - len(rest)
}

// jsonSpace is the white space JSON allows between tokens.
const jsonSpace = " \t\r\n"

// isNull reports whether b (already trimmed) is empty or the JSON null.
func isNull(b []byte) bool {
	return len(b) == 0 || bytes.Equal(b, []byte("null"))
}

// shownToken is what the channel token is replaced with in the raw JSON
// the package keeps for callers (WebhookResult.Raw, Event.Payload).
const shownToken = `"{token}"`

// hideToken returns obj, a JSON object, with the value of every top-level
// "token" string member replaced by "{token}": the server echoes the
// channel token there, and raw JSON kept for callers must not carry it.
// Anything else (another kind of value, a body that is not an object) is
// returned unchanged; obj itself is never modified.
func hideToken(obj []byte) []byte {
	dec := json.NewDecoder(bytes.NewReader(obj))
	if t, err := dec.Token(); err != nil || t != json.Delim('{') {
		return obj
	}
	var spans [][2]int64 // start and end of each token value in obj
	for dec.More() {
		key, err := dec.Token()
		if err != nil {
			return obj
		}
		var v json.RawMessage
		if err := dec.Decode(&v); err != nil {
			return obj
		}
		if key == "token" && len(v) > 0 && v[0] == '"' {
			end := dec.InputOffset()
			spans = append(spans, [2]int64{end - int64(len(v)), end})
		}
	}
	if len(spans) == 0 {
		return obj
	}
	out := make([]byte, 0, len(obj))
	var at int64
	for _, s := range spans {
		out = append(append(out, obj[at:s[0]]...), shownToken...)
		at = s[1]
	}
	return append(out, obj[at:]...)
}

// hideSecrets returns body with every spelling of the secrets r knows (the
// channel token) shown as "{token}". The server echoes the token at the
// top of a response, and bots repeat it deeper (JAICF bots forward the
// raw request, token included, in their debug and response data), so the
// whole body is redacted before anything is decoded from it: no field of
// a result, raw JSON included, can then hold the token.
//
// A token can only be replaced where the text stays JSON, which is inside
// a string. When the replacement breaks a body that was JSON (a token of
// digits that is also part of a number), the body is refused rather than
// decoded with the token in it.
func hideSecrets(r *redact.Redactor, body []byte) ([]byte, error) {
	shown := r.Redact(string(body))
	if shown == string(body) {
		return body, nil
	}
	if !json.Valid([]byte(shown)) && json.Valid(body) {
		return nil, errors.New("the body holds the channel token outside a JSON string, where it cannot be hidden; it is not decoded")
	}
	return []byte(shown), nil
}

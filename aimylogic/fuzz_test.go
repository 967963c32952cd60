package aimylogic

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/chatbot-sdk/chatbot-go/internal/redact"
)

// addFixtureSeeds seeds a fuzz target with every fixture and with the
// replies found inside them.
func addFixtureSeeds(f *testing.F) {
	for _, name := range fixtureNames(f) {
		b, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
		f.Add(append(append([]byte("["), b...), ']'))
	}
	for _, k := range everyKind {
		f.Add([]byte("[" + k.json + "]"))
	}
}

// FuzzReplies feeds arbitrary bytes to the reply-list decoder. Decoding
// may fail, but never panics; what decodes encodes, and encoding is stable
// after one round trip (a raw reply is written back unchanged, a typed one
// in its canonical form).
func FuzzReplies(f *testing.F) {
	addFixtureSeeds(f)
	f.Add([]byte(`[{"type":"hangup"},{"type":"text","text":5},7,null,"x",{"type":7}]`))
	f.Add([]byte(`{"type":"audio","audioUrl":"u","caption":"c"}`))
	f.Fuzz(func(t *testing.T, body []byte) {
		var rs Replies
		if json.Unmarshal(body, &rs) != nil {
			return
		}
		for i, r := range rs {
			if r == nil {
				t.Fatalf("reply %d is nil", i)
			}
			if raw, ok := r.(*RawReply); ok && !json.Valid(raw.JSON) {
				t.Fatalf("raw reply %d holds invalid JSON %q", i, raw.JSON)
			}
		}
		first, err := json.Marshal(rs)
		if err != nil {
			t.Fatalf("decoded replies do not encode: %v", err)
		}
		var again Replies
		if err := json.Unmarshal(first, &again); err != nil {
			t.Fatalf("encoded replies do not decode: %v\n%s", err, first)
		}
		if len(again) != len(rs) {
			t.Fatalf("%d replies became %d", len(rs), len(again))
		}
		for i := range rs {
			if rs[i].ReplyType() != again[i].ReplyType() {
				t.Fatalf("reply %d: type %q became %q", i, rs[i].ReplyType(), again[i].ReplyType())
			}
		}
		second, err := json.Marshal(again)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(first, second) {
			t.Fatalf("encoding is not stable:\n%s\n%s", first, second)
		}
	})
}

// FuzzWebhookBody feeds arbitrary bodies to the webhook decoder, as given
// and with a token value spliced in after every "token" key. It may refuse
// them, but never panics, never quotes the token in its error, and a
// result it accepts keeps its raw object and encodes without a token.
func FuzzWebhookBody(f *testing.F) {
	addFixtureSeeds(f)
	f.Add([]byte("\ufeff[]"))
	f.Add([]byte(`[{"token":"tok","clientId":1,"data":{"replies":{"type":"text"}}},{"replies":[]}]`))
	f.Fuzz(func(t *testing.T, body []byte) {
		const token = "S3CR3T-T0KEN-VALUE"
		withToken := bytes.ReplaceAll(body, []byte(`"token"`), []byte(`"token":"`+token+`","was"`))
		hider := redact.New([]redact.Secret{{Value: token, Shown: "{token}"}}, nil)
		hide := func(obj []byte) ([]byte, error) { return hideSecrets(hider, obj) }
		for i, b := range [][]byte{body, withToken, body, withToken} {
			var got []WebhookResult
			var err error
			if i < 2 {
				got, err = decodeWebhook(b, nil)
			} else {
				// Hidden, the raw JSON kept holds the token nowhere. (The
				// redactor matches the spellings a server writes; a token
				// written with needless \u escapes is not one of them.)
				got, err = decodeWebhook(b, hide)
				for _, r := range got {
					if bytes.Contains(r.Raw, []byte(token)) || bytes.Contains(r.Data.Raw, []byte(token)) {
						t.Fatalf("a hidden result keeps the token: %s", r.Raw)
					}
				}
			}
			if err != nil {
				if got != nil {
					t.Fatalf("results %v with error %v", got, err)
				}
				if bytes.Contains([]byte(err.Error()), []byte(token)) {
					t.Fatalf("error quotes the token: %v", err)
				}
				continue
			}
			for i := range got {
				r := got[i]
				if len(r.Raw) == 0 || !json.Valid(r.Raw) {
					t.Fatalf("result %d: raw %q", i, r.Raw)
				}
				r.Raw = nil
				out, err := json.Marshal(r)
				if err != nil {
					t.Fatalf("result %d does not encode: %v", i, err)
				}
				var members map[string]json.RawMessage
				if err := json.Unmarshal(out, &members); err != nil {
					t.Fatalf("result %d encodes as %s: %v", i, out, err)
				}
				if _, ok := members["token"]; ok {
					t.Fatalf("result %d encodes a token: %s", i, out)
				}
			}
		}
	})
}

// fixtureNames lists every fixture file, for fuzz seeds.
func fixtureNames(t testing.TB) []string {
	t.Helper()
	names, err := filepath.Glob(filepath.Join("..", "testdata", "aimylogic", "*"))
	require.NoError(t, err)
	require.NotEmpty(t, names)
	return names
}

package chatbot_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
	"time"

	chatbot "github.com/chatbot-sdk/chatbot-go"
)

// FuzzDecodeResponses feeds arbitrary bodies to every Chat Thing response
// type: decoding may fail but must never panic, and a timestamp that
// decodes keeps its raw text.
func FuzzDecodeResponses(f *testing.F) {
	files, _ := filepath.Glob(filepath.Join("testdata", "chatthing", "*"))
	for _, name := range files {
		if b, err := os.ReadFile(name); err == nil {
			f.Add(b)
		}
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		targets := []any{
			&chatbot.Reply{}, &chatbot.ConversationPage{}, &chatbot.MessagePage{},
			&chatbot.DataSourcePage{}, &struct {
				DataSource chatbot.DataSource `json:"dataSource"`
			}{}, &chatbot.RowPage{}, &struct {
				Row chatbot.RowDetail `json:"dataSourceRow"`
			}{},
		}
		for _, v := range targets {
			_ = json.Unmarshal(body, v)
		}
		var ts chatbot.Time
		if json.Unmarshal(body, &ts) == nil && ts.Valid() && ts.Raw == "" {
			t.Fatalf("valid time %v without raw text", ts.Time)
		}
	})
}

// FuzzParseLenientTime checks that a parsed time is either the RFC 3339
// reading of the input or of the input with month and day swapped.
func FuzzParseLenientTime(f *testing.F) {
	for _, s := range []string{"2024-16-01T10:07:04.296Z", "2024-01-27T15:02:51.970Z", "2024-13-13T00:00:00Z", "", "2024-1"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got := chatbot.ParseLenientTime(s)
		if got.IsZero() {
			return
		}
		if direct, err := time.Parse(time.RFC3339Nano, s); err == nil {
			if !direct.Equal(got) {
				t.Fatalf("%q: got %v, RFC 3339 says %v", s, got, direct)
			}
			return
		}
		swapped := s[:5] + s[8:10] + "-" + s[5:7] + s[10:]
		want, err := time.Parse(time.RFC3339Nano, swapped)
		if err != nil || !want.Equal(got) {
			t.Fatalf("%q: got %v from nowhere", s, got)
		}
	})
}

package botuj

import (
	"os"
	"path/filepath"
	"testing"
)

// FuzzDecodeList feeds arbitrary bodies to the page decoder for both item
// types. Decoding may fail, but it must not panic, must never return more
// than MaxPageLimit items, must return items (possibly none) exactly when
// it returns no error, and must never report negative paging metadata.
func FuzzDecodeList(f *testing.F) {
	files, _ := filepath.Glob(filepath.Join("..", "testdata", "botuj", "*.json"))
	for _, name := range files {
		b, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
		f.Add(append(append([]byte(`[`), b...), ']'))
		f.Add(append(append([]byte(`{"data":[`), b...), []byte(`],"total":1,"page":1,"per_page":20,"has_more":false}`)...))
	}
	for _, s := range []string{
		`null`, `[]`, `{}`, `{"data":null}`, `{"data":{"items":[{"id":"7"}]}}`,
		`{"results":[],"next":"x","meta":{"total":"3"}}`, `{"id":1,"messages":[{"id":2}]}`,
		`{"conversations":[{"id":1,"firstBotMessage":{"message":"x"}}]}`, `[{"createdOn":"2024-06-23T11:58:10.1"}]`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		convs, cm, cerr := decodeList[Conversation](body, "conversations")
		checkPage(t, len(convs), convs == nil, cm, cerr)
		for _, c := range convs {
			if c.CreatedOn.Valid() && c.CreatedOn.Raw == "" {
				t.Fatalf("valid time %v without raw text", c.CreatedOn.Time)
			}
			_ = c.FirstBotText()
		}
		msgs, mm, merr := decodeList[Message](body, "messages")
		checkPage(t, len(msgs), msgs == nil, mm, merr)
	})
}

func checkPage(t *testing.T, n int, isNil bool, m pageMeta, err error) {
	t.Helper()
	if err != nil {
		if !isNil || m != (pageMeta{}) {
			t.Fatalf("an error (%v) came with items or metadata", err)
		}
		return
	}
	if isNil {
		t.Fatal("no error and no item slice")
	}
	if n > MaxPageLimit {
		t.Fatalf("%d items on one page", n)
	}
	if m.Total < 0 || m.Page < 0 || m.PerPage < 0 || m.LastPage < 0 {
		t.Fatalf("negative metadata %+v", m)
	}
}

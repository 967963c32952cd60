package chatbot_test

import (
	"strings"
	"testing"
	"testing/fstest"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	chatbot "github.com/chatbot-sdk/chatbot-go"
)

func TestDocumentsFromFS(t *testing.T) {
	fsys := fstest.MapFS{
		"faq.md":            {Data: []byte("# FAQ")},
		"guides/Setup.MD":   {Data: []byte("setup")},
		"guides/notes.txt":  {Data: []byte("not markdown")},
		".hidden.md":        {Data: []byte("hidden")},
		".git/config.md":    {Data: []byte("hidden folder")},
		"guides/.draft.md":  {Data: []byte("hidden file")},
		"zz/deeper/last.md": {Data: []byte("last")},
		"guides/empty.md":   {Data: nil},
		"guides/unicode.md": {Data: []byte("zażółć")},
	}
	docs, err := chatbot.DocumentsFromFS(fsys, ".md")
	require.NoError(t, err)
	var names []string
	for _, d := range docs {
		names = append(names, d.Name)
	}
	assert.Equal(t, []string{"faq.md", "guides/Setup.MD", "guides/empty.md", "guides/unicode.md", "zz/deeper/last.md"}, names)
	assert.Equal(t, "zażółć", docs[3].Content)

	_, err = chatbot.DocumentsFromFS(fstest.MapFS{"bad.md": {Data: []byte{0xff, 0xfe}}}, ".md")
	assert.ErrorContains(t, err, "bad.md is not UTF-8")
	_, err = chatbot.DocumentsFromFS(fstest.MapFS{"big.md": {Data: []byte(strings.Repeat("x", chatbot.MaxDocumentBytes+1))}}, ".md")
	assert.ErrorContains(t, err, "big.md is larger than 4 MiB")
	_, err = chatbot.DocumentsFromFS(fstest.MapFS{"a.txt": {}}, ".md")
	assert.ErrorContains(t, err, "no .md files")
}

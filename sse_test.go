package chatbot_test

import (
	"errors"
	"io"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	chatbot "github.com/chatbot-sdk/chatbot-go"
)

// The reader itself is tested in internal/sse; this checks that the names
// the chatbot package exports for it work together as documented.
func TestSSEReaderExportedNames(t *testing.T) {
	assert.Equal(t, 16<<20, chatbot.DefaultMaxEventBytes)

	var got []chatbot.Event
	for ev, err := range chatbot.NewSSEReader(strings.NewReader("event: e\ndata: a\n\ndata: b\n\n")).All() {
		require.NoError(t, err)
		ev.Data = []byte(string(ev.Data)) // Data is valid only until the loop moves on
		got = append(got, ev)
	}
	assert.Equal(t, []chatbot.Event{{Type: "e", Data: []byte("a")}, {Type: "message", Data: []byte("b")}}, got)

	opt := chatbot.WithSSEMaxEventBytes(4)
	r := chatbot.NewSSEReader(strings.NewReader("data: 12345\n\n"), opt)
	_, err := r.Next()
	require.ErrorIs(t, err, chatbot.ErrEventTooLarge)
	assert.Contains(t, err.Error(), "4 bytes")

	_, err = chatbot.NewSSEReader(strings.NewReader("")).Next()
	assert.True(t, errors.Is(err, io.EOF))
}

package chatbot_test

import (
	"context"
	"io"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	chatbot "github.com/chatbot-sdk/chatbot-go"
)

// Every chunk a stream hands over is what encoding/json gives for its
// payload in a fresh struct, whatever the chunks before it held; the
// stream's Role is the first role a chunk announced.
func TestStreamChunksAreWhatEncodingJSONGives(t *testing.T) {
	for name, tc := range map[string]struct {
		payloads []string
		role     chatbot.Role
	}{
		"null role after assistant": {[]string{
			`{"id":"a","choices":[{"index":0,"delta":{"role":"assistant"},"finish_reason":null}]}`,
			`{"id":"a","choices":[{"index":0,"delta":{"role":null,"content":"Hi"},"finish_reason":null}]}`,
			`{"id":null,"choices":[{"index":0,"delta":{"content":"!","role":null},"finish_reason":"stop"}]}`,
		}, chatbot.RoleAssistant},
		"role announced after a null one": {[]string{
			`{"choices":[{"index":0,"delta":{"role":null,"content":"Hi"}}]}`,
			`{"choices":[{"index":0,"delta":{"role":"assistant","content":"!"}}]}`,
			`{"choices":[{"index":0,"delta":{"role":"tool"},"finish_reason":"stop"}]}`,
		}, chatbot.RoleAssistant},
		"nulls everywhere after a full chunk": {[]string{
			`{"id":"a","object":"o","created":1,"model":"m","choices":[{"index":0,"delta":{"role":"assistant","content":"x"},"finish_reason":"length"}]}`,
			`{"id":null,"object":null,"created":null,"model":null,"choices":[{"index":null,"delta":{"role":null,"content":null},"finish_reason":"stop"}]}`,
		}, chatbot.RoleAssistant},
	} {
		t.Run(name, func(t *testing.T) {
			var body strings.Builder
			for _, p := range tc.payloads {
				body.WriteString("data: " + p + "\n\n")
			}
			body.WriteString("data: [DONE]\n\n")
			c, _ := memClient(t, func() io.Reader { return strings.NewReader(body.String()) })
			s, err := c.Messages.Stream(context.Background(), &chatbot.SendParams{ConversationID: "c", Message: "hi"})
			require.NoError(t, err)
			defer s.Close()
			i := 0
			for chunk, err := range s.All() {
				require.NoError(t, err)
				require.Less(t, i, len(tc.payloads))
				want, err := oracle([]byte(tc.payloads[i]))
				require.NoError(t, err)
				assert.Equal(t, want, normalized(*chunk), "chunk %d", i)
				i++
			}
			assert.Equal(t, len(tc.payloads), i)
			assert.Equal(t, tc.role, s.Role())
		})
	}
}

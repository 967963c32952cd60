package botuj

import (
	"fmt"
	"io"
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/chatbot-sdk/chatbot-go/chatbottest"
)

// TestDecodeListReadsTheFake walks the fake's lists in both of its
// envelopes with decodeList: the fake and the decoder agree on the items,
// and the data envelope's metadata is read.
func TestDecodeListReadsTheFake(t *testing.T) {
	envelopes := map[string]chatbottest.BotujEnvelope{"bare array": chatbottest.BotujBareArray, "data envelope": chatbottest.BotujDataEnvelope}
	for name, env := range envelopes {
		t.Run(name, func(t *testing.T) {
			fake := chatbottest.StartBotuj(t, chatbottest.WithBotujEnvelope(env))
			ids := fake.Seed(45)

			var got []Conversation
			for page := 1; ; page++ {
				items, meta, err := decodeList[Conversation](fakeGet(t, fake, fmt.Sprintf("/v1/api/conversations?page=%d&per_page=20", page)), "conversations")
				require.NoError(t, err)
				got = append(got, items...)
				if env == chatbottest.BotujDataEnvelope {
					assert.Equal(t, pageMeta{Total: 45, Page: page, PerPage: 20, LastPage: 3}, meta)
				} else {
					assert.Equal(t, pageMeta{}, meta)
				}
				if len(items) < 20 {
					break
				}
			}
			require.Len(t, got, 45)
			want := fake.Conversations()
			for i, c := range got {
				assert.Equal(t, ID(ids[i]), c.ID)
				assert.Equal(t, want[i].SessionID, c.SessionID)
				assert.Equal(t, want[i].Count, c.Count)
				assert.Equal(t, want[i].FirstUserMessage, c.FirstUserMessage)
				assert.Equal(t, want[i].FirstBotMessage, c.FirstBotMessage)
				assert.Equal(t, fmt.Sprintf("Odpowiedź %d.1: oczywiście, chętnie pomogę.", i+1), c.FirstBotText())
				assert.True(t, want[i].CreatedOn.Equal(c.CreatedOn.Time), "microseconds survive")
			}

			msgs, _, err := decodeList[Message](fakeGet(t, fake, fmt.Sprintf("/v1/api/conversation-messages/%d?per_page=100", ids[3])), "messages")
			require.NoError(t, err)
			stored := fake.Messages(ids[3])
			require.Len(t, msgs, len(stored))
			for i, m := range msgs {
				assert.Equal(t, ID(stored[i].ID), m.ID)
				assert.Equal(t, stored[i].Message, m.Message)
				assert.Equal(t, stored[i].UserID, m.UserID)
				assert.Equal(t, stored[i].IsUser, m.IsUser)
				assert.Equal(t, Type(stored[i].Type), m.Type)
				assert.True(t, stored[i].CreatedOn.Equal(m.CreatedOn.Time))
			}
		})
	}
}

func fakeGet(t *testing.T, fake *chatbottest.Botuj, path string) []byte {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, fake.URL+path, nil)
	require.NoError(t, err)
	req.Header.Set("Authorization", "Bearer "+fake.APIKey)
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	require.Equal(t, http.StatusOK, resp.StatusCode)
	body, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	return body
}

package main

import (
	"bytes"
	"context"
	"errors"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	chatbot "github.com/chatbot-sdk/chatbot-go"
	"github.com/chatbot-sdk/chatbot-go/chatbottest"
)

// countingWriter keeps the output and counts the writes that made it.
type countingWriter struct {
	bytes.Buffer
	writes []string
}

func (w *countingWriter) Write(p []byte) (int, error) {
	w.writes = append(w.writes, string(p))
	return w.Buffer.Write(p)
}

func TestRunWithNoAccount(t *testing.T) {
	var out countingWriter
	require.NoError(t, run(context.Background(), nil, strings.NewReader(""), &out, func(string) string { return "" }))

	got := regexp.MustCompile(`http://127\.0\.0\.1:\d+`).ReplaceAllString(out.String(), "URL")
	assert.Equal(t, `CHATTHING_CHANNEL_ID and CHATTHING_SECRET_KEY are not set: using an in-process fake Chat Thing server (chatbottest) at URL
Started conversation c4a77e1c-0000-4000-8000-000000000001
bot: Hello, how can I help you?
you: How many planets are there in the solar system?
bot: There are eight planets in the solar system.
you: What is the distance to the moon?
bot: The average distance from the Earth to the Moon is about 238,855 miles (384,400 kilometers).

The conversation so far:
  assistant Hello, how can I help you?
  user      How many planets are there in the solar system?
  assistant There are eight planets in the solar system.
  user      What is the distance to the moon?
  assistant The average distance from the Earth to the Moon is about 238,855 miles (384,400 kilometers).
`, got)

	// The streamed reply reached the terminal token by token: one write per
	// documented chunk ("The", " average", ..., ").").
	i := indexOf(out.writes, "The")
	require.GreaterOrEqual(t, i, 0, "writes: %q", out.writes)
	assert.Equal(t, []string{"The", " average", " distance", " from"}, out.writes[i:i+4])
}

func indexOf(list []string, s string) int {
	for i, v := range list {
		if v == s {
			return i
		}
	}
	return -1
}

func TestRunAgainstAConfiguredChannel(t *testing.T) {
	fake := chatbottest.StartChatThing(t, chatbottest.WithChatThingCredentials("chan", "key"))
	env := map[string]string{"CHATTHING_CHANNEL_ID": "chan", "CHATTHING_SECRET_KEY": "key", "CHATTHING_BASE_URL": fake.URL}
	var out bytes.Buffer
	require.NoError(t, run(context.Background(), nil, nil, &out, func(k string) string { return env[k] }))
	assert.True(t, strings.HasPrefix(out.String(), "Started conversation "), "no fake banner: %q", out.String())
	assert.Equal(t, 1, fake.CountRequests("POST", "/conversation"))
	assert.Equal(t, 2, fake.CountRequests("POST", "/message"), "one send, one stream")
	assert.Equal(t, 1, fake.CountRequests("POST", "/messages"))
	ids := fake.ConversationIDs()
	require.Len(t, ids, 1)
	assert.Len(t, fake.Messages(ids[0]), 5)
}

func TestRunReportsFailures(t *testing.T) {
	fake := chatbottest.StartChatThing(t)
	fake.Faults.FailNext(1, http.StatusInternalServerError, chatbottest.OnPath("/conversation"))
	env := map[string]string{"CHATTHING_CHANNEL_ID": fake.ChannelID, "CHATTHING_SECRET_KEY": fake.SecretKey, "CHATTHING_BASE_URL": fake.URL}
	err := run(context.Background(), nil, nil, &bytes.Buffer{}, func(k string) string { return env[k] })
	require.Error(t, err)
	assert.True(t, errors.Is(err, chatbot.ErrServer), "%v", err)
	assert.Contains(t, err.Error(), "starting a conversation")

	fake.CutNextStream(4)
	err = run(context.Background(), nil, nil, &bytes.Buffer{}, func(k string) string { return env[k] })
	require.Error(t, err)
	assert.Contains(t, err.Error(), "streaming a reply")
}

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

// useEnv sets the Chat Thing variables for the test ("" unsets one).
func useEnv(t *testing.T, channelID, secretKey, baseURL string) {
	t.Setenv(chatbot.EnvChannelID, channelID)
	t.Setenv(chatbot.EnvSecretKey, secretKey)
	t.Setenv(chatbot.EnvBaseURL, baseURL)
}

// useFake points the environment at fake.
func useFake(t *testing.T, fake *chatbottest.ChatThing) {
	useEnv(t, fake.ChannelID, fake.SecretKey, fake.URL)
}

func TestRunWithNoAccount(t *testing.T) {
	useEnv(t, "", "", "")
	var out countingWriter
	var errOut bytes.Buffer
	require.NoError(t, run(context.Background(), &out, &errOut))

	assert.Equal(t, "chatbot: no credentials in the environment: set CHATTHING_CHANNEL_ID and CHATTHING_SECRET_KEY: "+
		"using an in-process fake Chat Thing server (chatbottest)\n", errOut.String(), "one line on stderr")
	got := regexp.MustCompile(`Started conversation \S+`).ReplaceAllString(out.String(), "Started conversation ID")
	assert.Equal(t, `Started conversation ID
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
	useEnv(t, "chan", "key", fake.URL)
	var out, errOut bytes.Buffer
	require.NoError(t, run(context.Background(), &out, &errOut))
	assert.Empty(t, errOut.String(), "no fake server notice")
	assert.True(t, strings.HasPrefix(out.String(), "Started conversation "), out.String())
	assert.Equal(t, 1, fake.CountRequests("POST", "/conversation"))
	assert.Equal(t, 2, fake.CountRequests("POST", "/message"), "one send, one stream")
	assert.Equal(t, 1, fake.CountRequests("POST", "/messages"))
	ids := fake.ConversationIDs()
	require.Len(t, ids, 1)
	assert.Len(t, fake.Messages(ids[0]), 5)
}

func TestRunReportsFailures(t *testing.T) {
	fake := chatbottest.StartChatThing(t)
	useFake(t, fake)
	fake.Faults.FailNext(1, http.StatusInternalServerError, chatbottest.OnPath("/conversation"))
	err := run(context.Background(), &bytes.Buffer{}, &bytes.Buffer{})
	require.Error(t, err)
	assert.True(t, errors.Is(err, chatbot.ErrServer), "%v", err)
	assert.Contains(t, err.Error(), "starting a conversation")

	fake.CutNextStream(4)
	err = run(context.Background(), &bytes.Buffer{}, &bytes.Buffer{})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "streaming a reply")

	// Half the credentials: the fake is used, and the notice names what is missing.
	useEnv(t, "chan", "", "")
	var errOut bytes.Buffer
	require.NoError(t, run(context.Background(), &bytes.Buffer{}, &errOut))
	assert.True(t, strings.HasPrefix(errOut.String(), "chatbot: no credentials in the environment: set CHATTHING_SECRET_KEY: "), errOut.String())

	useEnv(t, "chan", "key", "not a url")
	err = run(context.Background(), &bytes.Buffer{}, &bytes.Buffer{})
	var verr *chatbot.ValidationError
	require.ErrorAs(t, err, &verr, "a bad configuration is an error, not a reason to use the fake")
}

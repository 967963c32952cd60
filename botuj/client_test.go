package botuj_test

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	chatbot "github.com/chatbot-sdk/chatbot-go"
	"github.com/chatbot-sdk/chatbot-go/botuj"
	"github.com/chatbot-sdk/chatbot-go/chatbottest"
	"github.com/chatbot-sdk/chatbot-go/internal/testkit"
)

// assertNoSecrets checks err, its whole chain and extras for each secret.
func assertNoSecrets(t *testing.T, err error, secrets ...string) {
	t.Helper()
	for _, s := range secrets {
		testkit.AssertNoSecret(t, s, err)
	}
}

func TestNewClientRefusesBadKeys(t *testing.T) {
	for _, key := range []string{"", "line\nbreak", "tab\tkey", "nul\x00"} {
		c, err := botuj.NewClient(key)
		assert.Nil(t, c)
		var ve *chatbot.ValidationError
		require.True(t, errors.As(err, &ve), "%q: %v", key, err)
		assert.Equal(t, "apiKey", ve.Field)
		assert.True(t, strings.HasPrefix(err.Error(), "botuj: invalid apiKey: "), err.Error())
		if key != "" {
			testkit.AssertNoSecret(t, key, err)
		}
	}

	_, err := botuj.NewClient("k", chatbot.WithBaseURL("ftp://botuj.pl"))
	var ve *chatbot.ValidationError
	require.ErrorAs(t, err, &ve)
	assert.Contains(t, err.Error(), "botuj: invalid base URL")
}

func TestNewClientFromEnv(t *testing.T) {
	t.Setenv(botuj.EnvAPIKey, "")
	t.Setenv(botuj.EnvBaseURL, "")
	_, err := botuj.NewClientFromEnv()
	assert.ErrorIs(t, err, chatbot.ErrNoCredentials)
	assert.Contains(t, err.Error(), "BOTUJ_API_KEY")

	fake := chatbottest.StartBotuj(t, chatbottest.WithBotujAPIKey("env-key"))
	fake.Seed(2)
	t.Setenv(botuj.EnvAPIKey, "env-key")
	t.Setenv(botuj.EnvBaseURL, fake.URL)
	c, err := botuj.NewClientFromEnv()
	require.NoError(t, err)
	defer c.Close()
	page, err := c.Conversations.List(context.Background(), nil)
	require.NoError(t, err)
	assert.Len(t, page.Items, 2, "the key and the base URL came from the environment")

	// An option given here wins over BOTUJ_BASE_URL.
	other := chatbottest.StartBotuj(t, chatbottest.WithBotujAPIKey("env-key"))
	c2, err := botuj.NewClientFromEnv(chatbot.WithBaseURL(other.URL))
	require.NoError(t, err)
	defer c2.Close()
	page, err = c2.Conversations.List(context.Background(), nil)
	require.NoError(t, err)
	assert.Empty(t, page.Items)
	assert.Len(t, other.Requests(), 1)
}

// TestTheKeyNeverShows runs successful and failing calls with a logger
// and checks the key is in no error and no log record, while the fake
// did receive it.
func TestTheKeyNeverShows(t *testing.T) {
	fake := startFake(t, chatbottest.BotujBareArray)
	id := fake.Seed(3)[0]
	logger, logs := testkit.Logger()
	c := fakeClient(t, fake.URL, chatbot.WithLogger(logger))
	ctx := context.Background()

	var errs []error
	_, err := c.Conversations.List(ctx, &botuj.ListParams{Limit: 2})
	require.NoError(t, err)
	fake.Faults.FailNext(1, http.StatusServiceUnavailable, chatbottest.WithRetryAfter("0"))
	_, err = c.Messages.List(ctx, botuj.ID(id), nil)
	require.NoError(t, err, "the 503 was retried")
	_, err = c.Messages.List(ctx, 424242, nil)
	errs = append(errs, err)
	fake.Faults.FailNext(1, http.StatusInternalServerError, chatbottest.WithBody(`{"message":"key `+fakeKey+` rejected"}`, "application/json"))
	_, err = c.Conversations.List(ctx, nil)
	errs = append(errs, err)
	fake.Faults.FailNext(1, http.StatusOK, chatbottest.WithBody(`{"oops":"`+fakeKey+`"}`, "application/json"))
	_, err = c.Conversations.List(ctx, nil)
	errs = append(errs, err)

	for i, err := range errs {
		require.Error(t, err, "call %d", i)
		testkit.AssertNoSecret(t, fakeKey, err)
	}
	lines := logs.Lines()
	assert.Len(t, lines, 6, "one record per attempt")
	assert.Contains(t, logs.String(), `"op":"Conversations.List"`)
	assert.Contains(t, logs.String(), `"path":"/v1/api/conversation-messages/424242"`)
	testkit.AssertNoSecret(t, fakeKey, nil, logs.String())

	for _, r := range fake.Requests() {
		assert.Equal(t, "[redacted]", r.Header.Get("Authorization"), "the fake got a key")
	}
}

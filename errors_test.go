package chatbot_test

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	chatbot "github.com/chatbot-sdk/chatbot-go"
	"github.com/chatbot-sdk/chatbot-go/internal/rest"
	"github.com/chatbot-sdk/chatbot-go/internal/testkit"
)

func TestAPIErrorSentinels(t *testing.T) {
	cases := map[int]error{
		400: chatbot.ErrBadRequest, 422: chatbot.ErrBadRequest, 401: chatbot.ErrUnauthorized,
		403: chatbot.ErrForbidden, 404: chatbot.ErrNotFound, 429: chatbot.ErrRateLimited,
		500: chatbot.ErrServer, 503: chatbot.ErrServer,
	}
	all := []error{chatbot.ErrBadRequest, chatbot.ErrUnauthorized, chatbot.ErrForbidden, chatbot.ErrNotFound,
		chatbot.ErrRateLimited, chatbot.ErrServer, chatbot.ErrUnsuccessful}
	for status, want := range cases {
		err := error(&chatbot.APIError{StatusCode: status})
		for _, s := range all {
			assert.Equal(t, s == want, errors.Is(err, s), "status %d vs %v", status, s)
		}
	}
}

func TestErrorBodiesDecoded(t *testing.T) {
	for _, tc := range []struct {
		name, body, ct, wantMsg string
	}{
		{"json message", `{"success":false,"message":"Channel not enabled"}`, "application/json", "Channel not enabled"},
		{"json error object", `{"error":{"message":"deep"}}`, "application/json", "deep"},
		{"plain text", "upstream exploded\nstack...", "text/plain", "upstream exploded"},
		{"html", "<html><body>502</body></html>", "text/html", "Not Found"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rec := serveChatThing(t, testkit.Exchange{Method: http.MethodPost, Path: prefix + "/conversation",
				Reply: testkit.Reply{Status: http.StatusNotFound, Header: http.Header{"Content-Type": {tc.ct}}, Body: tc.body}})
			_, err := rec.client(t).Chats.Start(context.Background())
			var apiErr *chatbot.APIError
			require.ErrorAs(t, err, &apiErr)
			assert.Equal(t, tc.wantMsg, apiErr.Message)
			assert.Equal(t, tc.body, apiErr.Body)
			assert.Equal(t, "Chats.Start", apiErr.Op)
			assert.Equal(t, http.MethodPost, apiErr.Method)
			assert.Equal(t, rec.URL()+prefix+"/conversation", apiErr.URL)
			assert.Equal(t, 1, apiErr.Attempts)
			assert.Contains(t, err.Error(), "404 Not Found")
		})
	}
}

func TestSuccessFalseOn200IsAnError(t *testing.T) {
	rec := serveChatThing(t, sendHelloExchange(testkit.Reply{Body: `{"success":false,"message":"bot disabled"}`}))
	_, err := rec.client(t).Messages.Send(context.Background(), sendHello)
	var apiErr *chatbot.APIError
	require.ErrorAs(t, err, &apiErr)
	assert.ErrorIs(t, err, chatbot.ErrUnsuccessful)
	assert.Equal(t, http.StatusOK, apiErr.StatusCode)
	assert.Equal(t, "bot disabled", apiErr.Message)
}

func TestSuccessOnlyBodies(t *testing.T) {
	for body, wantErr := range map[string]bool{
		`{ "success": true, }`:  false, // documented, invalid JSON
		``:                      false,
		`{"success":true}`:      false,
		`{ "success": false, }`: true,
		`{"success":false}`:     true,
	} {
		rec := serveChatThing(t, testkit.Exchange{Method: http.MethodPost, Path: prefix + "/data-sources/sync", JSON: `{"dataSourceId":"ds"}`, Reply: testkit.Reply{Body: body}})
		err := rec.client(t).DataSources.Sync(context.Background(), "ds")
		assert.Equal(t, wantErr, err != nil, "body %q: %v", body, err)
		if wantErr {
			assert.ErrorIs(t, err, chatbot.ErrUnsuccessful)
		}
	}
}

func TestDecodeErrorNamesCallAndSnippet(t *testing.T) {
	rec := serveChatThing(t, startExchange(testkit.Reply{Body: `{"success":true,"conversationId":42}`}))
	_, err := rec.client(t).Chats.Start(context.Background())
	var de *chatbot.DecodeError
	require.ErrorAs(t, err, &de)
	assert.Equal(t, "Chats.Start", de.Op)
	assert.Equal(t, `{"success":true,"conversationId":42}`, de.Snippet)
	assert.Contains(t, err.Error(), "conversationId")
}

func TestResponseBodyLimit(t *testing.T) {
	rec := serveChatThing(t, startExchange(testkit.Reply{Body: `{"success":true,"response":"` + strings.Repeat("x", 4096) + `"}`}))
	_, err := rec.client(t, chatbot.WithMaxResponseBytes(1024)).Chats.Start(context.Background())
	require.ErrorIs(t, err, chatbot.ErrBodyTooLarge)
}

// TestSecretNeverLeaks drives every error path with a server that echoes the
// secret back, and checks error strings and log records.
func TestSecretNeverLeaks(t *testing.T) {
	logger, logs := testkit.TextLogger()
	echo := func(status int) testkit.Reply {
		return testkit.Reply{Status: status, Body: `{"success":false,"message":"bad key ` + testSecret + `"}`}
	}
	var errs []error
	for _, r := range []struct {
		reply    testkit.Reply
		attempts int
	}{
		{echo(403), 1}, {echo(500), 1}, {echo(200), 1}, {testkit.Reply{Body: `{"oops ` + testSecret}, 1}, {echo(503), 2},
	} {
		rec := serveChatThing(t, times(r.attempts, startExchange(r.reply)))
		_, err := rec.client(t, chatbot.WithLogger(logger), chatbot.WithMaxAttempts(2)).Chats.Start(context.Background())
		require.Error(t, err)
		errs = append(errs, err)
	}
	// A secret placed in an ID by mistake is redacted from the URL too.
	rec := serveChatThing(t, testkit.Exchange{Method: http.MethodGet, Path: prefix + "/data-sources", RawQuery: "dataSourceId=" + testSecret, Reply: echo(404)})
	_, err := rec.client(t, chatbot.WithLogger(logger)).DataSources.Get(context.Background(), testSecret)
	var apiErr *chatbot.APIError
	require.ErrorAs(t, err, &apiErr)
	assert.Contains(t, apiErr.URL, "dataSourceId=[REDACTED]")
	assert.Contains(t, apiErr.Message, "bad key [REDACTED]")
	errs = append(errs, err)
	// A transport failure.
	c, err := chatbot.NewClient(testChannel, testSecret, chatbot.WithBaseURL("http://127.0.0.1:1"), chatbot.WithLogger(logger), chatbot.WithMaxAttempts(1))
	require.NoError(t, err)
	_, err = c.Chats.Start(context.Background())
	require.Error(t, err)
	errs = append(errs, err)
	_, err = c.DataSources.Get(context.Background(), "")
	errs = append(errs, err)
	_, err = chatbot.NewClient(testChannel, testSecret, chatbot.WithBaseURL("::bad"))
	errs = append(errs, err)

	for _, err := range errs {
		require.Error(t, err)
		testkit.AssertNoSecret(t, testSecret, err)
	}
	assert.NotEmpty(t, logs.String())
	testkit.AssertNoSecret(t, testSecret, nil, logs.String())
}

func TestLoggerRecordsAttempts(t *testing.T) {
	logger, logs := testkit.Logger()
	rec := serveChatThing(t, startExchange(testkit.Reply{Status: 503}), startExchange(recorded("start_conversation.json")))
	_, err := rec.client(t, chatbot.WithLogger(logger)).Chats.Start(context.Background())
	require.NoError(t, err)
	lines := logs.Lines()
	require.Len(t, lines, 2)
	assert.Contains(t, lines[0], `"level":"WARN"`)
	assert.Contains(t, lines[0], `"status":503`)
	assert.Contains(t, lines[0], `"attempt":1`)
	assert.Contains(t, lines[1], `"level":"DEBUG"`)
	assert.Contains(t, lines[1], `"status":200`)
	assert.Contains(t, lines[1], `"attempt":2`)
	assert.Contains(t, lines[1], `"path":"`+prefix+`/conversation"`)
	assert.Contains(t, lines[1], `"op":"Chats.Start"`)
	assert.Contains(t, lines[1], `"duration"`)
}

func TestTypedCallsNeedTheSuccessEnvelope(t *testing.T) {
	for _, body := range []string{``, `{}`, `<html>portal</html>`, `{"conversationId":"x","response":"y"}`} {
		rec := serveChatThing(t, sendHelloExchange(testkit.Reply{Body: body}))
		_, err := rec.client(t).Messages.Send(context.Background(), sendHello)
		var de *chatbot.DecodeError
		require.ErrorAs(t, err, &de, "body %q", body)
		assert.Equal(t, "Messages.Send", de.Op)
	}
	rec := serveChatThing(t, testkit.Exchange{Method: http.MethodGet, Path: prefix + "/data-sources", RawQuery: "dataSourceId=ds", Reply: testkit.Reply{Body: `{}`}})
	_, err := rec.client(t).DataSources.Get(context.Background(), "ds")
	var de *chatbot.DecodeError
	require.ErrorAs(t, err, &de)
}

func TestVersionIsTheUserAgents(t *testing.T) {
	assert.Equal(t, chatbot.Version, rest.Version, "the User-Agent reports the SDK's version")
}

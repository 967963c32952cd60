package aimylogic_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	chatbot "github.com/chatbot-sdk/chatbot-go"
	"github.com/chatbot-sdk/chatbot-go/aimylogic"
	"github.com/chatbot-sdk/chatbot-go/internal/testkit"
)

// notFoundText is the server's answer to an unknown token: it echoes the
// token.
const notFoundText = "ChannelChat config not found for token " + token + " and channel CHATAPI"

func TestWrongTokenErrorHidesTheToken(t *testing.T) {
	// The server echoes the token raw and, in a JSON body, escaped; the
	// URL carries it path-escaped. None of it may show.
	jsonBody := testkit.ToJSON(t, map[string]string{"error": notFoundText, "path": root})
	srv := aimyWire.Serve(t,
		testkit.Exchange{
			Method: http.MethodGet, Path: root + "/client/test/message-not-read-count",
			Reply: testkit.Reply{Status: http.StatusNotFound, Body: notFoundText, Header: http.Header{"Content-Type": {"text/plain"}}},
		},
		testkit.Exchange{
			Method: http.MethodPost, Path: root, JSON: `{"clientId":"test","query":"hi"}`,
			Reply: testkit.Reply{Status: http.StatusNotFound, Body: jsonBody},
		},
	)
	logger, logs := testkit.Logger()
	c := clientFor(t, srv.URL(), chatbot.WithLogger(logger))

	_, err := c.Statuses.UnreadCount(context.Background(), "test")
	require.ErrorIs(t, err, chatbot.ErrNotFound)
	var api *chatbot.APIError
	require.ErrorAs(t, err, &api)
	assert.Equal(t, "Statuses.UnreadCount", api.Op)
	assert.Equal(t, "ChannelChat config not found for token {token} and channel CHATAPI", api.Message)
	assert.Contains(t, api.URL, "/chatapi/{token}/client/test/message-not-read-count")
	testkit.AssertNoSecret(t, token, err, api.URL, api.Body, api.Message, logs.String())

	_, err = c.Messages.Send(context.Background(), &aimylogic.SendParams{ClientID: "test", Query: "hi"})
	require.ErrorAs(t, err, &api)
	assert.Equal(t, "ChannelChat config not found for token {token} and channel CHATAPI", api.Message)
	testkit.AssertNoSecret(t, token, err, api.URL, api.Body, logs.String())
	assert.NotEmpty(t, logs.Lines(), "the attempts were logged")
}

func TestTransportAndDecodeErrorsHideTheToken(t *testing.T) {
	srv := aimyWire.Serve(t,
		testkit.Exchange{Method: http.MethodGet, Path: root + "/client/test/state", Reply: testkit.Reply{Hangup: true}, Times: 2},
		testkit.Exchange{
			Method: http.MethodGet, Path: root + "/client/test/message/q/status",
			Reply: testkit.Reply{Body: `<p>no channel ` + url.QueryEscape(token) + ` here</p>`},
		},
		testkit.Exchange{
			Method: http.MethodPost, Path: root, JSON: `{"clientId":"test","query":"hi"}`,
			Reply: testkit.Reply{Body: `{"token":"` + token + `","clientId":7,"data":{"replies":5}}`},
		},
	)
	logger, logs := testkit.TextLogger()
	c := clientFor(t, srv.URL(), chatbot.WithLogger(logger), chatbot.WithMaxAttempts(2))

	_, err := c.State.Load(context.Background(), "test")
	var te *chatbot.TransportError
	require.ErrorAs(t, err, &te)
	assert.Equal(t, "/chatapi/{token}/client/test/state", te.Path)
	testkit.AssertNoSecret(t, token, err, logs.String())

	_, err = c.Statuses.Get(context.Background(), "test", "q")
	var de *chatbot.DecodeError
	require.ErrorAs(t, err, &de)
	assert.Contains(t, de.Snippet, "{token}")
	testkit.AssertNoSecret(t, token, err, de.Snippet)

	_, err = c.Messages.Send(context.Background(), &aimylogic.SendParams{ClientID: "test", Query: "hi"})
	require.ErrorAs(t, err, &de)
	testkit.AssertNoSecret(t, token, err, de.Snippet, logs.String())
}

func TestResultsDoNotKeepTheToken(t *testing.T) {
	c, _ := replay(t, testkit.Exchange{
		Method: http.MethodPost, Path: root, JSON: `{"clientId":"test","query":"hi"}`,
		Reply: testkit.Reply{Body: `{"token":"` + token + `","clientId":"test","questionId":"q","data":{"answer":"ok"}}`},
	})
	resp, err := c.Messages.Send(context.Background(), &aimylogic.SendParams{ClientID: "test", Query: "hi"})
	require.NoError(t, err)
	assert.Equal(t, "ok", resp.Data.Answer)
	testkit.AssertNoSecret(t, token, nil, testkit.ToJSON(t, resp))
}

func TestNewClientRefusesBadTokens(t *testing.T) {
	for name, bad := range map[string]string{
		"empty":        "",
		"slash":        "abc/" + token,
		"question":     token + "?x=1",
		"percent":      token + "%41",
		"control":      token + "\r\nX-Evil: 1",
		"dot dot":      "..",
		"only spaces":  "   ",
		"invalid utf8": token + "\xff",
	} {
		t.Run(name, func(t *testing.T) {
			_, err := aimylogic.NewClient(bad)
			var ve *chatbot.ValidationError
			require.ErrorAs(t, err, &ve)
			assert.Equal(t, "token", ve.Field)
			if len(bad) > 2 {
				testkit.AssertNoSecret(t, bad, err)
			}
		})
	}
}

func TestNewClientRefusesBadOptions(t *testing.T) {
	for name, opt := range map[string]chatbot.Option{
		"root empty":           aimylogic.WithPathRoot(""),
		"root dot dot":         aimylogic.WithPathRoot("chatapi/../admin"),
		"root query":           aimylogic.WithPathRoot("chatapi?x"),
		"root space":           aimylogic.WithPathRoot("chat api"),
		"state without client": aimylogic.WithStatePath("client/state"),
		"state twice":          aimylogic.WithStatePath("{clientId}/state/{clientId}"),
		"state percent":        aimylogic.WithStatePath("client/{clientId}/st%61te"),
		"poll timeout":         aimylogic.WithPollTimeout(0),
		"poll interval":        aimylogic.WithPollInterval(-1),
	} {
		t.Run(name, func(t *testing.T) {
			_, err := aimylogic.NewClient(token, opt)
			var ve *chatbot.ValidationError
			require.ErrorAs(t, err, &ve)
			assert.Contains(t, ve.Field, "aimylogic.With")
			testkit.AssertNoSecret(t, token, err)
		})
	}
}

func TestOptionOfAnotherPlatformIsRefused(t *testing.T) {
	_, err := chatbot.NewClient("chan", "key", aimylogic.WithPathRoot("chatapi/bot"))
	var ve *chatbot.ValidationError
	require.ErrorAs(t, err, &ve)
	assert.Contains(t, ve.Reason, "option of package aimylogic")
}

func TestPathRootAndHostPresets(t *testing.T) {
	srv := aimyWire.Serve(t, testkit.Exchange{
		Method: http.MethodGet, Path: "/proxy/chatapi/bot/tok%20en:%C3%BC+1/client/test/message-not-read-count",
		Reply: testkit.Reply{Body: `{"count":1}`},
	})
	c := clientFor(t, srv.URL()+"/proxy", aimylogic.WithPathRoot("chatapi/bot"))
	n, err := c.Statuses.UnreadCount(context.Background(), "test")
	require.NoError(t, err)
	assert.Equal(t, 1, n.Count)

	for _, host := range []string{aimylogic.AimylogicURL, aimylogic.JAICPURL, aimylogic.JAICPAppURL, aimylogic.TovieURL} {
		u, err := url.Parse(host)
		require.NoError(t, err)
		assert.Equal(t, "https", u.Scheme, host)
		assert.Empty(t, u.Path, host)
		_, err = aimylogic.NewClient(token, chatbot.WithBaseURL(host))
		assert.NoError(t, err, host)
	}
	assert.Equal(t, aimylogic.AimylogicURL, aimylogic.DefaultBaseURL)
}

func TestNewClientFromEnv(t *testing.T) {
	t.Setenv(aimylogic.EnvToken, "")
	t.Setenv(aimylogic.EnvBaseURL, "")
	_, err := aimylogic.NewClientFromEnv()
	require.ErrorIs(t, err, chatbot.ErrNoCredentials)
	assert.Contains(t, err.Error(), "AIMYLOGIC_TOKEN")

	srv := aimyWire.Serve(t, testkit.Exchange{
		Method: http.MethodGet, Path: root + "/client/test/message-not-read-count", Reply: testkit.Reply{Body: `{"count":2}`},
	})
	t.Setenv(aimylogic.EnvToken, token)
	t.Setenv(aimylogic.EnvBaseURL, srv.URL())
	c, err := aimylogic.NewClientFromEnv()
	require.NoError(t, err)
	defer c.Close()
	n, err := c.Statuses.UnreadCount(context.Background(), "test")
	require.NoError(t, err)
	assert.Equal(t, 2, n.Count)

	// An option given here wins over the environment.
	t.Setenv(aimylogic.EnvBaseURL, "http://127.0.0.1:1")
	c2, err := aimylogic.NewClientFromEnv(chatbot.WithBaseURL("ftp://x"))
	assert.Nil(t, c2)
	var ve *chatbot.ValidationError
	require.ErrorAs(t, err, &ve)
	assert.Equal(t, "base URL", ve.Field)
}

func TestValidationBeforeAnyRequest(t *testing.T) {
	c, srv := replay(t) // any request fails the test
	ctx := context.Background()
	calls := map[string]func() error{
		"Send": func() error {
			_, err := c.Messages.Send(ctx, &aimylogic.SendParams{ClientID: "a/b", Query: "hi"})
			return err
		},
		"Send nil": func() error { _, err := c.Messages.Send(ctx, nil); return err },
		"SendSimple": func() error {
			_, err := c.Messages.SendSimple(ctx, &aimylogic.SimpleSendParams{ClientID: "a"})
			return err
		},
		"SendAsync": func() error {
			_, err := c.Messages.SendAsync(ctx, &aimylogic.SendParams{ClientID: "a", Query: "x", Event: "y"})
			return err
		},
		"Poll": func() error {
			_, err := c.Events.Poll(ctx, &aimylogic.EventsParams{ClientID: "a", TS: "yesterday"})
			return err
		},
		"History": func() error {
			_, err := c.History.List(ctx, &aimylogic.HistoryParams{ClientID: "a", Limit: -1})
			return err
		},
		"State.Save": func() error { return c.State.Save(ctx, &aimylogic.SaveStateParams{ClientID: "a", State: []int{1}}) },
		"State.Nil":  func() error { return c.State.Save(ctx, nil) },
		"State.Load": func() error { _, err := c.State.Load(ctx, ".."); return err },
		"Status.Get": func() error { _, err := c.Statuses.Get(ctx, "a", "q#1"); return err },
		"Status.Set": func() error {
			return c.Statuses.Set(ctx, &aimylogic.SetStatusParams{ClientID: "a", QuestionID: "q", Status: "SEEN"})
		},
		"Status.Many": func() error { return c.Statuses.SetMany(ctx, &aimylogic.SetStatusesParams{ClientID: "a"}) },
		"Unread":      func() error { _, err := c.Statuses.UnreadCount(ctx, ""); return err },
		"Follow": func() error {
			for _, err := range c.Events.Follow(ctx, &aimylogic.EventsParams{}) {
				return err
			}
			return errors.New("no pair")
		},
		"ListAll": func() error {
			for _, err := range c.History.ListAll(ctx, &aimylogic.HistoryParams{ClientID: "a", Offset: -1}) {
				return err
			}
			return errors.New("no pair")
		},
	}
	for name, call := range calls {
		t.Run(name, func(t *testing.T) {
			err := call()
			var ve *chatbot.ValidationError
			require.ErrorAs(t, err, &ve)
			assert.Regexp(t, `^aimylogic: invalid `, err.Error())
		})
	}
	assert.Empty(t, srv.Requests())
}

func TestPrintingAClientOrHandlerShowsNoToken(t *testing.T) {
	c, err := aimylogic.NewClient(token)
	require.NoError(t, err)
	defer c.Close()
	h, err := aimylogic.NewWebhookHandler(token, nil)
	require.NoError(t, err)
	testkit.AssertNoSecret(t, token, nil,
		fmt.Sprintf("%+v", *c), fmt.Sprintf("%#v", *c), fmt.Sprintf("%+v", *c.Messages),
		fmt.Sprintf("%+v", h), fmt.Sprintf("%#v", h))
}

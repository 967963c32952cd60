package aimylogic_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	chatbot "github.com/chatbot-sdk/chatbot-go"
	"github.com/chatbot-sdk/chatbot-go/aimylogic"
	"github.com/chatbot-sdk/chatbot-go/internal/testkit"
)

// withToken is the documented webhook fixture with its token replaced by
// token: the body a delivery of this channel carries.
func withToken(t testing.TB, name string) string {
	t.Helper()
	return strings.ReplaceAll(string(testkit.Fixture(t, "testdata/aimylogic/"+name)), `"token": "token"`, `"token": "`+token+`"`)
}

// result is a result object of this channel for clientID and questionID.
func result(clientID, questionID, answer string) string {
	return fmt.Sprintf(`{"token":%q,"clientId":%q,"questionId":%q,"data":{"answer":%q},"timestamp":"2024-06-03T15:30:00.000"}`,
		token, clientID, questionID, answer)
}

// deliver posts body to h and returns the recorded answer.
func deliver(h http.Handler, body string) *httptest.ResponseRecorder {
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodPost, "/hook", strings.NewReader(body)))
	return rec
}

// recorder collects the results an OnResult callback receives.
type recorder struct {
	mu  sync.Mutex
	got []*aimylogic.WebhookResult
	err error
}

func (r *recorder) onResult(_ context.Context, res *aimylogic.WebhookResult) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.got = append(r.got, res)
	return r.err
}

func (r *recorder) results() []*aimylogic.WebhookResult {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]*aimylogic.WebhookResult(nil), r.got...)
}

// callbackHandler is a handler whose results go to a recorder, logging
// refusals.
func callbackHandler(t *testing.T) (*aimylogic.WebhookHandler, *recorder, *testkit.LogBuffer) {
	t.Helper()
	rec := &recorder{}
	logger, logs := testkit.Logger()
	h, err := aimylogic.NewWebhookHandler(token, &aimylogic.WebhookOptions{OnResult: rec.onResult, Logger: logger})
	require.NoError(t, err)
	return h, rec, logs
}

func TestWebhookArrayAndSingleObject(t *testing.T) {
	for _, name := range []string{"webhook_result_array.json", "webhook_result.json"} {
		t.Run(name, func(t *testing.T) {
			h, rec, logs := callbackHandler(t)
			resp := deliver(h, withToken(t, name))
			assert.Equal(t, http.StatusOK, resp.Code)
			got := rec.results()
			require.Len(t, got, 1)
			assertDocumented(t, &got[0].Response)
			assert.True(t, got[0].HasToken(token))
			assert.Contains(t, string(got[0].Raw), `"token": "{token}"`)
			testkit.AssertNoSecret(t, token, nil, string(got[0].Raw), fmt.Sprintf("%+v", *got[0]), logs.String())
		})
	}
}

func TestWebhookHidesTheTokenEverywhereInRaw(t *testing.T) {
	h, rec, _ := callbackHandler(t)
	body := `{"token":"` + token + `","clientId":"u","data":{"answer":"x","echo":"` + token + `"}}`
	require.Equal(t, http.StatusOK, deliver(h, body).Code)
	got := rec.results()
	require.Len(t, got, 1)
	testkit.AssertNoSecret(t, token, nil, string(got[0].Raw))
	assert.Contains(t, string(got[0].Raw), `"echo":"{token}"`)
}

func TestWebhookSeveralResultsAndAnEmptyArray(t *testing.T) {
	h, rec, _ := callbackHandler(t)
	resp := deliver(h, "["+result("u1", "q1", "one")+","+result("u2", "q2", "two")+"]")
	assert.Equal(t, http.StatusOK, resp.Code)
	got := rec.results()
	require.Len(t, got, 2)
	assert.Equal(t, "q1", got[0].QuestionID)
	assert.Equal(t, "one", got[0].Data.Answer)
	assert.Equal(t, "u2", got[1].ClientID)

	assert.Equal(t, http.StatusOK, deliver(h, " [ ] ").Code)
	assert.Len(t, rec.results(), 2, "nothing more")
}

func TestWebhookRefusals(t *testing.T) {
	documented := string(testkit.Fixture(t, "testdata/aimylogic/webhook_documented.txt"))
	cases := map[string]struct {
		body   string
		status int
		reason string
	}{
		"documented comment": {documented, http.StatusBadRequest, "not valid JSON at byte 149"},
		"not JSON":           {"token=" + token, http.StatusBadRequest, "not valid JSON"},
		"empty":              {"", http.StatusBadRequest, "webhook body is empty"},
		"a string":           {`"` + token + `"`, http.StatusBadRequest, "must be a JSON object or an array"},
		"no token":           {`{"clientId":"u"}`, http.StatusForbidden, "result 0 does not carry this channel's token"},
		"wrong token":        {strings.Replace(result("u", "q", "x"), token, "tok en:ü+2", 1), http.StatusForbidden, "does not carry"},
		"one bad of two":     {"[" + result("u", "q", "x") + `,{"token":"nope"}]`, http.StatusForbidden, "result 1 does not carry"},
		// The text-campaign service's sending report (EventSendingCallbackDto)
		// has no token: WebhookResult.Raw's doc says it is refused.
		"text-campaign report": {`{"status":"SENT","channelStatus":"OK","channelStatusDescription":"","textCampaignId":12,` +
			`"eventSendingInfoId":3,"eventSendingTemplateId":4,"eventSendingTime":"2024-06-03T15:30:00Z"}`, http.StatusForbidden, "result 0 does not carry"},
		"type error": {`{"token":"` + token + `","data":{"confidence":"` + token + `"}}`, http.StatusBadRequest, "data.confidence"},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			h, rec, logs := callbackHandler(t)
			resp := deliver(h, c.body)
			assert.Equal(t, c.status, resp.Code)
			assert.Contains(t, resp.Body.String(), c.reason)
			assert.Equal(t, "text/plain; charset=utf-8", resp.Header().Get("Content-Type"))
			assert.Empty(t, rec.results(), "nothing is delivered from a refused body")
			assert.Contains(t, logs.String(), c.reason)
			testkit.AssertNoSecret(t, token, nil, resp.Body.String(), logs.String())
		})
	}
}

func TestWebhookMethod(t *testing.T) {
	h, rec, _ := callbackHandler(t)
	for _, method := range []string{http.MethodGet, http.MethodPut, http.MethodHead} {
		resp := httptest.NewRecorder()
		h.ServeHTTP(resp, httptest.NewRequest(method, "/hook", strings.NewReader(result("u", "q", "x"))))
		assert.Equal(t, http.StatusMethodNotAllowed, resp.Code, method)
		assert.Equal(t, "POST", resp.Header().Get("Allow"))
	}
	assert.Empty(t, rec.results())
}

func TestWebhookOversizedBody(t *testing.T) {
	h, rec, _ := callbackHandler(t)
	big := result("u", "q", strings.Repeat("x", aimylogic.MaxWebhookBody))

	// Announced by Content-Length: refused before reading.
	resp := deliver(h, big)
	assert.Equal(t, http.StatusRequestEntityTooLarge, resp.Code)

	// Sent without a length (chunked): refused once the limit is passed.
	srv := httptest.NewServer(h)
	defer srv.Close()
	req, err := http.NewRequest(http.MethodPost, srv.URL, io.MultiReader(strings.NewReader(big)))
	require.NoError(t, err)
	req.ContentLength = -1
	got, err := srv.Client().Do(req)
	require.NoError(t, err)
	defer got.Body.Close()
	assert.Equal(t, http.StatusRequestEntityTooLarge, got.StatusCode)
	assert.Empty(t, rec.results())

	// Just under the limit is fine.
	fits := result("u", "q", strings.Repeat("x", aimylogic.MaxWebhookBody-200))
	assert.Equal(t, http.StatusOK, deliver(h, fits).Code)
}

func TestWebhookCallbackFailureAsksForARetry(t *testing.T) {
	h, rec, logs := callbackHandler(t)
	rec.err = errors.New("database down")
	resp := deliver(h, result("u", "q", "x"))
	assert.Equal(t, http.StatusInternalServerError, resp.Code)
	assert.NotContains(t, resp.Body.String(), "database", "the app's error stays in its log")
	assert.Contains(t, logs.String(), "database down")
}

func TestWebhookChannelBackpressure(t *testing.T) {
	results := make(chan *aimylogic.WebhookResult, 1)
	h, err := aimylogic.NewWebhookHandler(token, &aimylogic.WebhookOptions{Results: results, DeliveryTimeout: 20 * time.Millisecond})
	require.NoError(t, err)

	// Two results, room for one and no reader: the second waits out the
	// delivery timeout and the platform is told to come back.
	resp := deliver(h, "["+result("u", "q1", "one")+","+result("u", "q2", "two")+"]")
	assert.Equal(t, http.StatusServiceUnavailable, resp.Code)
	assert.Equal(t, "1", resp.Header().Get("Retry-After"))
	require.Len(t, results, 1)
	assert.Equal(t, "q1", (<-results).QuestionID)

	// With a reader, a delivery waits for room instead of failing.
	unbuffered := make(chan *aimylogic.WebhookResult)
	h, err = aimylogic.NewWebhookHandler(token, &aimylogic.WebhookOptions{Results: unbuffered})
	require.NoError(t, err)
	got := make(chan []string)
	go func() {
		var ids []string
		for range 2 {
			ids = append(ids, (<-unbuffered).QuestionID)
		}
		got <- ids
	}()
	assert.Equal(t, http.StatusOK, deliver(h, "["+result("u", "q1", "one")+","+result("u", "q2", "two")+"]").Code)
	assert.Equal(t, []string{"q1", "q2"}, <-got)
}

func TestWebhookGivesUpWhenTheDeliveryEnds(t *testing.T) {
	h, err := aimylogic.NewWebhookHandler(token, &aimylogic.WebhookOptions{Results: make(chan *aimylogic.WebhookResult)})
	require.NoError(t, err)
	ctx, cancel := context.WithCancel(context.Background())
	cancel() // the platform hung up
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodPost, "/hook", strings.NewReader(result("u", "q", "x"))).WithContext(ctx))
	assert.Equal(t, http.StatusServiceUnavailable, rec.Code)
}

func TestWebhookWithoutSinkAcknowledges(t *testing.T) {
	h, err := aimylogic.NewWebhookHandler(token, nil)
	require.NoError(t, err)
	assert.Equal(t, http.StatusOK, deliver(h, result("agent", "q", "hello from a human")).Code)
}

func TestWebhookConcurrentDeliveries(t *testing.T) {
	h, rec, _ := callbackHandler(t)
	srv := httptest.NewServer(h)
	defer srv.Close()
	const n = 32
	var wg sync.WaitGroup
	codes := make(chan int, n)
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			resp, err := srv.Client().Post(srv.URL, "application/json", strings.NewReader(result("u", fmt.Sprint("q", i), "x")))
			if err != nil {
				codes <- 0
				return
			}
			resp.Body.Close()
			codes <- resp.StatusCode
		}()
	}
	wg.Wait()
	close(codes)
	for code := range codes {
		assert.Equal(t, http.StatusOK, code)
	}
	seen := map[string]bool{}
	for _, r := range rec.results() {
		seen[r.QuestionID] = true
	}
	assert.Len(t, seen, n)
}

func TestNewWebhookHandlerChecksItsOptions(t *testing.T) {
	rec := &recorder{}
	for name, c := range map[string]struct {
		token string
		o     *aimylogic.WebhookOptions
		field string
	}{
		"no token":       {"", nil, "token"},
		"control":        {"a\nb", nil, "token"},
		"both sinks":     {token, &aimylogic.WebhookOptions{OnResult: rec.onResult, Results: make(chan *aimylogic.WebhookResult)}, "WebhookOptions"},
		"negative delay": {token, &aimylogic.WebhookOptions{DeliveryTimeout: -time.Second}, "WebhookOptions.DeliveryTimeout"},
	} {
		t.Run(name, func(t *testing.T) {
			h, err := aimylogic.NewWebhookHandler(c.token, c.o)
			assert.Nil(t, h)
			var ve *chatbot.ValidationError
			require.ErrorAs(t, err, &ve)
			assert.Equal(t, c.field, ve.Field)
			assert.True(t, strings.HasPrefix(err.Error(), "aimylogic: invalid"), err.Error())
		})
	}
}

// FuzzWebhookHandler feeds arbitrary bodies to the handler: it never
// panics, answers only 200, 400, 403 or 413, delivers only on 200, and
// never shows the token in its answer, its log or a delivered Raw.
func FuzzWebhookHandler(f *testing.F) {
	for _, name := range []string{"webhook_result.json", "webhook_result_array.json", "webhook_documented.txt", "jaicf_raw_request.json", "events_constructed.json"} {
		f.Add([]byte(withToken(f, name)))
	}
	f.Add([]byte("[" + result("u1", "q1", "one") + "," + result("u2", "q2", "two") + "]"))
	f.Add([]byte(`{"token":"` + token + `","data":{"replies":[{"type":"text","text":5},7,null],"confidence":"x"}}`))
	f.Add([]byte("\ufeff [ ] "))
	f.Add([]byte(`[{"token":"` + token + `"},{"token":1},[]]`))
	f.Fuzz(func(t *testing.T, body []byte) {
		rec := &recorder{}
		logger, logs := testkit.Logger()
		h, err := aimylogic.NewWebhookHandler(token, &aimylogic.WebhookOptions{OnResult: rec.onResult, Logger: logger})
		require.NoError(t, err)
		resp := httptest.NewRecorder()
		h.ServeHTTP(resp, httptest.NewRequest(http.MethodPost, "/hook", bytes.NewReader(body)))
		switch resp.Code {
		case http.StatusOK:
		case http.StatusBadRequest, http.StatusForbidden, http.StatusRequestEntityTooLarge:
			require.Empty(t, rec.results(), "a refused body delivers nothing")
		default:
			t.Fatalf("status %d for %q", resp.Code, body)
		}
		extras := []string{resp.Body.String(), logs.String()}
		for _, r := range rec.results() {
			extras = append(extras, string(r.Raw))
		}
		testkit.AssertNoSecret(t, token, nil, extras...)
	})
}

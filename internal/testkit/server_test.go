package testkit_test

import (
	"bytes"
	"io"
	"mime/multipart"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/chatbot-sdk/chatbot-go/internal/testkit"
)

// send makes a request to srv and returns the status, headers and body of
// the answer.
func send(t *testing.T, srv *testkit.Server, method, target, body string, header map[string][]string) (int, http.Header, string) {
	t.Helper()
	req, err := http.NewRequest(method, srv.URL()+target, strings.NewReader(body))
	require.NoError(t, err)
	for name, values := range header {
		req.Header[name] = values
	}
	resp, err := srv.Client().Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	return resp.StatusCode, resp.Header, string(b)
}

func TestServePlaysTheScript(t *testing.T) {
	var checked atomic.Int32
	srv := testkit.Serve(t,
		testkit.Exchange{
			Method: http.MethodPost, Path: "/v1/a%2Fb",
			Query:    url.Values{"x": {"1", "2"}, "y": {"z w"}},
			Header:   map[string]string{"x-key": "k"},
			NoHeader: []string{"Cookie"},
			JSON:     `{"a":1,"b":[true,null]}`,
			Check:    func(testing.TB, *testkit.Request) { checked.Add(1) },
			Reply: testkit.Reply{Status: http.StatusCreated, File: "testdata/botyard/client_get_bot.json",
				Header: http.Header{"Set-Cookie": {"token=t1; path=/"}}},
		},
		testkit.Exchange{
			Method: http.MethodGet, Path: "/v1/list", RawQuery: "page=2&limit=5", Times: 2,
			Reply: testkit.Reply{Body: "plain", Header: http.Header{"Content-Type": {"text/plain"}}},
		},
		testkit.Exchange{
			Method: http.MethodPut, Path: "/v1/form", QueryHas: url.Values{"id": {"7"}},
			Body:  testkit.ExactBody("a=1&b=2"),
			Reply: testkit.Reply{Status: http.StatusNoContent},
		},
	)

	status, header, body := send(t, srv, http.MethodPost, "/v1/a%2Fb?y=z+w&x=1&x=2", `{ "b": [true, null], "a": 1 }`,
		map[string][]string{"X-Key": {"k"}, "Content-Type": {"application/json"}})
	assert.Equal(t, http.StatusCreated, status)
	assert.Equal(t, "token=t1; path=/", header.Get("Set-Cookie"))
	assert.Equal(t, "application/json", header.Get("Content-Type"), "the default")
	assert.Equal(t, string(testkit.Fixture(t, "testdata/botyard/client_get_bot.json")), body)
	assert.EqualValues(t, 1, checked.Load())

	for range 2 {
		status, header, body = send(t, srv, http.MethodGet, "/v1/list?page=2&limit=5", "", nil)
		assert.Equal(t, http.StatusOK, status)
		assert.Equal(t, "text/plain", header.Get("Content-Type"))
		assert.Equal(t, "plain", body)
	}

	status, _, body = send(t, srv, http.MethodPut, "/v1/form?id=7&extra=ok", "a=1&b=2", nil)
	assert.Equal(t, http.StatusNoContent, status)
	assert.Empty(t, body)

	reqs := srv.Requests()
	require.Len(t, reqs, 4)
	assert.Equal(t, http.MethodPost, reqs[0].Method)
	assert.Equal(t, "/v1/a%2Fb", reqs[0].Path)
	assert.Equal(t, "y=z+w&x=1&x=2", reqs[0].RawQuery)
	assert.Equal(t, url.Values{"x": {"1", "2"}, "y": {"z w"}}, reqs[0].Query())
	assert.Equal(t, "k", reqs[0].Header.Get("X-Key"))
	assert.Equal(t, `{ "b": [true, null], "a": 1 }`, string(reqs[0].Body))
	assert.Equal(t, "page=2&limit=5", reqs[2].RawQuery)
	assert.Equal(t, "a=1&b=2", string(reqs[3].Body))

	reqs[0].Header.Set("X-Key", "changed")
	assert.Equal(t, "k", srv.Requests()[0].Header.Get("X-Key"), "Requests returns copies")
}

func TestServeReportsEveryDifference(t *testing.T) {
	jsonHeader := map[string][]string{"Content-Type": {"application/json"}}
	cases := []struct {
		name                 string
		exchange             testkit.Exchange
		method, target, body string
		header               map[string][]string
		want                 string
	}{
		{name: "method", exchange: testkit.Exchange{Method: "GET", Path: "/a"},
			method: "DELETE", target: "/a", want: "exchange 0 (GET /a): method"},
		{name: "escaped path", exchange: testkit.Exchange{Method: "GET", Path: "/a%2Fb"},
			method: "GET", target: "/a/b", want: "path"},
		{name: "raw query", exchange: testkit.Exchange{Method: "GET", Path: "/a", RawQuery: "x=1&y=2"},
			method: "GET", target: "/a?y=2&x=1", want: "query"},
		{name: "query expected empty", exchange: testkit.Exchange{Method: "GET", Path: "/a"},
			method: "GET", target: "/a?debug=1", want: "query"},
		{name: "query values", exchange: testkit.Exchange{Method: "GET", Path: "/a", Query: url.Values{"x": {"1"}}},
			method: "GET", target: "/a?x=1&y=2", want: "query"},
		{name: "query subset", exchange: testkit.Exchange{Method: "GET", Path: "/a", QueryHas: url.Values{"x": {"1"}}},
			method: "GET", target: "/a?y=2", want: "query parameter x"},
		{name: "missing header", exchange: testkit.Exchange{Method: "GET", Path: "/a", Header: map[string]string{"X-Key": "k"}},
			method: "GET", target: "/a", want: "header X-Key"},
		{name: "header sent twice", exchange: testkit.Exchange{Method: "GET", Path: "/a", Header: map[string]string{"Cookie": "token=a"}},
			method: "GET", target: "/a", header: map[string][]string{"Cookie": {"token=a", "token=b"}}, want: "header Cookie"},
		{name: "header that must be absent", exchange: testkit.Exchange{Method: "GET", Path: "/a", NoHeader: []string{"authorization"}},
			method: "GET", target: "/a", header: map[string][]string{"Authorization": {"Bearer x"}}, want: "header Authorization must be absent"},
		{name: "JSON value", exchange: testkit.Exchange{Method: "POST", Path: "/a", JSON: `{"a":1}`},
			method: "POST", target: "/a", body: `{"a":2}`, header: jsonHeader, want: "JSON body"},
		{name: "JSON without its Content-Type", exchange: testkit.Exchange{Method: "POST", Path: "/a", JSON: `{"a":1}`},
			method: "POST", target: "/a", body: `{"a":1}`, want: "header Content-Type"},
		{name: "body where none is expected", exchange: testkit.Exchange{Method: "POST", Path: "/a"},
			method: "POST", target: "/a", body: "x", want: "body must be empty"},
		{name: "exact body", exchange: testkit.Exchange{Method: "POST", Path: "/a", Body: testkit.ExactBody("a=1")},
			method: "POST", target: "/a", body: "a=2", want: "body"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			ft := newFakeTB(t)
			srv := testkit.Serve(ft, tc.exchange)
			status, _, _ := send(t, srv, tc.method, tc.target, tc.body, tc.header)
			assert.Equal(t, http.StatusOK, status, "the reply is still served")
			ft.finish()
			assert.True(t, ft.Failed())
			assert.Contains(t, ft.report(), tc.want)
		})
	}
}

func TestServeAcceptsWhatMatches(t *testing.T) {
	// The same requests as above, right: nothing to report.
	ft := newFakeTB(t)
	srv := testkit.Serve(ft,
		testkit.Exchange{Method: "GET", Path: "/a", Query: url.Values{"x": {"1"}, "y": {"a b"}}},
		testkit.Exchange{Method: "GET", Path: "/a", QueryHas: url.Values{"x": {"1"}}},
		testkit.Exchange{Method: "POST", Path: "/a", JSON: `{"a":1,"b":"c"}`, Header: map[string]string{"Content-Type": "application/json; charset=utf-8"}},
	)
	send(t, srv, "GET", "/a?y=a%20b&x=1", "", nil)
	send(t, srv, "GET", "/a?y=2&x=1", "", nil)
	send(t, srv, "POST", "/a", "{\n\t\"b\": \"c\", \"a\": 1.0}", map[string][]string{"Content-Type": {"application/json; charset=utf-8"}})
	ft.finish()
	assert.False(t, ft.Failed(), ft.report())
}

func TestServeUnexpectedRequest(t *testing.T) {
	ft := newFakeTB(t)
	srv := testkit.Serve(ft, testkit.Exchange{Method: "GET", Path: "/a"})
	send(t, srv, "GET", "/a", "", nil)
	status, _, body := send(t, srv, "POST", "/b?x=1", "", nil)
	assert.Equal(t, http.StatusTeapot, status)
	assert.Contains(t, body, "unexpected request")
	ft.finish()
	assert.Contains(t, ft.report(), "unexpected request #2: POST /b?x=1 (the script has 1 exchanges)")
	assert.Len(t, srv.Requests(), 2, "an unexpected request is recorded too")
}

func TestServeReportsExchangesNeverPlayed(t *testing.T) {
	ft := newFakeTB(t)
	srv := testkit.Serve(ft,
		testkit.Exchange{Method: "GET", Path: "/a", Times: 3},
		testkit.Exchange{Method: "GET", Path: "/b"},
	)
	send(t, srv, "GET", "/a", "", nil)
	send(t, srv, "GET", "/a", "", nil)
	assert.False(t, ft.Failed(), "nothing is missing before the end")
	ft.finish()
	assert.Contains(t, ft.report(), "exchange 0 (GET /a): 2 of 3 requests")
	assert.Contains(t, ft.report(), "exchange 1 (GET /b): 0 of 1 requests")
}

func TestServeRefusesABadScript(t *testing.T) {
	cases := map[string]testkit.Exchange{
		"Method is required":                            {Path: "/a"},
		"Path must start with /":                        {Method: "GET", Path: "a"},
		"at most one of RawQuery, Query and QueryHas":   {Method: "GET", Path: "/a", RawQuery: "x=1", Query: url.Values{}},
		"at most one of JSON and Body":                  {Method: "GET", Path: "/a", JSON: "{}", Body: testkit.ExactBody("")},
		"JSON is not valid JSON":                        {Method: "GET", Path: "/a", JSON: `{"a":}`},
		"Times cannot be negative":                      {Method: "GET", Path: "/a", Times: -1},
		"at most one of Reply.File and Reply.Body":      {Method: "GET", Path: "/a", Reply: testkit.Reply{File: "testdata/chatthing/success.json", Body: "x"}},
		"a Reply that hangs up has nothing else":        {Method: "GET", Path: "/a", Reply: testkit.Reply{Hangup: true, Status: 500}},
		"testdata/chatthing/nope.json: no such file":    {Method: "GET", Path: "/a", Reply: testkit.Reply{File: "testdata/chatthing/nope.json"}},
		"name a file under testdata/, relative to the ": {Method: "GET", Path: "/a", Reply: testkit.Reply{File: "go.mod"}},
	}
	for want, e := range cases {
		t.Run(want, func(t *testing.T) {
			ft := newFakeTB(t)
			assert.False(t, ft.run(func() { testkit.Serve(ft, testkit.Exchange{Method: "GET", Path: "/ok"}, e) }))
			assert.Contains(t, ft.report(), want)
			assert.Contains(t, ft.report(), "testkit: ")
		})
	}
}

func TestServeChecksMayStopEarly(t *testing.T) {
	// require.* in a check calls FailNow on the handler's goroutine: the
	// check stops, the test is failed, the client still gets its answer.
	ft := newFakeTB(t)
	var after atomic.Bool
	srv := testkit.Serve(ft, testkit.Exchange{Method: "GET", Path: "/a",
		Check: func(t testing.TB, r *testkit.Request) {
			require.Equal(t, "yes", r.Header.Get("X-Ready"), "check gave up")
			after.Store(true)
		},
		Reply: testkit.Reply{Body: `{"ok":true}`},
	})
	status, _, body := send(t, srv, "GET", "/a", "", nil)
	assert.Equal(t, http.StatusOK, status)
	assert.Equal(t, `{"ok":true}`, body)
	assert.False(t, after.Load(), "the check stopped at the failed requirement")
	ft.finish()
	assert.Contains(t, ft.report(), "check gave up")

	// A bare FailNow fails the test too.
	ft = newFakeTB(t)
	srv = testkit.Serve(ft, testkit.Exchange{Method: "GET", Path: "/a", Check: func(t testing.TB, _ *testkit.Request) { t.FailNow() }})
	status, _, _ = send(t, srv, "GET", "/a", "", nil)
	assert.Equal(t, http.StatusOK, status)
	ft.finish()
	assert.True(t, ft.Failed())
}

func TestServeHangsUp(t *testing.T) {
	srv := testkit.Serve(t, testkit.Exchange{Method: "POST", Path: "/send", Body: testkit.ExactBody("hello"), Reply: testkit.Reply{Hangup: true}})
	resp, err := srv.Client().Post(srv.URL()+"/send", "text/plain", strings.NewReader("hello"))
	if err == nil {
		resp.Body.Close()
	}
	require.Error(t, err, "no answer at all")
	require.Len(t, srv.Requests(), 1)
	assert.Equal(t, "hello", string(srv.Requests()[0].Body), "the request was read whole first")
}

func TestServeConcurrentRequests(t *testing.T) {
	const n = 16
	srv := testkit.Serve(t, testkit.Exchange{Method: "POST", Path: "/m", JSON: `{"m":"x"}`, Times: n, Reply: testkit.Reply{Body: "{}"}})
	var wg sync.WaitGroup
	statuses := make(chan int, n)
	for range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			resp, err := srv.Client().Post(srv.URL()+"/m", "application/json", strings.NewReader(`{"m":"x"}`))
			if !assert.NoError(t, err) {
				return
			}
			_, _ = io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			statuses <- resp.StatusCode
			_ = srv.Requests() // reads race with the handlers' writes
		}()
	}
	wg.Wait()
	close(statuses)
	for s := range statuses {
		assert.Equal(t, http.StatusOK, s)
	}
	assert.Len(t, srv.Requests(), n)
}

func TestDefaultsApplyToEveryExchange(t *testing.T) {
	var checks atomic.Int32
	wire := testkit.Defaults{
		Header:   map[string]string{"Accept": "application/json"},
		NoHeader: []string{"Cookie", "Content-Type"},
		Check:    func(testing.TB, *testkit.Request) { checks.Add(1) },
	}
	t.Run("met", func(t *testing.T) {
		srv := wire.Serve(t,
			testkit.Exchange{Method: "GET", Path: "/public"},
			testkit.Exchange{Method: "POST", Path: "/private", JSON: `{}`, Header: map[string]string{"Cookie": "token=t"}},
		)
		send(t, srv, "GET", "/public", "", map[string][]string{"Accept": {"application/json"}})
		send(t, srv, "POST", "/private", "{}", map[string][]string{"Accept": {"application/json"}, "Cookie": {"token=t"}, "Content-Type": {"application/json"}})
	})
	assert.EqualValues(t, 2, checks.Load())

	t.Run("broken", func(t *testing.T) {
		ft := newFakeTB(t)
		srv := wire.Serve(ft, testkit.Exchange{Method: "GET", Path: "/public"})
		send(t, srv, "GET", "/public", "", map[string][]string{"Cookie": {"token=t"}})
		ft.finish()
		assert.Contains(t, ft.report(), "header Accept")
		assert.Contains(t, ft.report(), "header Cookie must be absent")
	})
}

func TestRequestMultipartReader(t *testing.T) {
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	fw, err := mw.CreateFormFile("file", "a.txt")
	require.NoError(t, err)
	_, _ = fw.Write([]byte("content"))
	require.NoError(t, mw.Close())

	r := &testkit.Request{Header: http.Header{"Content-Type": {mw.FormDataContentType()}}, Body: body.Bytes()}
	mr, err := r.MultipartReader()
	require.NoError(t, err)
	part, err := mr.NextPart()
	require.NoError(t, err)
	assert.Equal(t, "a.txt", part.FileName())
	b, err := io.ReadAll(part)
	require.NoError(t, err)
	assert.Equal(t, "content", string(b))

	for _, ct := range []string{"", "application/json", "multipart/form-data", "multipart/form-data; boundary="} {
		_, err := (&testkit.Request{Header: http.Header{"Content-Type": {ct}}}).MultipartReader()
		assert.Error(t, err, ct)
	}
}

package botyard_test

import (
	"context"
	"errors"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/chatbot-sdk/chatbot-go"
	"github.com/chatbot-sdk/chatbot-go/botyard"
	"github.com/chatbot-sdk/chatbot-go/chatbottest"
	"github.com/chatbot-sdk/chatbot-go/internal/testkit"
)

// Issue: a slow call sent with T0 whose 500 echoed its Cookie header
// showed T0 once two other calls had re-issued T1 and T2.
func TestTheTokenARequestWasSentWithIsRedacted(t *testing.T) {
	slowArrived, release := make(chan struct{}), make(chan struct{})
	var n int
	var mu sync.Mutex
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		if r.URL.Path == "/v1/client-api/user" && r.URL.Query().Get("slow") == "" && r.Header.Get("X-Slow") != "" {
			close(slowArrived)
			<-release
			w.WriteHeader(http.StatusInternalServerError)
			_, _ = w.Write([]byte(`{"message":"failed for ` + r.Header.Get("Cookie") + `"}`))
			return
		}
		mu.Lock()
		n++
		next := "T" + string(rune('0'+n))
		mu.Unlock()
		w.Header().Add("Set-Cookie", "token="+next+"-long-enough-token; path=/")
		_, _ = w.Write([]byte(`{"id":"u","nickname":"alice"}`))
	}))
	defer srv.Close()
	var releaseOnce sync.Once
	defer releaseOnce.Do(func() { close(release) })
	const t0 = "T0-long-enough-token"
	c, err := botyard.NewClient(srv.URL, botyard.WithSession(t0), botyard.WithSizeLimits(botyard.DefaultSizeLimits))
	require.NoError(t, err)

	errc := make(chan error, 1)
	go func() {
		_, err := c.Users.Current(context.Background(), chatbot.WithCallHeader("X-Slow", "1"))
		errc <- err
	}()
	<-slowArrived
	for range 2 { // two re-issues: T1, then T2
		_, err := c.Users.Current(context.Background())
		require.NoError(t, err)
	}
	require.Equal(t, "T2-long-enough-token", c.Session())
	releaseOnce.Do(func() { close(release) })
	err = <-errc
	require.Error(t, err)
	testkit.AssertNoSecret(t, t0, err)
}

// Issue: a "token" cookie scoped to another domain or path was adopted.
func TestTokenCookiesScopedElsewhereAreIgnored(t *testing.T) {
	for _, cookie := range []string{
		"token=evil; Domain=evil.example; Path=/",
		"token=evil; Path=/static/",
		"token=evil; Path=/v1/admin-api",
	} {
		t.Run(cookie, func(t *testing.T) {
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				w.Header().Add("Set-Cookie", cookie)
				_, _ = w.Write([]byte(`{"id":"u","nickname":"alice"}`))
			}))
			defer srv.Close()
			c, err := botyard.NewClient(srv.URL, botyard.WithSession("good-token"))
			require.NoError(t, err)
			_, err = c.Users.Current(context.Background())
			require.NoError(t, err)
			assert.Equal(t, "good-token", c.Session())
		})
	}
	// In scope: the API's host, a path that covers the API.
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Add("Set-Cookie", "token=fresh; Path=/v1/client-api")
		_, _ = w.Write([]byte(`{"id":"u","nickname":"alice"}`))
	}))
	defer srv.Close()
	c, err := botyard.NewClient(srv.URL, botyard.WithSession("good-token"))
	require.NoError(t, err)
	_, err = c.Users.Current(context.Background())
	require.NoError(t, err)
	assert.Equal(t, "fresh", c.Session())
}

// Issue: names with path components went out unchanged in filename=.
func TestUploadNamesAreBaseNames(t *testing.T) {
	var names []string
	var mu sync.Mutex
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, params, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
		mr := multipart.NewReader(r.Body, params["boundary"])
		for {
			p, err := mr.NextPart()
			if err != nil {
				break
			}
			// The raw parameter: Part.FileName would clean it up itself.
			_, disp, _ := mime.ParseMediaType(p.Header.Get("Content-Disposition"))
			mu.Lock()
			names = append(names, disp["filename"])
			mu.Unlock()
		}
		_, _ = w.Write([]byte(`[]`))
	}))
	defer srv.Close()
	c, err := botyard.NewClient(srv.URL)
	require.NoError(t, err)
	for in, want := range map[string]string{
		"../../etc/passwd": "passwd", "/etc/passwd": "passwd", `..\..\x.txt`: "x.txt", `C:\Users\a\b.png`: "b.png", "ok 100%.txt": "ok 100%.txt",
	} {
		names = nil
		_, err := c.Files.Upload(context.Background(), []botyard.Upload{botyard.FileFromBytes(in, "text/plain", []byte("x"))})
		require.NoError(t, err, in)
		assert.Equal(t, []string{want}, names, in)
	}
	for _, bad := range []string{"../", "/", `..\`, "..", "a\x1bb"} {
		_, err := c.Files.Upload(context.Background(), []botyard.Upload{botyard.FileFromBytes(bad, "text/plain", []byte("x"))})
		var ve interface{ Error() string }
		require.Error(t, err, "%q", bad)
		assert.True(t, errors.As(err, &ve))
		assert.Contains(t, err.Error(), "files[0].Name", "%q", bad)
	}
}

// Issue: against a server that ignores page, limit and since, ListAll said
// "items share the key … use larger pages" though the times were distinct.
func TestListAllSaysWhenTheServerIgnoresSince(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = w.Write([]byte(`{"chatId":"c","total":10,"page":1,"limit":3,"messages":[` +
			`{"id":"a","senderId":"u","body":"1","timestamp":1700000000001},` +
			`{"id":"b","senderId":"u","body":"2","timestamp":1700000000002},` +
			`{"id":"c","senderId":"u","body":"3","timestamp":1700000000003}]}`))
	}))
	defer srv.Close()
	c, err := botyard.NewClient(srv.URL, botyard.WithSession("tok"))
	require.NoError(t, err)
	var last error
	n := 0
	for _, err := range c.Messages.ListAll(context.Background(), "c", &botyard.HistoryParams{Limit: 3}) {
		if err != nil {
			last = err
			continue
		}
		n++
	}
	require.Error(t, last)
	assert.Contains(t, last.Error(), "ignores")
	assert.NotContains(t, last.Error(), "larger pages")
	assert.Equal(t, 3, n, "each message once")
	assert.True(t, strings.HasPrefix(last.Error(), "botyard: "), last.Error())
}

// Issue: the real server answers an upload over its 25 MiB body limit
// before reading it and closes, so many such uploads ended in a connection
// reset or broken pipe instead of ErrFileTooLarge. With the client's own
// checks off, every one of 40 in a row must match ErrFileTooLarge.
func TestOversizedUploadsAlwaysMatchErrFileTooLarge(t *testing.T) {
	if testing.Short() {
		t.Skip("sends 40 uploads of 26 MiB")
	}
	fake := chatbottest.StartBotyard(t)
	owner, err := botyard.NewClient(fake.URL)
	require.NoError(t, err)
	_, err = owner.Users.Create(context.Background(), "alice")
	require.NoError(t, err)
	c, err := botyard.NewClient(fake.URL, botyard.WithSession(owner.Session()), botyard.WithSizeLimits(botyard.SizeLimits{}))
	require.NoError(t, err)
	defer c.Close()
	const size = 26 << 20
	for i := range 40 {
		up := botyard.Upload{Name: "big.mp4", ContentType: "video/mp4", Reader: io.LimitReader(zeros{}, size)}
		if i%2 == 1 { // a declared size takes the same road
			up.Size = size
		}
		_, err := c.Files.Upload(context.Background(), []botyard.Upload{up})
		require.ErrorIs(t, err, botyard.ErrFileTooLarge, "upload %d: %v", i, err)
	}
}

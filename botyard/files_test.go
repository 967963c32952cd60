package botyard_test

import (
	"bytes"
	"context"
	"errors"
	"io"
	"mime"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/chatbot-sdk/chatbot-go"
	"github.com/chatbot-sdk/chatbot-go/botyard"
	"github.com/chatbot-sdk/chatbot-go/chatbottest"
	"github.com/chatbot-sdk/chatbot-go/internal/testkit"
)

// wantPart is a multipart part the server must receive.
type wantPart struct{ filename, contentType, content string }

// expectParts checks an upload request: multipart, every part named
// "file" with its filename, Content-Type and content, in order.
func expectParts(want ...wantPart) func(t testing.TB, r *testkit.Request) {
	return func(t testing.TB, r *testkit.Request) {
		mt, params, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
		require.NoError(t, err)
		assert.Equal(t, "multipart/form-data", mt)
		mr, err := r.MultipartReader()
		require.NoError(t, err)
		assert.NotEmpty(t, params["boundary"])
		for i, w := range want {
			part, err := mr.NextPart()
			require.NoError(t, err, "part %d", i)
			assert.Equal(t, "file", part.FormName())
			assert.Equal(t, w.filename, part.FileName())
			assert.Equal(t, w.contentType, part.Header.Get("Content-Type"))
			b, err := io.ReadAll(part)
			require.NoError(t, err)
			assert.Equal(t, w.content, string(b))
		}
		_, err = mr.NextPart()
		assert.Equal(t, io.EOF, err, "no more parts")
	}
}

func TestUploadFixtures(t *testing.T) {
	ctx := context.Background()
	ck := "token=" + sessionJWT
	r := newReplay(t,
		testkit.Exchange{Method: "POST", Path: p + "/files", Header: cookie(ck), Reply: recorded(200, "client_upload_file", sessionJWT),
			Body: expectParts(wantPart{"red.png", "image/png", "PNG-DATA"})},
		testkit.Exchange{Method: "POST", Path: p + "/files", Header: cookie(ck), Reply: recorded(200, "client_upload_multiple_files", sessionJWT),
			Body: expectParts(
				wantPart{"blue.png", "image/png", "blue"},
				wantPart{"notes.txt", "text/plain", "some notes"},
				wantPart{"data.bin", "application/octet-stream", "\x00\x01"},
				wantPart{`so"ng.mp3`, "audio/mpeg", "mp3"},
			)},
		testkit.Exchange{Method: "POST", Path: p + "/files", Header: cookie(ck), Reply: recorded(400, "client_error_upload_image_too_large", sessionJWT),
			Body: expectParts(wantPart{"big.png", "image/png", "x"})},
		testkit.Exchange{Method: "POST", Path: p + "/files", Header: cookie(ck), Reply: recorded(500, "client_error_request_body_too_large", sessionJWT),
			Body: expectParts(wantPart{"big.mp4", "video/mp4", "y"})},
	)
	c := r.client(botyard.WithSession(sessionJWT))

	files, err := c.Files.Upload(ctx, []botyard.Upload{botyard.FileFromBytes("red.png", "image/png", []byte("PNG-DATA"))})
	require.NoError(t, err)
	assert.Equal(t, []botyard.File{{ID: "01m842a8g83wvv3hz4x955yn5d", Path: "static/images/01m842a8g83wvv3hz4x5y1csn3.png", Name: "red.png", Size: 75, MimeType: "image/png"}}, files)

	uploads := []botyard.Upload{
		botyard.FileFromBytes("blue.png", "image/png", []byte("blue")),
		{Name: "notes.txt", ContentType: "text/plain", Reader: strings.NewReader("some notes")},
		{Name: "data.bin", Reader: bytes.NewReader([]byte{0, 1})}, // no type: octet-stream, never a bare part
		{Name: `so"ng.mp3`, ContentType: "audio/mpeg", Reader: strings.NewReader("mp3")},
	}
	files, err = c.Files.Upload(ctx, uploads)
	require.NoError(t, err)
	assert.Empty(t, uploads[2].ContentType, "the caller's slice is not changed")
	require.Len(t, files, 4)
	assert.Equal(t, botyard.File{ID: "01m842a8g83wvv3hz4xnx4jtsg", Path: "static/audios/01m842a8g83wvv3hz4xkekq18t.mp3", Name: "song.mp3", Size: 1003, MimeType: "audio/mpeg"}, files[3])
	assert.Equal(t, "static/files/01m842a8g83wvv3hz4xaqcsbvb.asc", files[1].Path)

	// The server's own size refusals match ErrFileTooLarge and keep the APIError.
	_, err = c.Files.Upload(ctx, []botyard.Upload{botyard.FileFromBytes("big.png", "image/png", []byte("x"))})
	assert.ErrorIs(t, err, botyard.ErrFileTooLarge)
	assert.ErrorIs(t, err, chatbot.ErrBadRequest)
	apiError(t, err, 400, "Max allowed size for images are 2097152 bytes, but got 2097225.")

	_, err = c.Files.Upload(ctx, []botyard.Upload{botyard.FileFromBytes("big.mp4", "video/mp4", []byte("y"))})
	assert.ErrorIs(t, err, botyard.ErrFileTooLarge)
	apiError(t, err, 500, "Request Entity Too Large")
}

func TestUploadValidation(t *testing.T) {
	c, err := botyard.NewClient("http://127.0.0.1:1", botyard.WithSession(sessionJWT), chatbot.WithMaxAttempts(1))
	require.NoError(t, err)
	ctx := context.Background()
	ok := botyard.FileFromBytes("a.txt", "text/plain", []byte("a"))
	eleven := make([]botyard.Upload, 11)
	for i := range eleven {
		eleven[i] = ok
	}
	cases := map[string]struct {
		files []botyard.Upload
		field string
	}{
		"none":         {nil, "files"},
		"eleven":       {eleven, "files"},
		"no name":      {[]botyard.Upload{{Reader: strings.NewReader("x")}}, "files[0].Name"},
		"no source":    {[]botyard.Upload{ok, {Name: "b"}}, "files[1].Open"},
		"two sources":  {[]botyard.Upload{{Name: "b", Reader: strings.NewReader("x"), Open: ok.Open}}, "files[0].Open"},
		"bad type":     {[]botyard.Upload{{Name: "b", ContentType: "not a type", Reader: strings.NewReader("x")}}, "files[0].ContentType"},
		"header break": {[]botyard.Upload{{Name: "b", ContentType: "text/plain\r\nX: y", Reader: strings.NewReader("x")}}, "files[0].ContentType"},
		"neg size":     {[]botyard.Upload{{Name: "b", Size: -1, Reader: strings.NewReader("x")}}, "files[0].Size"},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			_, err := c.Files.Upload(ctx, tc.files)
			var verr *chatbot.ValidationError
			require.ErrorAs(t, err, &verr)
			assert.Equal(t, tc.field, verr.Field)
		})
	}
}

func TestUploadSizeLimitsAgainstFake(t *testing.T) {
	fake := chatbottest.StartBotyard(t)
	ctx := context.Background()
	c := loggedIn(t, fake)

	t.Run("known size is refused before sending", func(t *testing.T) {
		before := len(fake.Requests())
		_, err := c.Files.Upload(ctx, []botyard.Upload{botyard.Upload{Name: "a.png", ContentType: "image/png", Size: 3 << 20, Reader: strings.NewReader("")}})
		var tooLarge *botyard.FileTooLargeError
		require.ErrorAs(t, err, &tooLarge)
		assert.Equal(t, botyard.FileTooLargeError{Name: "a.png", ContentType: "image/png", Size: 3 << 20, Limit: 2 << 20}, *tooLarge)
		assert.ErrorIs(t, err, botyard.ErrFileTooLarge)
		assert.Len(t, fake.Requests(), before, "nothing was sent")
	})
	t.Run("unknown size is stopped while streaming", func(t *testing.T) {
		_, err := c.Files.Upload(ctx, []botyard.Upload{botyard.Upload{Name: "a.png", ContentType: "image/png", Reader: io.LimitReader(zeros{}, 3<<20)}})
		var tooLarge *botyard.FileTooLargeError
		require.ErrorAs(t, err, &tooLarge)
		assert.Equal(t, int64(2<<20), tooLarge.Limit)
		assert.Greater(t, tooLarge.Size, int64(2<<20))
		assert.Contains(t, err.Error(), `"a.png" (image/png) is over the 2097152-byte limit`)
	})
	t.Run("request cap", func(t *testing.T) {
		cc, err := botyard.NewClient(fake.URL, botyard.WithSession(c.Session()), botyard.WithSizeLimits(botyard.SizeLimits{Request: 1000}))
		require.NoError(t, err)
		_, err = cc.Files.Upload(ctx, []botyard.Upload{botyard.Upload{Name: "a.bin", Reader: io.LimitReader(zeros{}, 2000)}})
		var tooLarge *botyard.FileTooLargeError
		require.ErrorAs(t, err, &tooLarge)
		assert.Equal(t, "(all files)", tooLarge.Name)
	})
	t.Run("without client limits the server refuses", func(t *testing.T) {
		cc, err := botyard.NewClient(fake.URL, botyard.WithSession(c.Session()), botyard.WithSizeLimits(botyard.SizeLimits{}))
		require.NoError(t, err)
		_, err = cc.Files.Upload(ctx, []botyard.Upload{botyard.Upload{Name: "a.png", ContentType: "image/png", Reader: io.LimitReader(zeros{}, 3<<20)}})
		assert.ErrorIs(t, err, botyard.ErrFileTooLarge)
		apiError(t, err, 400, "Max allowed size for images are 2097152 bytes, but got 3145728.")
	})
}

// zeros is an endless reader of zero bytes.
type zeros struct{}

func (zeros) Read(p []byte) (int, error) {
	clear(p)
	return len(p), nil
}

func TestUploadRetries(t *testing.T) {
	fake := chatbottest.StartBotyard(t)
	ctx := context.Background()
	c := loggedIn(t, fake, chatbot.WithBackoff(0, 0))
	uploads := func() int {
		n := 0
		for _, r := range fake.Requests() {
			if r.Path == "/v1/client-api/files" {
				n++
			}
		}
		return n
	}

	// A reopenable source is sent again after a 503.
	fake.Faults.FailNext(1, http.StatusServiceUnavailable)
	opens := 0
	files, err := c.Files.Upload(ctx, []botyard.Upload{botyard.Upload{Name: "a.txt", ContentType: "text/plain", Open: func() (io.ReadCloser, error) {
		opens++
		return io.NopCloser(strings.NewReader("hello")), nil
	}}})
	require.NoError(t, err)
	require.Len(t, files, 1)
	assert.Equal(t, int64(5), files[0].Size)
	assert.Equal(t, 2, uploads())
	assert.Equal(t, 2, opens, "one open per attempt")

	// A plain reader cannot be sent twice: the 503 comes back as it is.
	fake.Faults.FailNext(1, http.StatusServiceUnavailable)
	_, err = c.Files.Upload(ctx, []botyard.Upload{botyard.Upload{Name: "b.txt", ContentType: "text/plain", Reader: strings.NewReader("once")}})
	var api *chatbot.APIError
	require.ErrorAs(t, err, &api)
	assert.Equal(t, http.StatusServiceUnavailable, api.StatusCode)
	assert.Equal(t, 1, api.Attempts)
	assert.Equal(t, 3, uploads())

	// A source that cannot be opened fails the call with its reason.
	_, err = c.Files.Upload(ctx, []botyard.Upload{botyard.Upload{Name: "c.txt", Open: func() (io.ReadCloser, error) { return nil, os.ErrPermission }}})
	assert.ErrorIs(t, err, os.ErrPermission)
}

func TestFileFromPath(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "notes.txt")
	require.NoError(t, os.WriteFile(path, []byte("twelve bytes"), 0o600))
	u, err := botyard.FileFromPath(path)
	require.NoError(t, err)
	assert.Equal(t, "notes.txt", u.Name)
	assert.Equal(t, "text/plain", u.ContentType, "parameters such as charset are dropped: the server compares types exactly")
	assert.Equal(t, int64(12), u.Size)
	rc, err := u.Open()
	require.NoError(t, err)
	b, _ := io.ReadAll(rc)
	require.NoError(t, rc.Close())
	assert.Equal(t, "twelve bytes", string(b))

	_, err = botyard.FileFromPath(dir)
	assert.Error(t, err)
	_, err = botyard.FileFromPath(filepath.Join(dir, "missing"))
	assert.True(t, errors.Is(err, os.ErrNotExist))
}

// TestUploadEndsWithItsContext: a server that never reads the body cannot
// hold the call (or its writer goroutine, which goleak would catch) past
// the context.
func TestUploadEndsWithItsContext(t *testing.T) {
	release := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select { // read nothing, answer nothing
		case <-r.Context().Done():
		case <-release:
		}
	}))
	defer srv.Close()
	defer close(release)
	c := uploadClient(t, srv.URL)
	ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
	defer cancel()
	start := time.Now()
	_, err := c.Files.Upload(ctx, []botyard.Upload{botyard.Upload{Name: "big.mp4", ContentType: "video/mp4", Reader: io.LimitReader(zeros{}, bigUpload)}})
	assert.ErrorIs(t, err, context.DeadlineExceeded)
	assert.Less(t, time.Since(start), 5*time.Second)
}

// TestUploadAnsweredEarly: a server that refuses the upload before reading
// it (here, a dead session) still gives its answer.
func TestUploadAnsweredEarly(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusUnauthorized)
		_, _ = w.Write([]byte(`{"message":"User is unauthorized."}`))
	}))
	defer srv.Close()
	c := uploadClient(t, srv.URL)
	_, err := c.Files.Upload(context.Background(), []botyard.Upload{botyard.Upload{Name: "a.bin", Reader: strings.NewReader("small")}})
	assert.ErrorIs(t, err, botyard.ErrSessionExpired)
}

// dialFailure is a transport whose every request fails before anything
// is sent, as when the server refuses the connection; it counts them.
type dialFailure struct{ attempts atomic.Int32 }

func (d *dialFailure) RoundTrip(r *http.Request) (*http.Response, error) {
	d.attempts.Add(1)
	if r.Body != nil {
		r.Body.Close()
	}
	return nil, &net.OpError{Op: "dial", Net: "tcp", Err: syscall.ECONNREFUSED}
}

// TestUploadRetriesAfterDialErrors: an upload from Open is sent again
// when the connection failed before anything was written; one with a
// Reader never is (documented on Upload).
func TestUploadRetriesAfterDialErrors(t *testing.T) {
	for _, tc := range []struct {
		name     string
		upload   botyard.Upload
		attempts int32
	}{
		{"open", botyard.FileFromBytes("a.txt", "text/plain", []byte("a")), 3},
		{"reader", botyard.Upload{Name: "a.txt", ContentType: "text/plain", Reader: strings.NewReader("a")}, 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rt := &dialFailure{}
			c, err := botyard.NewClient("http://botyard.test", botyard.WithSession(sessionJWT),
				chatbot.WithTransport(rt), chatbot.WithMaxAttempts(3), chatbot.WithBackoff(0, 0))
			require.NoError(t, err)
			_, err = c.Files.Upload(context.Background(), []botyard.Upload{tc.upload})
			assert.ErrorIs(t, err, syscall.ECONNREFUSED)
			assert.Equal(t, tc.attempts, rt.attempts.Load())
		})
	}
}

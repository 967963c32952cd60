package chatbottest_test

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/chatbot-sdk/chatbot-go/chatbottest"
)

func TestBotyardFakeServesUploadedFiles(t *testing.T) {
	r := newBotyardRaw(t)
	r.login()
	png := "\x89PNG\r\n\x1a\nfake image"
	ct, body := multipartBody(t, [3]string{"a.png", "image/png", png}, [3]string{"notes.bin", "application/octet-stream", "some bytes"})
	resp, _, raw := r.do("POST", "/v1/client-api/files", ct, body)
	require.Equal(t, http.StatusOK, resp.StatusCode)
	var files []struct{ Path, MimeType string }
	require.NoError(t, json.Unmarshal(raw, &files))
	require.Len(t, files, 2)

	r.token = "" // static files need no session
	resp, _, raw = r.do("GET", "/"+files[0].Path, "", nil)
	assert.Equal(t, http.StatusOK, resp.StatusCode)
	assert.Equal(t, "image/png", resp.Header.Get("Content-Type"))
	assert.Equal(t, png, string(raw))
	resp, _, raw = r.do("GET", "/"+files[1].Path, "", nil)
	assert.Equal(t, http.StatusOK, resp.StatusCode)
	assert.Equal(t, "application/octet-stream", resp.Header.Get("Content-Type"))
	assert.Equal(t, "some bytes", string(raw))

	// HEAD: the GET's status and headers, no body.
	resp, _, raw = r.do("HEAD", "/"+files[0].Path, "", nil)
	assert.Equal(t, http.StatusOK, resp.StatusCode)
	assert.Equal(t, "image/png", resp.Header.Get("Content-Type"))
	assert.Equal(t, int64(len(png)), resp.ContentLength)
	assert.Empty(t, raw)
	resp, _, raw = r.do("HEAD", "/v1/client-api/bots", "", nil)
	assert.Equal(t, http.StatusOK, resp.StatusCode)
	assert.Equal(t, "application/json", resp.Header.Get("Content-Type"))
	assert.Empty(t, raw)
	resp, _, _ = r.do("HEAD", "/static/images/nope.png", "", nil)
	assert.Equal(t, http.StatusInternalServerError, resp.StatusCode, "a missing file is an unknown route")
}

// rawRequest opens a connection to the fake and sends a request head.
func rawRequest(t *testing.T, fakeURL, head string) net.Conn {
	t.Helper()
	conn, err := net.Dial("tcp", strings.TrimPrefix(fakeURL, "http://"))
	require.NoError(t, err)
	t.Cleanup(func() { conn.Close() })
	require.NoError(t, conn.SetDeadline(time.Now().Add(30*time.Second)), "a fake that never answers fails the test")
	_, err = io.WriteString(conn, head)
	require.NoError(t, err)
	return conn
}

// TestBotyardFakeRefusesLargeBodiesAtOnce: the real server answers a body
// over 25 MiB before reading it and closes the connection.
func TestBotyardFakeRefusesLargeBodiesAtOnce(t *testing.T) {
	fake := chatbottest.StartBotyard(t)
	const over = 25<<20 + 1

	t.Run("declared length", func(t *testing.T) {
		// Not one byte of the body is sent: the answer cannot wait for it.
		conn := rawRequest(t, fake.URL, fmt.Sprintf("POST /v1/client-api/files HTTP/1.1\r\nHost: fake\r\n"+
			"Content-Type: multipart/form-data; boundary=x\r\nContent-Length: %d\r\n\r\n", over))
		br := bufio.NewReader(conn)
		resp, err := http.ReadResponse(br, nil)
		require.NoError(t, err)
		raw, err := io.ReadAll(resp.Body)
		require.NoError(t, err)
		assert.Equal(t, http.StatusInternalServerError, resp.StatusCode)
		assert.JSONEq(t, `{"message":"Request Entity Too Large"}`, string(raw))
		assert.Equal(t, "application/json", resp.Header.Get("Content-Type"))
		assert.True(t, resp.Close, "Connection: close")
		_, err = br.ReadByte()
		assert.ErrorIs(t, err, io.EOF, "the server closed the connection")
	})

	t.Run("streamed body", func(t *testing.T) {
		// A chunked body, sent until the server stops it: it reads past the
		// limit, answers and drops the connection with the rest unread, so
		// that the sender's writes fail as they do against the real server.
		conn := rawRequest(t, fake.URL, "POST /v1/client-api/user HTTP/1.1\r\nHost: fake\r\n"+
			"Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n")
		chunk := fmt.Sprintf("%x\r\n%s\r\n", 1<<20, strings.Repeat("x", 1<<20))
		const most = 64
		sent, err := 0, error(nil)
		for ; sent < most && err == nil; sent++ {
			_, err = io.WriteString(conn, chunk)
		}
		require.Error(t, err, "the server stopped reading")
		assert.True(t, errors.Is(err, syscall.ECONNRESET) || errors.Is(err, syscall.EPIPE), "reset or broken pipe: %v", err)
		assert.Greater(t, sent, 25, "it read up to the limit first")
		assert.Less(t, sent, most)
	})

	// Within the limit, a body is read whole and served as usual.
	resp, err := http.Post(fake.URL+"/v1/client-api/user", "application/json", strings.NewReader(`{"nickname":"alice"}`+strings.Repeat(" ", 1<<20)))
	require.NoError(t, err)
	resp.Body.Close()
	assert.Equal(t, http.StatusCreated, resp.StatusCode)
}

// TestBotyardFakeCloseDropsScheduledReplies: a reply still waiting for its
// delay is dropped by Close, which does not wait the delay out.
func TestBotyardFakeCloseDropsScheduledReplies(t *testing.T) {
	r := newBotyardRaw(t, chatbottest.WithBotyardReplyDelay(time.Hour))
	r.login()
	_, chat, _ := r.json("POST", "/v1/client-api/chat", `{"botId":"`+r.fake.Bots()[0].ID+`"}`)
	chatID := chat["id"].(string)
	resp, _, _ := r.json("POST", "/v1/client-api/chat/message", `{"chatId":"`+chatID+`","body":"hi"}`)
	require.Equal(t, http.StatusCreated, resp.StatusCode)

	start := time.Now()
	r.fake.Close()
	assert.Less(t, time.Since(start), time.Minute, "Close did not wait for the reply's hour")
	require.Len(t, r.fake.Messages(chatID), 1, "only the user's message: the reply never came")
	r.fake.Close() // a second Close is harmless
}

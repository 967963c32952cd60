package chatbottest_test

import (
	"bufio"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
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

// jwtPart encodes one part of a hand-made token.
func jwtPart(s string) string { return base64.RawURLEncoding.EncodeToString([]byte(s)) }

// signJWT makes an HS256 token of header and claims with key.
func signJWT(key []byte, header, claims string) string {
	signed := jwtPart(header) + "." + jwtPart(claims)
	m := hmac.New(sha256.New, key)
	m.Write([]byte(signed))
	return signed + "." + base64.RawURLEncoding.EncodeToString(m.Sum(nil))
}

func TestBotyardFakeSessionIsHS256JWT(t *testing.T) {
	key := []byte("test-jwt-key")
	r := newBotyardRaw(t, chatbottest.WithBotyardJWTKey(key))
	before := time.Now().Unix()
	resp, user, _ := r.json("POST", "/v1/client-api/user", `{"nickname":"alice"}`)
	require.Equal(t, http.StatusCreated, resp.StatusCode)
	after := time.Now().Unix()

	parts := strings.Split(r.token, ".")
	require.Len(t, parts, 3, "header.payload.signature")
	header, err := base64.RawURLEncoding.DecodeString(parts[0])
	require.NoError(t, err)
	assert.JSONEq(t, `{"alg":"HS256","typ":"JWT"}`, string(header))
	m := hmac.New(sha256.New, key)
	m.Write([]byte(parts[0] + "." + parts[1]))
	assert.Equal(t, base64.RawURLEncoding.EncodeToString(m.Sum(nil)), parts[2], "signed with the key, HS256")

	payload, err := base64.RawURLEncoding.DecodeString(parts[1])
	require.NoError(t, err)
	var claims struct {
		ID       string `json:"id"`
		Nickname string `json:"nickname"`
		Exp      int64  `json:"exp"` // decoding fails unless whole seconds
		Iat      int64  `json:"iat"`
	}
	require.NoError(t, json.Unmarshal(payload, &claims))
	assert.Equal(t, user["id"], claims.ID)
	assert.Equal(t, "alice", claims.Nickname)
	assert.True(t, before <= claims.Iat && claims.Iat <= after, "iat is now, in seconds")
	assert.Equal(t, int64(7*24*3600), claims.Exp-claims.Iat, "7 days")
	cookie, err := http.ParseSetCookie(resp.Header.Get("Set-Cookie"))
	require.NoError(t, err)
	assert.Equal(t, claims.Exp, cookie.Expires.Unix(), "the cookie expires with the token")

	// The re-issued token keeps the nickname.
	r.do("GET", "/v1/client-api/user", "", nil)
	payload, err = base64.RawURLEncoding.DecodeString(strings.Split(r.token, ".")[1])
	require.NoError(t, err)
	assert.Contains(t, string(payload), `"nickname":"alice"`)

	id := claims.ID
	now := time.Now().Unix()
	hs256 := `{"alg":"HS256","typ":"JWT"}`
	cases := []struct {
		name, token string
		status      int
	}{
		{"minted with the key", signJWT(key, hs256, fmt.Sprintf(`{"id":%q,"nickname":"alice","exp":%d,"iat":%d}`, id, now+60, now)), http.StatusOK},
		{"expired", signJWT(key, hs256, fmt.Sprintf(`{"id":%q,"nickname":"alice","exp":%d,"iat":%d}`, id, now-60, now-120)), http.StatusUnauthorized},
		{"another key", signJWT([]byte("other"), hs256, fmt.Sprintf(`{"id":%q,"exp":%d}`, id, now+60)), http.StatusUnauthorized},
		{"alg none", jwtPart(`{"alg":"none","typ":"JWT"}`) + "." + jwtPart(fmt.Sprintf(`{"id":%q,"exp":%d}`, id, now+60)) + ".", http.StatusUnauthorized},
		{"user gone", signJWT(key, hs256, fmt.Sprintf(`{"id":"ghost","nickname":"x","exp":%d,"iat":%d}`, now+60, now)), http.StatusNotFound},
	}
	for _, tc := range cases {
		r.token = tc.token
		resp, _, _ := r.do("GET", "/v1/client-api/user", "", nil)
		assert.Equal(t, tc.status, resp.StatusCode, tc.name)
		assert.Equal(t, tc.status != http.StatusUnauthorized, resp.Header.Get("Set-Cookie") != "", tc.name+": re-issued after a good token only")
	}
}

func TestBotyardFakeShortLivedTokens(t *testing.T) {
	r := newBotyardRaw(t, chatbottest.WithBotyardTokenLifetime(1500*time.Millisecond))
	r.login()
	payload, err := base64.RawURLEncoding.DecodeString(strings.Split(r.token, ".")[1])
	require.NoError(t, err)
	var claims struct{ Exp, Iat int64 }
	require.NoError(t, json.Unmarshal(payload, &claims))
	assert.Contains(t, []int64{1, 2}, claims.Exp-claims.Iat, "whole seconds, never more than the lifetime")
}

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

package main

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	chatbot "github.com/chatbot-sdk/chatbot-go"
	"github.com/chatbot-sdk/chatbot-go/chatbottest"
)

// A conversation whose history fails part-way is not written: the error
// says how much was exported, and that must be what the file holds, or a
// run again with --append would repeat the part written.
func TestExportDoesNotWriteAConversationCutShort(t *testing.T) {
	h := newHarness(t, "")
	fake := chatbottest.StartChatThing(t)
	var msgs []string
	for i := range 60 {
		msgs = append(msgs, fmt.Sprint("q", i))
	}
	id := fake.SeedConversation(msgs...) // 121 messages: two pages of 100
	var n atomic.Int32
	proxy := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasSuffix(r.URL.Path, "/messages") && n.Add(1) == 2 {
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(http.StatusInternalServerError)
			_, _ = w.Write([]byte(`{"success":false,"message":"boom"}`))
			return
		}
		fake.Handler().ServeHTTP(w, r)
	}))
	defer proxy.Close()
	t.Setenv(chatbot.EnvChannelID, fake.ChannelID)
	t.Setenv(chatbot.EnvSecretKey, fake.SecretKey)
	t.Setenv(chatbot.EnvBaseURL, proxy.URL)
	out := filepath.Join(t.TempDir(), "out.jsonl")
	assert.Equal(t, exitError, h.run("export", "-c", id, "-o", out))
	assert.Contains(t, h.stderr.String(), "stopped after 0 messages in 0 conversations")
	b, err := os.ReadFile(out)
	require.NoError(t, err)
	assert.Zero(t, strings.Count(string(b), "\n"), "records of a conversation the error does not count were written")

	// The next run (the proxy fails no more) writes the whole of it.
	assert.Equal(t, exitOK, h.run("export", "-c", id, "-o", out, "--append"), h.stderr.String())
	b, err = os.ReadFile(out)
	require.NoError(t, err)
	assert.Equal(t, 121, strings.Count(string(b), "\n"))
}

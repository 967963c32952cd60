package chatbottest_test

import (
	"bufio"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/chatbot-sdk/chatbot-go/chatbottest"
)

// openStream posts a streamed message and returns the open response.
func (c *ctRaw) openStream(ctx context.Context, conversationID, message string) *http.Response {
	c.t.Helper()
	body := mustJSON(c.t, map[string]any{"conversationId": conversationID, "message": message, "stream": true})
	req, err := http.NewRequestWithContext(ctx, "POST", c.url("/message"), strings.NewReader(body))
	require.NoError(c.t, err)
	req.Header.Set("X-API-Secret-Key", c.ct.SecretKey)
	req.Header.Set("Content-Type", "application/json")
	resp, err := c.client.Do(req)
	require.NoError(c.t, err)
	require.Equal(c.t, http.StatusOK, resp.StatusCode)
	assert.Equal(c.t, "text/event-stream", resp.Header.Get("Content-Type"))
	return resp
}

func mustJSON(t *testing.T, v any) string {
	b, err := json.Marshal(v)
	require.NoError(t, err)
	return string(b)
}

// readEvent reads one "data: …" event and the blank line after it.
func readEvent(t *testing.T, r *bufio.Reader) (string, error) {
	line, err := r.ReadString('\n')
	if err != nil {
		return line, err
	}
	payload, ok := strings.CutPrefix(strings.TrimSuffix(line, "\n"), "data: ")
	require.True(t, ok, "event line %q", line)
	blank, err := r.ReadString('\n')
	require.NoError(t, err)
	require.Equal(t, "\n", blank)
	return payload, nil
}

// readAllEvents reads events until the body ends.
func readAllEvents(t *testing.T, body io.Reader) []string {
	r := bufio.NewReader(body)
	var events []string
	for {
		ev, err := readEvent(t, r)
		if err == io.EOF {
			require.Empty(t, ev, "no partial event at the end")
			return events
		}
		require.NoError(t, err)
		events = append(events, ev)
	}
}

func TestChatThingStreamMatchesDocumentedSample(t *testing.T) {
	c := newCTRaw(t)
	conv := c.ok("POST", "/conversation", nil)["conversationId"].(string)
	before := time.Now().Unix()
	resp := c.openStream(context.Background(), conv, "How far away is the Moon?")
	raw, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	require.NoError(t, err)

	// Only the reply's ID and creation time may differ from the sample.
	ids := regexp.MustCompile(`"id":"(chatcmpl-[^"]+)"`).FindAllStringSubmatch(string(raw), -1)
	require.Len(t, ids, 24)
	for _, m := range ids {
		assert.Equal(t, ids[0][1], m[1], "one id for every chunk of a reply")
	}
	created := regexp.MustCompile(`"created":(\d+)`).FindAllStringSubmatch(string(raw), -1)
	require.Len(t, created, 24)
	assert.GreaterOrEqual(t, mustInt(t, created[0][1]), before)
	got := strings.ReplaceAll(string(raw), ids[0][1], "chatcmpl-7MZUCOltFCEIMM1zJWdb2LI5teuCl")
	got = strings.ReplaceAll(got, `"created":`+created[0][1], `"created":1685613980`)

	sample, err := os.ReadFile("testdata/chatthing_stream_sample.txt")
	require.NoError(t, err)
	assert.Equal(t, strings.TrimRight(string(sample), "\n"), strings.TrimRight(got, "\n"))
	assert.True(t, strings.HasSuffix(string(raw), "data: [DONE]\n\n"))

	// A streamed reply without a conversationId still lands in a new
	// conversation; this one had one, so it is stored there.
	msgs := c.ct.Messages(conv)
	require.Len(t, msgs, 3)
	assert.Equal(t, "The average distance from the Earth to the Moon is about 238,855 miles (384,400 kilometers).", msgs[2].Text)
	assert.Equal(t, "chatcmpl-"+msgs[2].ID, ids[0][1], "the chunk id names the stored reply")
}

func mustInt(t *testing.T, s string) int64 {
	var n int64
	require.NoError(t, json.Unmarshal([]byte(s), &n))
	return n
}

func TestChatThingStreamTokensJoinIntoTheReply(t *testing.T) {
	c := newCTRaw(t)
	reply := "Ünïcode  works,\teven\nhere: 3.14 (π)!"
	c.ct.QueueReplies(reply)
	resp := c.openStream(context.Background(), "", "anything")
	events := readAllEvents(t, resp.Body)
	resp.Body.Close()
	require.Equal(t, "[DONE]", events[len(events)-1])
	var text strings.Builder
	for _, ev := range events[:len(events)-1] {
		var chunk struct {
			Object  string `json:"object"`
			Choices []struct {
				Delta struct {
					Content *string `json:"content"`
				} `json:"delta"`
			} `json:"choices"`
		}
		require.NoError(t, json.Unmarshal([]byte(ev), &chunk))
		assert.Equal(t, "chat.completion.chunk", chunk.Object)
		if c := chunk.Choices[0].Delta.Content; c != nil {
			require.NotEmpty(t, *c)
			text.WriteString(*c)
		}
	}
	assert.Equal(t, reply, text.String())
}

func TestChatThingStallNextStreamFlushesThenHangsUntilCancelled(t *testing.T) {
	c := newCTRaw(t)
	c.ct.StallNextStream(2)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	resp := c.openStream(ctx, "", "moon")
	defer resp.Body.Close()
	r := bufio.NewReader(resp.Body)
	// Both events arrive although the handler has not returned: each one is
	// flushed as it is written.
	for _, want := range []string{`"role":"assistant"`, `"content":"The"`} {
		ev, err := readEvent(t, r)
		require.NoError(t, err)
		assert.Contains(t, ev, want)
	}
	got := make(chan error, 1)
	go func() {
		_, err := r.ReadByte()
		got <- err
	}()
	select {
	case err := <-got:
		t.Fatalf("stalled stream sent more: %v", err)
	case <-time.After(100 * time.Millisecond):
	}
	cancel()
	assert.Error(t, <-got)
	// The handler ends with the request: its log entry appears.
	require.Eventually(t, func() bool { return c.ct.CountRequests("POST", "/message") == 1 }, 5*time.Second, 5*time.Millisecond)
}

func TestChatThingCloseEndsStalledStreams(t *testing.T) {
	c := newCTRaw(t)
	c.ct.StallNextStream(0)
	resp := c.openStream(context.Background(), "", "hi")
	defer resp.Body.Close()
	closed := make(chan struct{})
	go func() {
		c.ct.Close()
		close(closed)
	}()
	select {
	case <-closed:
	case <-time.After(5 * time.Second):
		t.Fatal("Close hung on a stalled stream")
	}
	_, err := io.ReadAll(resp.Body)
	_ = err // a clean end or a reset: either way the body ends
}

func TestChatThingCloseDoesNotWaitForInjectedLatency(t *testing.T) {
	c := newCTRaw(t)
	c.ct.Faults.SetLatency(time.Minute)
	failed := make(chan error, 1)
	go func() {
		req, _ := http.NewRequest("POST", c.url("/conversation"), nil)
		req.Header.Set("X-API-Secret-Key", c.ct.SecretKey)
		resp, err := c.client.Do(req)
		if err == nil {
			resp.Body.Close()
		}
		failed <- err
	}()
	time.Sleep(100 * time.Millisecond) // let the request reach the latency wait
	start := time.Now()
	c.ct.Close()
	assert.Less(t, time.Since(start), 5*time.Second)
	assert.Error(t, <-failed, "the request in flight is cut")
	assert.Empty(t, c.ct.ConversationIDs())
}

func TestChatThingCutNextStream(t *testing.T) {
	c := newCTRaw(t)
	c.ct.CutNextStream(-1)
	c.ct.CutNextStream(3)

	// A plain send does not use up a stream fault.
	c.ok("POST", "/message", map[string]any{"message": "moon"})

	resp := c.openStream(context.Background(), "", "moon")
	events := readAllEvents(t, resp.Body)
	resp.Body.Close()
	require.Len(t, events, 24, "every chunk, no [DONE]")
	assert.Contains(t, events[23], `"finish_reason":"stop"`)

	resp = c.openStream(context.Background(), "", "moon")
	events = readAllEvents(t, resp.Body)
	resp.Body.Close()
	require.Len(t, events, 3)
	assert.Contains(t, events[2], `"content":" average"`)

	resp = c.openStream(context.Background(), "", "moon")
	events = readAllEvents(t, resp.Body)
	resp.Body.Close()
	assert.Len(t, events, 25, "faults are used up")
	assert.Equal(t, "[DONE]", events[24])
}

func TestChatThingStreamDelay(t *testing.T) {
	c := newCTRaw(t, chatbottest.WithChatThingStreamDelay(20*time.Millisecond))
	c.ct.QueueReplies("a b c")
	start := time.Now()
	resp := c.openStream(context.Background(), "", "x")
	events := readAllEvents(t, resp.Body)
	resp.Body.Close()
	require.Len(t, events, 6) // role, "a", " b", " c", stop, [DONE]
	assert.GreaterOrEqual(t, time.Since(start), 6*20*time.Millisecond)
}

func TestChatThingStreamErrorsComeBeforeTheStream(t *testing.T) {
	c := newCTRaw(t)
	c.ct.Faults.FailNext(1, http.StatusTooManyRequests, chatbottest.OnPath("/message"))
	out := c.fails(http.StatusTooManyRequests, "POST", "/message", map[string]any{"message": "hi", "stream": true})
	assert.Equal(t, "injected fault", out["message"])
	assert.Empty(t, c.ct.ConversationIDs(), "a refused request changes nothing")
}

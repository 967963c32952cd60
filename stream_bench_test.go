package chatbot_test

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strings"
	"testing"
	"unicode/utf8"

	chatbot "github.com/chatbot-sdk/chatbot-go"
	"github.com/chatbot-sdk/chatbot-go/internal/testkit"
)

// Streaming benchmarks: our MessageStream beside two baselines, in the same
// run, over loopback HTTP and over an in-memory body that returns 1-64
// bytes per Read. See BENCHMARKS.md for the results and the command.
//
//	(a) io-copy:    io.Copy of the body to io.Discard (the floor)
//	(b) bufio-json: bufio.Scanner lines + encoding/json into a minimal delta
//	    struct, as most hand-rolled clients do
//	    chatbot:    client.Messages.Stream, Next, Text

// benchStream is a generated reply: the body as Chat Thing sends it and the
// text it adds up to.
type benchStream struct {
	body []byte
	text string
}

// tokenPieces mixes ASCII, multi-byte UTF-8 and characters JSON escapes.
var tokenPieces = []string{"a", "b", "e", "t", "o", "n", " ", ",", ".", "é", "ü", "日", "本", "🙂", "\"", "\\", "\n", "<", "\t"}

// genStream builds n content deltas of 1-8 characters in the documented
// chunk shape, framed by the role chunk, the stop chunk and [DONE]. About
// one token in five has a multi-byte character or an escape; some
// non-ASCII characters are sent as \u escapes (emoji as surrogate pairs).
func genStream(n int) benchStream {
	rng := rand.New(rand.NewPCG(1, uint64(n)))
	const head = `data: {"id":"chatcmpl-7MZUCOltFCEIMM1zJWdb2LI5teuCl","object":"chat.completion.chunk","created":1685613980,"model":"gpt-3.5-turbo-0301","choices":[{"delta":{`
	var body bytes.Buffer
	var text strings.Builder
	body.WriteString(head + `"role":"assistant"},"index":0,"finish_reason":null}]}` + "\n\n")
	for range n {
		var tok strings.Builder
		for k := 1 + rng.IntN(8); k > 0; k-- {
			if rng.IntN(5) == 0 {
				tok.WriteString(tokenPieces[rng.IntN(len(tokenPieces))])
			} else {
				tok.WriteByte(byte('a' + rng.IntN(26)))
			}
		}
		text.WriteString(tok.String())
		body.WriteString(head + `"content":` + jsonString(tok.String(), rng) + `},"index":0,"finish_reason":null}]}` + "\n\n")
	}
	body.WriteString(head + `},"index":0,"finish_reason":"stop"}]}` + "\n\n" + "data: [DONE]\n\n")
	return benchStream{body: body.Bytes(), text: text.String()}
}

// jsonString quotes s, writing some non-ASCII runes as \u escapes.
func jsonString(s string, rng *rand.Rand) string {
	b, _ := json.Marshal(s)
	out := string(b)
	if rng.IntN(2) == 0 {
		return out
	}
	var esc strings.Builder
	for _, r := range out {
		switch {
		case r >= 0x10000:
			r1, r2 := (r-0x10000)>>10+0xD800, (r-0x10000)&0x3FF+0xDC00
			fmt.Fprintf(&esc, `\u%04x\u%04x`, r1, r2)
		case r >= utf8.RuneSelf:
			fmt.Fprintf(&esc, `\u%04x`, r)
		default:
			esc.WriteRune(r)
		}
	}
	return esc.String()
}

type minimalDelta struct {
	Choices []struct {
		Delta struct {
			Content string `json:"content"`
		} `json:"delta"`
		FinishReason *string `json:"finish_reason"`
	} `json:"choices"`
}

// baselineBufioJSON is contender (b).
func baselineBufioJSON(r io.Reader) (string, error) {
	sc := bufio.NewScanner(r)
	var text strings.Builder
	for sc.Scan() {
		payload, ok := bytes.CutPrefix(sc.Bytes(), []byte("data: "))
		if !ok {
			continue
		}
		if string(payload) == "[DONE]" {
			break
		}
		var m minimalDelta
		if err := json.Unmarshal(payload, &m); err != nil {
			return "", err
		}
		if len(m.Choices) > 0 {
			text.WriteString(m.Choices[0].Delta.Content)
		}
	}
	return text.String(), sc.Err()
}

// ours is the contender under test.
func ours(c *chatbot.Client) (string, error) {
	s, err := c.Messages.Stream(context.Background(), &chatbot.SendParams{ConversationID: "c", Message: "hi"})
	if err != nil {
		return "", err
	}
	defer s.Close()
	for s.Next() {
	}
	return s.Text(), s.Err()
}

// measure runs op b.N times and reports the per-delta figures.
func measure(b *testing.B, st benchStream, deltas int, op func() (string, error), checkText bool) {
	b.SetBytes(int64(len(st.body)))
	b.ReportAllocs()
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		text, err := op()
		if err != nil {
			b.Fatal(err)
		}
		if checkText && text != st.text {
			b.Fatalf("decoded %d bytes of text, want %d", len(text), len(st.text))
		}
	}
	b.StopTimer()
	runtime.ReadMemStats(&after)
	n := float64(b.N) * float64(deltas)
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/n, "ns/delta")
	b.ReportMetric(float64(after.Mallocs-before.Mallocs)/n, "allocs/delta")
	b.ReportMetric(float64(after.TotalAlloc-before.TotalAlloc)/n, "B/delta")
}

func BenchmarkStream(b *testing.B) {
	for _, deltas := range []int{1_000, 100_000} {
		st := genStream(deltas)
		b.Run(fmt.Sprintf("memory/deltas=%d", deltas), func(b *testing.B) { benchMemory(b, st, deltas) })
		b.Run(fmt.Sprintf("loopback/deltas=%d", deltas), func(b *testing.B) { benchLoopback(b, st, deltas) })
	}
}

func benchMemory(b *testing.B, st benchStream, deltas int) {
	b.Run("io-copy", func(b *testing.B) {
		measure(b, st, deltas, func() (string, error) {
			_, err := io.Copy(io.Discard, testkit.ChunkyReader(st.body))
			return "", err
		}, false)
	})
	b.Run("bufio-json", func(b *testing.B) {
		measure(b, st, deltas, func() (string, error) { return baselineBufioJSON(testkit.ChunkyReader(st.body)) }, true)
	})
	b.Run("chatbot", func(b *testing.B) {
		rt := roundTripFunc(func(r *http.Request) (*http.Response, error) {
			return &http.Response{StatusCode: http.StatusOK, Request: r, Header: http.Header{},
				Body: io.NopCloser(testkit.ChunkyReader(st.body))}, nil
		})
		c, err := chatbot.NewClient(testChannel, testSecret, chatbot.WithTransport(rt))
		if err != nil {
			b.Fatal(err)
		}
		measure(b, st, deltas, func() (string, error) { return ours(c) }, true)
	})
}

func benchLoopback(b *testing.B, st benchStream, deltas int) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		w.Header().Set("Content-Type", "text/event-stream")
		_, _ = w.Write(st.body)
	}))
	defer srv.Close()
	tr := http.DefaultTransport.(*http.Transport).Clone()
	defer tr.CloseIdleConnections()
	hc := &http.Client{Transport: tr}
	post := func(read func(io.Reader) (string, error)) (string, error) {
		resp, err := hc.Post(srv.URL+"/message", "application/json", strings.NewReader(`{"message":"hi","stream":true}`))
		if err != nil {
			return "", err
		}
		defer resp.Body.Close()
		text, err := read(resp.Body)
		_, _ = io.Copy(io.Discard, resp.Body) // let the connection be reused
		return text, err
	}
	b.Run("io-copy", func(b *testing.B) {
		measure(b, st, deltas, func() (string, error) {
			return post(func(r io.Reader) (string, error) { _, err := io.Copy(io.Discard, r); return "", err })
		}, false)
	})
	b.Run("bufio-json", func(b *testing.B) {
		measure(b, st, deltas, func() (string, error) { return post(baselineBufioJSON) }, true)
	})
	b.Run("chatbot", func(b *testing.B) {
		c, err := chatbot.NewClient(testChannel, testSecret, chatbot.WithBaseURL(srv.URL), chatbot.WithHTTPClient(hc))
		if err != nil {
			b.Fatal(err)
		}
		measure(b, st, deltas, func() (string, error) { return ours(c) }, true)
	})
}

package chatbot_test

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	chatbot "github.com/chatbot-sdk/chatbot-go"
)

// oracleChunk has ChatCompletionChunk's fields and tags but not its
// UnmarshalJSON, so encoding/json decodes it by reflection: the oracle.
type oracleChunk struct {
	ID      string                `json:"id"`
	Object  string                `json:"object"`
	Created int64                 `json:"created"`
	Model   string                `json:"model"`
	Choices []chatbot.ChunkChoice `json:"choices"`
}

// oracle decodes data with encoding/json into a zero chunk.
func oracle(data []byte) (chatbot.ChatCompletionChunk, error) {
	var o oracleChunk
	err := json.Unmarshal(data, &o)
	return normalized(chatbot.ChatCompletionChunk(o)), err
}

// normalized treats a nil and an empty Choices alike.
func normalized(c chatbot.ChatCompletionChunk) chatbot.ChatCompletionChunk {
	if len(c.Choices) == 0 {
		c.Choices = nil
	}
	return c
}

// agreeWithOracle checks that UnmarshalJSON into a zero chunk, and into
// one still holding an earlier chunk, gives what encoding/json gives.
func agreeWithOracle(t testing.TB, data []byte) {
	t.Helper()
	want, wantErr := oracle(data)
	var fresh chatbot.ChatCompletionChunk
	err := fresh.UnmarshalJSON(data)
	if (err != nil) != (wantErr != nil) {
		t.Fatalf("input %q: error %v, encoding/json says %v", data, err, wantErr)
	}
	if wantErr != nil {
		return
	}
	if got := normalized(fresh); !chunksEqual(got, want) {
		t.Fatalf("input %q:\n got  %#v\n want %#v", data, got, want)
	}
	if string(bytes.TrimSpace(data)) == "null" {
		return // UnmarshalJSON leaves the value alone on null, by convention
	}
	used := sampleChunk(t)
	require.NoError(t, used.UnmarshalJSON(data))
	if got := normalized(used); !chunksEqual(got, want) {
		t.Fatalf("input %q into a used chunk:\n got  %#v\n want %#v", data, got, want)
	}
}

func chunksEqual(a, b chatbot.ChatCompletionChunk) bool {
	x, _ := json.Marshal(oracleChunk(a))
	y, _ := json.Marshal(oracleChunk(b))
	return bytes.Equal(x, y) && (a.Choices == nil) == (b.Choices == nil)
}

// sampleLines returns the payloads of the documented sample stream.
func sampleLines(t testing.TB) []string {
	t.Helper()
	var out []string
	for _, line := range strings.Split(sampleStream(t), "\n") {
		if p, ok := strings.CutPrefix(line, "data: "); ok {
			out = append(out, p)
		}
	}
	return out
}

func sampleChunk(t testing.TB) chatbot.ChatCompletionChunk {
	var c chatbot.ChatCompletionChunk
	require.NoError(t, c.UnmarshalJSON([]byte(`{"id":"x","object":"o","created":5,"model":"m","choices":[
		{"index":0,"delta":{"role":"assistant","content":"old"},"finish_reason":"stop"},
		{"index":1,"delta":{"content":"older"},"finish_reason":"length"}]}`)))
	return c
}

func TestChunkDecodesDocumentedSample(t *testing.T) {
	lines := sampleLines(t)
	require.Len(t, lines, 25)
	require.Equal(t, "[DONE]", lines[24])
	var c chatbot.ChatCompletionChunk
	require.NoError(t, json.Unmarshal([]byte(lines[0]), &c))
	assert.Equal(t, chatbot.ChatCompletionChunk{
		ID: "chatcmpl-7MZUCOltFCEIMM1zJWdb2LI5teuCl", Object: "chat.completion.chunk", Created: 1685613980,
		Model: "gpt-3.5-turbo-0301", Choices: []chatbot.ChunkChoice{{Index: 0, Delta: chatbot.ChunkDelta{Role: chatbot.RoleAssistant}}},
	}, c)
	require.NoError(t, c.UnmarshalJSON([]byte(lines[1])))
	assert.Equal(t, "The", c.Content())
	assert.Equal(t, "", string(c.Choices[0].Delta.Role))
	require.NoError(t, c.UnmarshalJSON([]byte(lines[23])))
	assert.Equal(t, []chatbot.ChunkChoice{{FinishReason: "stop"}}, c.Choices)
	for _, l := range lines[:24] {
		agreeWithOracle(t, []byte(l))
	}
}

// A null role after an "assistant" one is "", as encoding/json gives for a
// fresh chunk: the decoder reuses the previous role's string only when the
// bytes repeat, never as a value for null.
func TestChunkNullRoleAfterARole(t *testing.T) {
	var c chatbot.ChatCompletionChunk
	require.NoError(t, c.UnmarshalJSON([]byte(`{"choices":[{"index":0,"delta":{"role":"assistant"}}]}`)))
	require.Equal(t, chatbot.RoleAssistant, c.Choices[0].Delta.Role)
	require.NoError(t, c.UnmarshalJSON([]byte(`{"choices":[{"index":0,"delta":{"role":null,"content":"x"}}]}`)))
	assert.Equal(t, []chatbot.ChunkChoice{{Delta: chatbot.ChunkDelta{Content: "x"}}}, c.Choices)
}

func TestChunkContentPicksChoiceZero(t *testing.T) {
	var c chatbot.ChatCompletionChunk
	require.NoError(t, c.UnmarshalJSON([]byte(`{"choices":[{"index":1,"delta":{"content":"b"}},{"index":0,"delta":{"content":"a"}}]}`)))
	assert.Equal(t, "a", c.Content())
	require.NoError(t, c.UnmarshalJSON([]byte(`{"choices":[]}`)))
	assert.Equal(t, "", c.Content())
}

func TestChunkDecoderMatchesEncodingJSON(t *testing.T) {
	for _, in := range chunkCorpus {
		t.Run(in, func(t *testing.T) { agreeWithOracle(t, []byte(in)) })
	}
}

// chunkCorpus holds the inputs where a hand-written decoder most easily
// parts ways with encoding/json; it also seeds the fuzzer.
var chunkCorpus = []string{
	`{"id":"a","object":"chat.completion.chunk","created":1,"model":"m","choices":[{"index":0,"delta":{"content":"x"},"finish_reason":null}]}`,
	`{"choices":[{"finish_reason":"stop","delta":{"content":"x","role":"assistant"},"index":0}],"model":"m","created":1,"id":"a"}`,
	` { "choices" : [ { "delta" : { "content" : "sp" } } ] } ` + "\n\t\r",
	`{"choices":[{"delta":{"content":"\"\\\/\b\f\n\r\t\u00e9\u20AC"}}]}`,
	`{"choices":[{"delta":{"content":"\ud83d\ude00 pair"}}]}`,
	`{"choices":[{"delta":{"content":"\ud83d lone high"}}]}`,
	`{"choices":[{"delta":{"content":"\ude00 lone low"}}]}`,
	`{"choices":[{"delta":{"content":"\ud83d\u0041 high then A"}}]}`,
	`{"choices":[{"delta":{"content":"\ud83d\ud83d\ude00 high high low"}}]}`,
	`{"choices":[{"delta":{"content":"\ud83d\x"}}]}`,
	"{\"choices\":[{\"delta\":{\"content\":\"bad \xff utf8\"}}]}",
	"{\"choices\":[{\"delta\":{\"content\":\"bad \xff then \\n escape\"}}]}",
	"{\"choices\":[{\"delta\":{\"content\":\"surrogate \xed\xa0\x80 bytes\"}}]}",
	"{\"choices\":[{\"delta\":{\"content\":\"ctl \x01\"}}]}",
	`{"choices":[{"delta":{"content":"日本語 🙂"}}]}`,
	`{"unknown":{"a":[1,2.5e-3,-0,true,false,null,"s\u0041",{"b":{}}]},"choices":[],"x":-1E+2}`,
	`{"choices":[{"logprobs":null,"delta":{"tool_calls":[{"id":"t"}],"content":"c"},"index":0}],"usage":{"total":3}}`,
	`{"id":null,"created":null,"model":null,"choices":null}`,
	`{"choices":[null,{"delta":null,"index":null,"finish_reason":null}]}`,
	`{"choices":[{"delta":{"role":null,"content":"x"},"index":0}]}`,
	`{"choices":[{"index":0,"delta":{"content":"y","role":null},"finish_reason":null}]}`,
	`{"ID":"upper","Choices":[{"Delta":{"Content":"folded"},"INDEX":2}]}`,
	`{"ſ":"long s","\u212aey":"kelvin","id":"x"}`,
	`{"i\u0064":"escaped name"}`,
	`{"id":"a","id":"b"}`,
	`{"id":"a","id":null}`,
	`{"choices":[{"index":1,"delta":{"content":"a"}}],"choices":[{"finish_reason":"stop"}]}`,
	`{"choices":[{"delta":{"content":"a"},"delta":{"role":"r"}}]}`,
	`{"created":1.0}`, `{"created":1e3}`, `{"created":-0}`, `{"created":01}`, `{"created":-}`,
	`{"created":9223372036854775807}`, `{"created":-9223372036854775808}`,
	`{"created":9223372036854775808}`, `{"created":"1"}`, `{"choices":[{"index":true}]}`,
	`{"id":5}`, `{"choices":{}}`, `{"choices":[{"delta":[]}]}`, `{"choices":[1]}`,
	`{"error":{"message":"overloaded","type":"server_error"}}`, `{"Error":"x"}`,
	`null`, ` null `, `nul`, `[]`, `""`, `{}`, ``, `{`, `{"id":"a"`, `{"id":"a"} x`, `{"id":"a",}`,
	`{"id" "a"}`, `{"id":"a"}{}`, `{"a":[1,]}`, `{"a":01}`, `{"a":1.}`, `{"a":.5}`, `{"a":tru}`,
	`{"a":"\u12"}`, `{"a":"\q"}`, `{"a":` + strings.Repeat("[", 300) + strings.Repeat("]", 300) + `}`,
	`{"a":` + strings.Repeat("[", 10001) + strings.Repeat("]", 10001) + `}`,
}

func FuzzChunkDecoder(f *testing.F) {
	for _, s := range chunkCorpus {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		agreeWithOracle(t, data)
	})
}

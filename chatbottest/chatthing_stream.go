package chatbottest

import (
	"encoding/json"
	"net/http"
	"time"
)

// streamFault breaks one streamed reply after a number of events.
type streamFault struct {
	after int  // events sent before the fault; < 0: all but [DONE]
	stall bool // true: hang; false: end the response without [DONE]
}

// StallNextStream makes the next streamed reply send afterEvents events
// and then hang, sending nothing more, until the client gives up or the
// server is closed. Events are counted as the reference's sample has them:
// the role chunk, one chunk per token, the stop chunk, then [DONE]. A
// negative afterEvents, or one past the last chunk, stalls just before
// [DONE].
func (c *ChatThing) StallNextStream(afterEvents int) {
	c.addStreamFault(streamFault{after: afterEvents, stall: true})
}

// CutNextStream makes the next streamed reply end cleanly at the HTTP
// level after afterEvents events, without the [DONE] terminator, as a
// proxy that drops the connection would. A negative afterEvents, or one
// past the last chunk, sends every chunk and leaves out only [DONE].
func (c *ChatThing) CutNextStream(afterEvents int) {
	c.addStreamFault(streamFault{after: afterEvents})
}

func (c *ChatThing) addStreamFault(f streamFault) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.state.streamFaults = append(c.state.streamFaults, f)
}

// popStreamFault takes the fault for the stream about to start, if any.
func (s *chatThingState) popStreamFault() *streamFault {
	if len(s.streamFaults) == 0 {
		return nil
	}
	f := s.streamFaults[0]
	s.streamFaults = s.streamFaults[1:]
	return &f
}

// ctChunk is a chat.completion.chunk with its fields in the documented
// order, so that the fake's events read byte for byte like the sample.
type ctChunk struct {
	ID      string          `json:"id"`
	Object  string          `json:"object"`
	Created int64           `json:"created"`
	Model   string          `json:"model"`
	Choices []ctChunkChoice `json:"choices"`
}

type ctChunkChoice struct {
	Delta        ctDelta `json:"delta"`
	Index        int     `json:"index"`
	FinishReason *string `json:"finish_reason"`
}

type ctDelta struct {
	Role    string  `json:"role,omitempty"`
	Content *string `json:"content,omitempty"` // a pointer: " " is a real delta
}

// streamModel is the model name of the documented sample.
const streamModel = "gpt-3.5-turbo-0301"

// streamEvents renders reply as the documented event payloads: a role
// chunk, one content chunk per token, a stop chunk, and [DONE].
func streamEvents(replyID, reply string, created time.Time) [][]byte {
	chunk := func(d ctDelta, finish *string) []byte {
		b, _ := json.Marshal(ctChunk{
			ID: "chatcmpl-" + replyID, Object: "chat.completion.chunk", Created: created.Unix(), Model: streamModel,
			Choices: []ctChunkChoice{{Delta: d, FinishReason: finish}},
		})
		return b
	}
	toks := tokens(reply)
	events := make([][]byte, 0, len(toks)+3)
	events = append(events, chunk(ctDelta{Role: "assistant"}, nil))
	for _, tok := range toks {
		events = append(events, chunk(ctDelta{Content: &tok}, nil))
	}
	stop := "stop"
	events = append(events, chunk(ctDelta{}, &stop), []byte("[DONE]"))
	return events
}

// streamReply writes reply as server-sent events, flushing each one, and
// applies fault. It stops as soon as the client goes away or the server
// closes.
func (c *ChatThing) streamReply(w http.ResponseWriter, r *http.Request, replyID, reply string, created time.Time, fault *streamFault) {
	events := streamEvents(replyID, reply, created)
	send := len(events)
	if fault != nil {
		send = fault.after
		if send < 0 || send >= len(events) {
			send = len(events) - 1
		}
	}
	h := w.Header()
	h.Set("Content-Type", "text/event-stream")
	h.Set("Cache-Control", "no-cache")
	w.WriteHeader(http.StatusOK)
	rc := http.NewResponseController(w)
	_ = rc.Flush()
	for _, ev := range events[:send] {
		if !c.wait(r, c.cfg.streamDelay) {
			return
		}
		if _, err := w.Write(append(append([]byte("data: "), ev...), '\n', '\n')); err != nil {
			return
		}
		if err := rc.Flush(); err != nil {
			return
		}
	}
	if fault != nil && fault.stall {
		c.wait(r, -1)
	}
}

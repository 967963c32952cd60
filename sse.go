package chatbot

import (
	"io"

	"github.com/chatbot-sdk/chatbot-go/internal/sse"
)

// The server-sent-events reader lives in internal/sse, where the message
// stream uses it too; these names make it available to callers that read
// an event stream of their own.

// DefaultMaxEventBytes is the most data one server-sent event may carry
// unless an SSEReader is told otherwise: 16 MiB. The buffers grow with the
// events actually received, so the limit costs nothing until events that
// large arrive.
const DefaultMaxEventBytes = sse.DefaultMaxEventBytes

// ErrEventTooLarge is wrapped by the error an SSEReader (or a message
// stream) returns when one event, or one line, is larger than its limit.
// The stream cannot be resumed after it.
var ErrEventTooLarge = sse.ErrEventTooLarge

// Event is one dispatched server-sent event: its Type ("message" unless an
// "event" field named it), its Data (the "data" lines joined with "\n",
// valid only until the next call to Next), the last ID seen in the stream
// and the last Retry time it asked for.
type Event = sse.Event

// SSEOption changes how an SSEReader reads.
type SSEOption = sse.Option

// SSEReader reads a text/event-stream body by the WHATWG HTML standard's
// rules: LF, CR and CRLF line ends (also split across reads), ":" comments,
// "data" lines joined with "\n", the "event", "id" and "retry" fields, a
// leading byte order mark skipped, and an event handed over as soon as the
// blank line that ends it arrives. Memory grows only with the lines and
// events received, up to the event limit, and the work is linear in the
// input. An SSEReader is not safe for concurrent use.
type SSEReader = sse.Reader

// NewSSEReader returns a reader of the event stream r.
func NewSSEReader(r io.Reader, opts ...SSEOption) *SSEReader { return sse.NewReader(r, opts...) }

// WithSSEMaxEventBytes sets the most data one event may carry (a line may
// be 64 bytes longer, for its field name); past it Next fails with an error
// wrapping ErrEventTooLarge. Values below 1 keep DefaultMaxEventBytes.
func WithSSEMaxEventBytes(n int) SSEOption { return sse.WithMaxEventBytes(n) }

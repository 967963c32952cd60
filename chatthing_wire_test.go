package chatbot_test

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	chatbot "github.com/chatbot-sdk/chatbot-go"
	"github.com/chatbot-sdk/chatbot-go/internal/testkit"
)

const (
	testChannel = "chan-123"
	testSecret  = "s3cr3t-key-never-shown"
	prefix      = "/api/public/channels/chan-123/1.0"
)

// chatThingWire is what every Chat Thing request carries: the secret key,
// the SDK's User-Agent, and a Content-Type only with a body (an exchange
// with JSON requires application/json).
var chatThingWire = testkit.Defaults{
	Header:   map[string]string{"X-API-Secret-Key": testSecret},
	NoHeader: []string{"Content-Type"},
	Check: func(t testing.TB, r *testkit.Request) {
		ua := r.Header.Get("User-Agent")
		assert.True(t, strings.HasPrefix(ua, "chatbot-go/"+chatbot.Version+" go/"), ua)
	},
}

// chatThingServer is a replay server for Chat Thing calls.
type chatThingServer struct{ *testkit.Server }

// serveChatThing starts a replay server for exchanges, each also held to
// chatThingWire.
func serveChatThing(t testing.TB, exchanges ...testkit.Exchange) chatThingServer {
	t.Helper()
	return chatThingServer{chatThingWire.Serve(t, exchanges...)}
}

// client returns a Chat Thing client for the server with fast retries.
func (s chatThingServer) client(t testing.TB, opts ...chatbot.Option) *chatbot.Client {
	t.Helper()
	opts = append([]chatbot.Option{
		chatbot.WithBaseURL(s.URL()),
		chatbot.WithBackoff(time.Millisecond, 5*time.Millisecond),
		chatbot.WithHTTPClient(s.Client()),
	}, opts...)
	c, err := chatbot.NewClient(testChannel, testSecret, opts...)
	require.NoError(t, err)
	return c
}

// recorded is the reply whose body is the fixture testdata/chatthing/name.
func recorded(name string) testkit.Reply {
	return testkit.Reply{File: "testdata/chatthing/" + name}
}

// fixture is the text of testdata/chatthing/name.
func fixture(t testing.TB, name string) string {
	t.Helper()
	return string(testkit.Fixture(t, "testdata/chatthing/"+name))
}

// startExchange is a Chats.Start call answered with reply.
func startExchange(reply testkit.Reply) testkit.Exchange {
	return testkit.Exchange{Method: http.MethodPost, Path: prefix + "/conversation", Reply: reply}
}

// sendHelloExchange is a Messages.Send of sendHello answered with reply.
func sendHelloExchange(reply testkit.Reply) testkit.Exchange {
	return testkit.Exchange{Method: http.MethodPost, Path: prefix + "/message", JSON: `{"message":"hello"}`, Reply: reply}
}

// listChatsExchange is a Chats.List without parameters answered with reply.
func listChatsExchange(reply testkit.Reply) testkit.Exchange {
	return testkit.Exchange{Method: http.MethodPost, Path: prefix + "/conversations", JSON: `{}`, Reply: reply}
}

// times is e answering n requests in a row.
func times(n int, e testkit.Exchange) testkit.Exchange {
	e.Times = n
	return e
}

package main

import (
	"context"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	chatbot "github.com/chatbot-sdk/chatbot-go"
	"github.com/chatbot-sdk/chatbot-go/botyard"
	"github.com/chatbot-sdk/chatbot-go/chat"
	"github.com/chatbot-sdk/chatbot-go/chatbottest"
	"github.com/chatbot-sdk/chatbot-go/cmd/chatbot/internal/demo"
)

func TestChatPipedLinesGetReplies(t *testing.T) {
	cases := []struct {
		platform string
		want     []string // stdout lines
	}{
		{"chatthing", []string{"Hello, how can I help you?", `You said: "hello"`, `You said: "and you?"`}},
		{"botyard", []string{"Test bot got: hello", "Test bot got: and you?"}},
		// The text of the answer; the buttons that come with "hello" are
		// not text.
		{"aimylogic", []string{"Hello! What would you like to see?", "You said: and you?"}},
	}
	for _, c := range cases {
		t.Run(c.platform, func(t *testing.T) {
			h := newHarness(t, "hello\n\n  \nand you?\n")
			require.Equal(t, exitOK, h.run("chat", "--platform", c.platform), h.stderr.String())
			assert.Equal(t, c.want, h.stdout.lines())

			stderr := h.stderr.lines()
			require.Len(t, stderr, 2, "the fake's one line, the conversation's ID; no prompt when piped")
			assert.Contains(t, stderr[0], "unset: using an embedded fake")
			assert.Regexp(t, `^conversation \S+$`, stderr[1])
		})
	}
}

// useChatThing points the environment at a fake of the test's own, as real
// credentials would.
func useChatThing(t *testing.T) *chatbottest.ChatThing {
	fake := chatbottest.StartChatThing(t)
	chatThingEnv(t, fake)
	return fake
}

// chatThingEnv sets the environment to fake's credentials.
func chatThingEnv(t *testing.T, fake *chatbottest.ChatThing) {
	t.Setenv(chatbot.EnvChannelID, fake.ChannelID)
	t.Setenv(chatbot.EnvSecretKey, fake.SecretKey)
	t.Setenv(chatbot.EnvBaseURL, fake.URL)
}

func TestChatResumesWithTheEnvironmentsCredentials(t *testing.T) {
	h := newHarness(t, "")
	fake := useChatThing(t)
	id := fake.SeedConversation("hi")

	require.Equal(t, exitOK, h.run("chat", "--conversation", id, "How far away is the Moon?"), h.stderr.String())
	assert.Equal(t, []string{"conversation " + id}, h.stderr.lines(), "no fake, no greeting on resume")
	assert.Equal(t, []string{"The average distance from the Earth to the Moon is about 238,855 miles (384,400 kilometers)."}, h.stdout.lines())
	msgs := fake.Messages(id)
	require.Len(t, msgs, 5)
	assert.Equal(t, "How far away is the Moon?", msgs[3].Text)
}

func TestChatUnknownConversationExitsWithOne(t *testing.T) {
	h := newHarness(t, "")
	useChatThing(t)
	assert.Equal(t, exitError, h.run("chat", "-c", "no-such-conversation", "hi"))
	assert.Regexp(t, `^chatbot chat: chatthing: chatbot: Messages.List: POST \S+ 404 Not Found`, h.stderr.String())
}

func TestChatCtrlCCancelsTheReplyInFlight(t *testing.T) {
	h := newHarness(t, "tell me\nhello\n")
	h.terminal = true // at a terminal the chat goes on after a Ctrl-C
	// The first reply sends its first word, then hangs.
	h.onFake = func(f *demo.Fake) { f.ChatThing.StallNextStream(2) }
	var once sync.Once
	h.stdout.onWrite = func(p []byte) {
		if string(p) == "You" {
			once.Do(h.interrupt) // Ctrl-C once the first word is on screen
		}
	}
	require.Equal(t, exitOK, h.run("chat"), h.stderr.String())
	assert.Equal(t, []string{"Hello, how can I help you?", "You", `You said: "hello"`}, h.stdout.lines(),
		"the cut reply ends its line; the chat goes on")
	assert.Contains(t, h.stderr.String(), "> (reply cancelled)\n")
}

func TestChatFailureEndsAPipedChat(t *testing.T) {
	h := newHarness(t, "hello\nnever sent\n")
	h.onFake = func(f *demo.Fake) {
		f.Faults.FailNext(1, http.StatusInternalServerError, chatbottest.OnPath("/message"))
	}
	assert.Equal(t, exitError, h.run("chat"))
	assert.Regexp(t, `(?m)^chatbot chat: chatthing: chatbot: Messages.Stream: POST \S+/message: 500 Internal Server Error`, h.stderr.String())
	assert.Equal(t, 1, h.fake().ChatThing.CountRequests("POST", "/message"), "not retried, nothing more sent")
}

func TestChatAtATerminalReportsAFailureAndGoesOn(t *testing.T) {
	h := newHarness(t, "hello\nagain\n")
	h.terminal = true
	h.onFake = func(f *demo.Fake) {
		f.Faults.FailNext(1, http.StatusInternalServerError, chatbottest.OnPath("/message"))
	}
	require.Equal(t, exitOK, h.run("chat"), h.stderr.String())
	assert.Equal(t, []string{"Hello, how can I help you?", `You said: "again"`}, h.stdout.lines())
	stderr := h.stderr.String()
	assert.Contains(t, stderr, "(Ctrl-C cancels a reply, Ctrl-D ends the chat)")
	assert.Contains(t, stderr, "> error: chatbot: Messages.Stream:")
	assert.Equal(t, 3, strings.Count(stderr, "> "), "a prompt per line, and one before Ctrl-D")
}

func TestChatTimesOutWaitingForABotThatNeverAnswers(t *testing.T) {
	h := newHarness(t, "")
	fake := chatbottest.StartBotyard(t, chatbottest.WithBotyardReplier(nil))
	t.Setenv(botyard.EnvBaseURL, fake.URL)
	assert.Equal(t, exitError, h.run("chat", "-p", "botyard", "--timeout", "100ms", "anyone?"))
	assert.Contains(t, h.stderr.String(), "chatbot chat: botyard: no reply within 100ms (--timeout)")
	assert.Empty(t, h.stdout.String())
}

func TestChatAimylogicResumesAClientID(t *testing.T) {
	h := newHarness(t, "")
	require.Equal(t, exitOK, h.run("chat", "-p", "aimylogic", "-c", "demo-client-2", "bye"), h.stderr.String())
	assert.Equal(t, []string{"Goodbye!"}, h.stdout.lines())
	assert.Equal(t, "conversation demo-client-2", h.stderr.lines()[1])
	var texts []string
	for _, m := range h.fake().Aimylogic.History("demo-client-2") {
		texts = append(texts, m.Text)
	}
	assert.Equal(t, []string{"Is anyone there?", "You said: Is anyone there?", "bye", "Goodbye!"}, texts, "the demo dialogue goes on")
}

func TestChatOnAReadOnlyPlatformIsAUsageError(t *testing.T) {
	h := newHarness(t, "hello\n")
	assert.Equal(t, exitUsage, h.run("chat", "-p", "botuj"))
	assert.Equal(t, []string{
		"chatbot chat: botuj is read-only: chat works on chatthing, botyard, aimylogic",
		"Run 'chatbot chat --help' for usage.",
	}, h.stderr.lines(), "refused before any fake starts")
	assert.Empty(t, h.stdout.String())
}

// TestChatPlatformsAreThoseThatConverse holds the command's list to the
// adapters: a platform is in it when it opens conversations and sends.
func TestChatPlatformsAreThoseThatConverse(t *testing.T) {
	var converse []string
	for _, name := range demo.Platforms() {
		f, err := demo.Start(context.Background(), name, demo.Config{})
		require.NoError(t, err)
		p, err := f.Open()
		require.NoError(t, err)
		_, opens := p.(chat.Opener)
		_, sends := p.(chat.Sender)
		_, streams := p.(chat.Streamer)
		if opens && (sends || streams) {
			converse = append(converse, name)
		}
		require.NoError(t, p.Close())
		f.Close()
	}
	assert.Equal(t, converse, chatPlatforms)
}

package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"

	"github.com/chatbot-sdk/chatbot-go/botuj"
	"github.com/chatbot-sdk/chatbot-go/chatbottest"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// line is one exported line, decoded.
type line struct {
	Conversation botuj.Conversation `json:"conversation"`
	Messages     []botuj.Message    `json:"messages"`
}

// readLines decodes every line of an export, failing the test on a line
// that is not one JSON object.
func readLines(t *testing.T, data []byte) []line {
	t.Helper()
	var out []line
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		var l line
		require.NoError(t, json.Unmarshal(sc.Bytes(), &l), "%s", sc.Text())
		out = append(out, l)
	}
	require.NoError(t, sc.Err())
	if len(data) > 0 {
		require.True(t, bytes.HasSuffix(data, []byte("\n")), "every line is complete")
	}
	return out
}

// useFake points the environment at fake.
func useFake(t *testing.T, fake *chatbottest.Botuj) {
	t.Setenv(botuj.EnvAPIKey, fake.APIKey)
	t.Setenv(botuj.EnvBaseURL, fake.URL)
}

// checkExport asserts that lines hold each of fake's conversations once,
// in order, with all their messages.
func checkExport(t *testing.T, fake *chatbottest.Botuj, lines []line) {
	t.Helper()
	convs := fake.Conversations()
	require.Len(t, lines, len(convs))
	for i, l := range lines {
		require.Equal(t, botuj.ID(convs[i].ID), l.Conversation.ID, "line %d", i)
		assert.Equal(t, convs[i].SessionID, l.Conversation.SessionID)
		assert.Equal(t, convs[i].FirstBotMessage, l.Conversation.FirstBotMessage)
		stored := fake.Messages(convs[i].ID)
		require.Len(t, l.Messages, len(stored), "conversation %d", convs[i].ID)
		for j, m := range l.Messages {
			assert.Equal(t, botuj.ID(stored[j].ID), m.ID)
			assert.Equal(t, stored[j].Message, m.Message)
			assert.Equal(t, stored[j].IsUser, m.IsUser)
		}
	}
}

// countMessages counts the messages of fake's conversations from..to-1.
func countMessages(fake *chatbottest.Botuj, from, to int) int {
	n := 0
	for _, c := range fake.Conversations()[from:to] {
		n += c.Count
	}
	return n
}

func TestRunWithNoAccountUsesTheFake(t *testing.T) {
	t.Setenv(botuj.EnvAPIKey, "")
	var stdout, stderr bytes.Buffer
	require.NoError(t, run(context.Background(), nil, console{stdout: &stdout, stderr: &stderr}))

	lines := readLines(t, stdout.Bytes())
	require.Len(t, lines, fakeConversations)
	assert.Equal(t, botuj.ID(7202), lines[0].Conversation.ID)
	assert.Equal(t, "Pytanie 1.1: czy możesz mi pomóc?", lines[0].Messages[0].Message)
	assert.Contains(t, stdout.String(), "oczywiście, chętnie pomogę", "text is written as it is, not escaped")
	assert.Equal(t, strings.Count(stdout.String(), "\n"), fakeConversations, "one line a conversation")

	assert.Equal(t, "BOTUJ_API_KEY is not set: exporting 12 made-up conversations from an in-process fake botuj.pl server (chatbottest)\n"+
		"done: exported 12 conversations, 60 messages\n", stderr.String())
}

func TestRunExportsEverythingToAFile(t *testing.T) {
	fake := chatbottest.StartBotuj(t)
	fake.Seed(253)
	long := make([]chatbottest.BotujMessage, 250)
	for i := range long {
		long[i] = chatbottest.BotujMessage{IsUser: i%2 == 0, Message: fmt.Sprintf("m%d <&>", i)}
	}
	fake.AddConversation(long...)
	useFake(t, fake)
	path := filepath.Join(t.TempDir(), "export.jsonl")
	require.NoError(t, os.WriteFile(path, []byte("old content\n"), 0o644))

	var stdout, stderr bytes.Buffer
	require.NoError(t, run(context.Background(), []string{"-o", path}, console{stdout: &stdout, stderr: &stderr}))
	assert.Empty(t, stdout.String())
	data, err := os.ReadFile(path)
	require.NoError(t, err)
	checkExport(t, fake, readLines(t, data))
	assert.Contains(t, string(data), `"message":"m1 <&>"`)

	// Plain progress lines: no terminal, no carriage return.
	plain := strings.Split(strings.TrimSuffix(stderr.String(), "\n"), "\n")
	require.Len(t, plain, 11)
	assert.Equal(t, fmt.Sprintf("exported 25 conversations, %d messages", countMessages(fake, 0, 25)), plain[0])
	assert.Equal(t, "done: exported 254 conversations, 1512 messages", plain[10], "2, 4, 6 or 8 each in turn, and 250")
	assert.NotContains(t, stderr.String(), "\r")

	// 3 pages of conversations, and one page of messages each but for the
	// long one's 3.
	assert.Equal(t, 3, fake.CountRequests(http.MethodGet, "/v1/api/conversations"))
	assert.Equal(t, 3+253+3, len(fake.Requests()))
}

func TestRunResumesWhereItStopped(t *testing.T) {
	fake := chatbottest.StartBotuj(t)
	ids := fake.Seed(60)
	useFake(t, fake)
	path := filepath.Join(t.TempDir(), "export.jsonl")

	// The first run fails in the middle of conversation 31: its messages
	// cannot be read.
	fake.Faults.FailNext(1, http.StatusInternalServerError, chatbottest.OnPath(fmt.Sprintf("/conversation-messages/%d", ids[30])))
	var stderr bytes.Buffer
	err := run(context.Background(), []string{"-o", path}, console{stdout: &bytes.Buffer{}, stderr: &stderr})
	require.Error(t, err)
	assert.Contains(t, err.Error(), fmt.Sprintf("conversation %d: botuj: Messages.ListAll: GET ", ids[30]))
	data, err := os.ReadFile(path)
	require.NoError(t, err)
	assert.Len(t, readLines(t, data), 30, "the unfinished line was taken back")
	assert.True(t, strings.HasSuffix(stderr.String(), fmt.Sprintf("\nexported 30 conversations, %d messages\n", countMessages(fake, 0, 30))), stderr.String())

	// More conversations arrive; the second run adds only what is missing.
	fake.Seed(5)
	stderr.Reset()
	require.NoError(t, run(context.Background(), []string{"-o", path, "-resume"}, console{stdout: &bytes.Buffer{}, stderr: &stderr}))
	data, err = os.ReadFile(path)
	require.NoError(t, err)
	checkExport(t, fake, readLines(t, data))
	assert.Contains(t, stderr.String(), fmt.Sprintf("done: exported 35 conversations, %d messages (30 were already in the file)", countMessages(fake, 30, 65)))
	for _, id := range ids[:30] {
		assert.Equal(t, 1, fake.CountRequests(http.MethodGet, fmt.Sprintf("/v1/api/conversation-messages/%d", id)), "conversation %d read once", id)
	}

	// A third run finds nothing new.
	require.NoError(t, run(context.Background(), []string{"-o", path, "-resume"}, console{stdout: &bytes.Buffer{}, stderr: &bytes.Buffer{}}))
	again, err := os.ReadFile(path)
	require.NoError(t, err)
	assert.Equal(t, data, again)
}

// TestRunResumeDropsACutLine resumes a file whose last line a killed run
// left unfinished.
func TestRunResumeDropsACutLine(t *testing.T) {
	fake := chatbottest.StartBotuj(t)
	fake.Seed(4)
	useFake(t, fake)
	path := filepath.Join(t.TempDir(), "export.jsonl")
	require.NoError(t, run(context.Background(), []string{"-o", path}, console{stdout: &bytes.Buffer{}, stderr: &bytes.Buffer{}}))
	whole, err := os.ReadFile(path)
	require.NoError(t, err)

	cut := whole[:len(whole)-40] // the middle of the last line
	require.NoError(t, os.WriteFile(path, cut, 0o644))
	require.NoError(t, run(context.Background(), []string{"-o", path, "-resume"}, console{stdout: &bytes.Buffer{}, stderr: &bytes.Buffer{}}))
	got, err := os.ReadFile(path)
	require.NoError(t, err)
	assert.Equal(t, string(whole), string(got))
}

func TestRunRefusesBadInput(t *testing.T) {
	t.Setenv(botuj.EnvAPIKey, "")
	dir := t.TempDir()
	foreign := filepath.Join(dir, "notes.txt")
	require.NoError(t, os.WriteFile(foreign, []byte("shopping list\nmilk\n"), 0o644))

	cases := []struct {
		args []string
		says string
	}{
		{[]string{"-resume"}, "-resume needs -o"},
		{[]string{"extra"}, `unexpected argument "extra"`},
		{[]string{"-x"}, "flag provided but not defined: -x"},
		{[]string{"-o", foreign, "-resume"}, "notes.txt:1 is not a line of a botuj-export export; not resuming into it"},
		{[]string{"-o", filepath.Join(dir, "missing", "x.jsonl")}, "no such file or directory"},
	}
	for _, tc := range cases {
		err := run(context.Background(), tc.args, console{stdout: &bytes.Buffer{}, stderr: &bytes.Buffer{}})
		require.Error(t, err, "%v", tc.args)
		assert.Contains(t, err.Error(), tc.says, "%v", tc.args)
	}
	data, err := os.ReadFile(foreign)
	require.NoError(t, err)
	assert.Equal(t, "shopping list\nmilk\n", string(data), "a file that is not an export is left alone")
}

// TestRunRedrawsProgressOnATerminal pretends standard error is a terminal.
func TestRunRedrawsProgressOnATerminal(t *testing.T) {
	fake := chatbottest.StartBotuj(t)
	fake.Seed(3)
	useFake(t, fake)

	var stderr bytes.Buffer
	require.NoError(t, run(context.Background(), nil, console{stdout: &bytes.Buffer{}, stderr: &stderr, stderrTTY: true}))
	assert.Equal(t, "\rexported 1 conversations, 2 messages\rexported 2 conversations, 6 messages\rexported 3 conversations, 12 messages"+
		"\rdone: exported 3 conversations, 12 messages\n", stderr.String())

	// When the JSON goes to the same terminal, redrawing would mix with it:
	// plain lines instead.
	stderr.Reset()
	require.NoError(t, run(context.Background(), nil, console{stdout: &bytes.Buffer{}, stderr: &stderr, stdoutTTY: true, stderrTTY: true}))
	assert.Equal(t, "done: exported 3 conversations, 12 messages\n", stderr.String())
}

func TestIsTerminal(t *testing.T) {
	f, err := os.CreateTemp(t.TempDir(), "x")
	require.NoError(t, err)
	defer f.Close()
	assert.False(t, isTerminal(f), "a regular file")
	if null, err := os.Open(os.DevNull); err == nil {
		defer null.Close()
		assert.True(t, isTerminal(null), "a character device")
	}
}

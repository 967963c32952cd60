package main

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	chatbot "github.com/chatbot-sdk/chatbot-go"
	"github.com/chatbot-sdk/chatbot-go/aimylogic"
	"github.com/chatbot-sdk/chatbot-go/botyard"
	"github.com/chatbot-sdk/chatbot-go/chatbottest"
	"github.com/chatbot-sdk/chatbot-go/cmd/chatbot/internal/demo"
)

// decodeJSONL decodes every line of out, strictly.
func decodeJSONL(t *testing.T, out string) []record {
	t.Helper()
	var recs []record
	for _, line := range strings.Split(strings.TrimSuffix(out, "\n"), "\n") {
		dec := json.NewDecoder(strings.NewReader(line))
		dec.DisallowUnknownFields()
		var r record
		require.NoError(t, dec.Decode(&r), line)
		recs = append(recs, r)
	}
	return recs
}

// storedMessages are the messages the embedded fake holds in a
// conversation, as "role: text" lines in order.
func storedMessages(f *demo.Fake, id string) []string {
	var out []string
	switch {
	case f.ChatThing != nil:
		for _, m := range f.ChatThing.Messages(id) {
			role := m.Role
			if role == "assistant" {
				role = "bot"
			}
			out = append(out, role+": "+m.Text)
		}
	case f.Botyard != nil:
		bots := map[string]bool{}
		for _, b := range f.Botyard.Bots() {
			bots[b.ID] = true
		}
		for _, m := range f.Botyard.Messages(id) {
			role := "user"
			if bots[m.SenderID] {
				role = "bot"
			}
			out = append(out, role+": "+m.Body)
		}
	case f.Aimylogic != nil:
		roles := map[string]string{"CLIENT": "user", "BOT": "bot"}
		for _, m := range f.Aimylogic.History(id) {
			out = append(out, roles[m.Author]+": "+m.Text)
		}
	case f.Botuj != nil:
		n, _ := strconv.ParseInt(id, 10, 64)
		for _, m := range f.Botuj.Messages(n) {
			role := "bot"
			if m.IsUser {
				role = "user"
			}
			out = append(out, role+": "+m.Message)
		}
	}
	return out
}

func TestExportWritesOneJSONLinePerMessage(t *testing.T) {
	for _, platform := range demo.Platforms() {
		t.Run(platform, func(t *testing.T) {
			h := newHarness(t, "")
			require.Equal(t, exitOK, h.run("export", "--platform", platform), h.stderr.String())
			recs := decodeJSONL(t, h.stdout.String())

			got := map[string][]string{}
			ids := map[string]bool{}
			for _, r := range recs {
				assert.Equal(t, platform, r.Platform)
				assert.NotEmpty(t, r.MessageID)
				assert.False(t, ids[r.MessageID], "message %s exported twice", r.MessageID)
				ids[r.MessageID] = true
				_, err := time.Parse(time.RFC3339Nano, r.Time)
				assert.NoError(t, err)
				got[r.ConversationID] = append(got[r.ConversationID], r.Role+": "+r.Text)
			}
			f := h.fake()
			assert.Len(t, got, len(f.ConversationIDs))
			for id, msgs := range got {
				assert.Equal(t, storedMessages(f, id), msgs, "every message, in order")
				assert.Regexp(t, `^user: `, msgs[len(msgs)-2])
				assert.Regexp(t, `^bot: `, msgs[len(msgs)-1], "each demo conversation ends with an answer")
			}

			stderr := h.stderr.lines()
			require.Len(t, stderr, 2)
			assert.Contains(t, stderr[0], "embedded fake")
			assert.Regexp(t, `^exported \d+ messages from 3 conversations; next time: --since \S+$`, stderr[1])
			assert.NotContains(t, h.stderr.String(), "\r", "no progress bar off a terminal")
		})
	}
}

func TestExportRetriesAnInjected503(t *testing.T) {
	// The end of the path of a history page on each platform.
	historyPath := map[string]string{
		"chatthing": "/messages",
		"botyard":   "/messages",
		"aimylogic": "/history",
		"botuj":     "/conversation-messages/7202", // the fake's first conversation
	}
	for _, platform := range demo.Platforms() {
		t.Run(platform, func(t *testing.T) {
			suffix := historyPath[platform]
			require.NotEmpty(t, suffix)
			h := newHarness(t, "")
			h.onFake = func(f *demo.Fake) {
				f.Faults.FailNext(1, http.StatusServiceUnavailable, chatbottest.OnPath(suffix), chatbottest.WithRetryAfter("0"))
			}
			require.Equal(t, exitOK, h.run("export", "-p", platform), h.stderr.String())

			f := h.fake()
			var statuses []int
			for _, r := range f.Server.Requests() {
				if strings.HasSuffix(r.Path, suffix) {
					statuses = append(statuses, r.Status)
				}
			}
			require.NotEmpty(t, statuses)
			assert.Equal(t, http.StatusServiceUnavailable, statuses[0], "the first history page was refused")
			assert.Equal(t, http.StatusOK, statuses[1], "and asked for again")

			got := map[string]int{}
			for _, r := range decodeJSONL(t, h.stdout.String()) {
				got[r.ConversationID]++
			}
			assert.Len(t, got, len(f.ConversationIDs), "nothing lost to the 503")
			for id, n := range got {
				assert.Len(t, storedMessages(f, id), n)
			}
		})
	}
}

func TestExportCtrlCStopsAfterTheConversationsWritten(t *testing.T) {
	h := newHarness(t, "")
	first := true
	h.stdout.onWrite = func([]byte) {
		if first {
			first = false
			h.interrupt() // Ctrl-C once the first conversation is out
		}
	}
	assert.Equal(t, exitError, h.run("export"))
	recs := decodeJSONL(t, h.stdout.String())
	require.NotEmpty(t, recs)
	for _, r := range recs {
		assert.Equal(t, recs[0].ConversationID, r.ConversationID, "only the first conversation")
	}
	assert.Regexp(t, `(?m)^chatbot export: chatthing: stopped after `+strconv.Itoa(len(recs))+` messages in 1 conversations: .*context canceled$`, h.stderr.String())
}

func TestExportFailureNamesThePlatformAndTheCall(t *testing.T) {
	h := newHarness(t, "")
	h.onFake = func(f *demo.Fake) { f.Faults.FailNext(1, http.StatusInternalServerError, chatbottest.OnPath("/chats")) }
	assert.Equal(t, exitError, h.run("export", "-p", "botyard"))
	assert.Regexp(t, `(?m)^chatbot export: botyard: Chats.List: GET \S+/chats\?bot_id=\S+: 500 Internal Server Error`, h.stderr.String())
	assert.Empty(t, h.stdout.String())
}

func TestExportCSVResumesWithSince(t *testing.T) {
	fake := chatbottest.StartBotyard(t, chatbottest.WithBotyardReplyDelay(0))
	ctx := context.Background()
	c, err := botyard.NewClient(fake.URL)
	require.NoError(t, err)
	defer c.Close()
	_, err = c.Users.Create(ctx, "tester")
	require.NoError(t, err)
	ch, err := c.Chats.Create(ctx, fake.Bots()[0].ID)
	require.NoError(t, err)
	_, err = c.Messages.Send(ctx, &botyard.SendParams{ChatID: ch.ID, Body: "first"})
	require.NoError(t, err)

	out := filepath.Join(t.TempDir(), "chats.csv")
	export := func(args ...string) string {
		h := newHarness(t, "")
		t.Setenv(botyard.EnvBaseURL, fake.URL)
		t.Setenv(botyard.EnvSession, c.Session())
		require.Equal(t, exitOK, h.run(append([]string{"export", "-p", "botyard", "--format", "csv", "-o", out}, args...)...), h.stderr.String())
		assert.Empty(t, h.stdout.String(), "the records went to the file")
		return h.stderr.String()
	}
	summary := export()
	m := regexp.MustCompile(`--since (\S+)\n$`).FindStringSubmatch(summary)
	require.NotNil(t, m, summary)

	_, err = c.Messages.Send(ctx, &botyard.SendParams{ChatID: ch.ID, Body: "second, with \"quotes\""})
	require.NoError(t, err)
	summary = export("--append", "--since", m[1])
	assert.Contains(t, summary, "exported 2 messages from 1 conversations (2 already in the file)",
		"the --since margin catches the first two again; --append skips them")

	f, err := os.Open(out)
	require.NoError(t, err)
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	require.NoError(t, err)
	var got []string
	for _, r := range rows {
		require.Len(t, r, len(csvHeader))
		got = append(got, r[3]+": "+r[5])
	}
	assert.Equal(t, []string{
		"role: text", // the header, once
		"user: first", "bot: Test bot got: first",
		`user: second, with "quotes"`, `bot: Test bot got: second, with "quotes"`,
	}, got)
}

func TestExportNamedConversationsOnly(t *testing.T) {
	h := newHarness(t, "")
	fake := useChatThing(t)
	fake.SeedConversation("not this one")
	id := fake.SeedConversation("this one")
	require.Equal(t, exitOK, h.run("export", "-c", id), h.stderr.String())
	recs := decodeJSONL(t, h.stdout.String())
	require.Len(t, recs, 3)
	for _, r := range recs {
		assert.Equal(t, id, r.ConversationID)
	}
	assert.Equal(t, 0, fake.CountRequests("POST", "/conversations"), "no listing")
}

func TestExportProgressBarOnlyOnATerminal(t *testing.T) {
	h := newHarness(t, "")
	h.terminal = true
	out := filepath.Join(t.TempDir(), "out.jsonl")
	require.Equal(t, exitOK, h.run("export", "-o", out))
	assert.Contains(t, h.stderr.String(), "exporting")
	assert.Contains(t, h.stderr.String(), "\r", "the bar redraws its line")

	// Records going to the terminal get no bar across them.
	h = newHarness(t, "")
	h.terminal = true
	require.Equal(t, exitOK, h.run("export"))
	assert.NotContains(t, h.stderr.String(), "exporting")
}

func TestExportAimylogicNeedsNamedConversationsOnARealAccount(t *testing.T) {
	fake := chatbottest.StartAimylogic(t)
	client, err := aimylogic.NewClient(fake.Token, chatbot.WithBaseURL(fake.URL))
	require.NoError(t, err)
	defer client.Close()
	for _, id := range []string{"ann", "ben"} {
		_, err := client.Messages.Send(context.Background(), &aimylogic.SendParams{ClientID: id, Query: "hello"})
		require.NoError(t, err)
	}

	h := newHarness(t, "")
	t.Setenv(aimylogic.EnvToken, fake.Token)
	t.Setenv(aimylogic.EnvBaseURL, fake.URL)
	assert.Equal(t, exitUsage, h.run("export", "-p", "aimylogic"))
	assert.Contains(t, h.stderr.String(), "chatbot export: aimylogic cannot list conversations: name them with --conversation")
	assert.Empty(t, h.stdout.String())
	assert.Len(t, fake.Requests(), 2, "the test's own sends, nothing more")

	h = newHarness(t, "")
	t.Setenv(aimylogic.EnvToken, fake.Token)
	t.Setenv(aimylogic.EnvBaseURL, fake.URL)
	require.Equal(t, exitOK, h.run("export", "-p", "aimylogic", "-c", "ben"), h.stderr.String())
	var got []string
	for _, r := range decodeJSONL(t, h.stdout.String()) {
		assert.Equal(t, "ben", r.ConversationID)
		got = append(got, r.Role+": "+r.Text)
	}
	assert.Equal(t, []string{"user: hello", "bot: Hello! What would you like to see?"}, got)
	assert.Regexp(t, `^exported 2 messages from 1 conversations; next time: --since \S+\n$`, h.stderr.String(), "no fake, one summary")
}

func TestExportBotujOnTheEmbeddedFake(t *testing.T) {
	h := newHarness(t, "")
	require.Equal(t, exitOK, h.run("export", "-p", "botuj", "--format", "csv"), h.stderr.String())
	rows, err := csv.NewReader(strings.NewReader(h.stdout.String())).ReadAll()
	require.NoError(t, err)
	require.Len(t, rows, 1+2+4+6, "the header, then three conversations of one, two and three exchanges")
	assert.Equal(t, []string{"botuj", "7202", "user", "Pytanie 1.1: czy możesz mi pomóc?"}, []string{rows[1][0], rows[1][1], rows[1][3], rows[1][5]})
	assert.Equal(t, []string{"bot", "Odpowiedź 1.1: oczywiście, chętnie pomogę."}, []string{rows[2][3], rows[2][5]})
	assert.Equal(t, "2024-06-23T11:34:36.397836Z", rows[1][4], "the fake's clock, in microseconds")
	assert.Contains(t, h.stderr.String(), "BOTUJ_API_KEY unset: using an embedded fake botuj.pl (3 demo conversations)")
}

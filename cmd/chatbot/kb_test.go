package main

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	chatbot "github.com/chatbot-sdk/chatbot-go"
	"github.com/chatbot-sdk/chatbot-go/chatbottest"
	"github.com/chatbot-sdk/chatbot-go/cmd/chatbot/internal/demo"
)

// writeFiles writes files (path: content) under dir, removing those whose
// content is "".
func writeFiles(t *testing.T, dir string, files map[string]string) {
	t.Helper()
	for name, content := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if content == "" {
			require.NoError(t, os.Remove(p))
			continue
		}
		require.NoError(t, os.MkdirAll(filepath.Dir(p), 0o755))
		require.NoError(t, os.WriteFile(p, []byte(content), 0o644))
	}
}

// rowsOf returns the only data source's rows as file name: content. A
// row's name is the file's followed by its content's fingerprint (as
// DataSources.Mirror names rows), which rowsOf checks and leaves out.
func rowsOf(t *testing.T, fake *chatbottest.ChatThing) map[string]string {
	t.Helper()
	ids := fake.DataSourceIDs()
	require.Len(t, ids, 1)
	out := map[string]string{}
	for _, r := range fake.Rows(ids[0]) {
		sum := sha256.Sum256([]byte(r.Content))
		name, ok := strings.CutSuffix(r.Name, " ["+hex.EncodeToString(sum[:8])+"]")
		require.True(t, ok, "%q has its content's fingerprint", r.Name)
		out[name] = r.Content
	}
	return out
}

func TestKbSyncMirrorsAFolder(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{
		"a.md": "# A\n", "sub/b.md": "# B\n", ".hidden.md": "no", ".git/c.md": "no", "notes.txt": "no",
	})
	fake := chatbottest.StartChatThing(t, chatbottest.WithChatThingSyncDuration(0))
	sync := func(want ...string) {
		t.Helper()
		h := newHarness(t, "")
		chatThingEnv(t, fake)
		require.Equal(t, exitOK, h.run("kb", "sync", "--poll", "5ms", dir), h.stderr.String())
		lines := h.stdout.lines()
		require.Len(t, lines, 2)
		assert.Equal(t, want[0], lines[0])
		assert.Regexp(t, want[1], lines[1])
	}

	sync("2 files: 2 created, 0 updated, 0 deleted, 0 unchanged", `^synced at \S+$`)
	assert.Equal(t, map[string]string{"a.md": "# A\n", "sub/b.md": "# B\n"}, rowsOf(t, fake))

	writeFiles(t, dir, map[string]string{"a.md": "# A, again\n", "sub/b.md": "", "c.md": "# C\n"})
	sync("2 files: 1 created, 1 updated, 1 deleted, 0 unchanged", `^synced at \S+$`)
	assert.Equal(t, map[string]string{"a.md": "# A, again\n", "c.md": "# C\n"}, rowsOf(t, fake))
	syncs := fake.CountRequests("POST", "/data-sources/"+fake.DataSourceIDs()[0]+"/sync")

	sync("2 files: 0 created, 0 updated, 0 deleted, 2 unchanged", `^already synced: nothing to do$`)
	assert.Equal(t, syncs, fake.CountRequests("POST", "/data-sources/"+fake.DataSourceIDs()[0]+"/sync"), "no new sync")
}

func TestKbSyncOnTheEmbeddedFake(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{"faq.md": "# FAQ\n"})
	h := newHarness(t, "")
	h.terminal = true
	require.Equal(t, exitOK, h.run("kb", "sync", "--poll", "5ms", dir), h.stderr.String())
	assert.Equal(t, "1 files: 1 created, 0 updated, 0 deleted, 0 unchanged", h.stdout.lines()[0])
	stderr := h.stderr.String()
	assert.Contains(t, stderr, "CHATTHING_CHANNEL_ID, CHATTHING_SECRET_KEY unset: using an embedded fake Chat Thing (3 demo conversations)")
	assert.Regexp(t, `data source \S+, new`, stderr)
	assert.Contains(t, stderr, "\r| sync: ", "progress on a terminal")
	assert.Equal(t, map[string]string{"faq.md": "# FAQ\n"}, rowsOf(t, h.fake().ChatThing))
}

func TestKbSyncReportsAFailedSync(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{"faq.md": "# FAQ\n"})
	h := newHarness(t, "")
	h.onFake = func(f *demo.Fake) { f.ChatThing.FailNextSync() }
	assert.Equal(t, exitError, h.run("kb", "sync", "--poll", "5ms", dir))
	assert.Contains(t, h.stderr.String(), "chatbot kb sync: chatthing: chatbot: data source sync failed")
	assert.Equal(t, []string{"1 files: 1 created, 0 updated, 0 deleted, 0 unchanged"}, h.stdout.lines(), "what was done before the sync failed")
}

func TestKbSyncRefusesBadInputBeforeSending(t *testing.T) {
	cases := map[string]struct {
		files map[string]string
		want  string
	}{
		"no markdown": {map[string]string{"a.txt": "x"}, "no .md files"},
		"not UTF-8":   {map[string]string{"a.md": "\xff\xfe"}, "a.md is not UTF-8"},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			dir := t.TempDir()
			writeFiles(t, dir, c.files)
			h := newHarness(t, "")
			assert.Equal(t, exitUsage, h.run("kb", "sync", dir))
			assert.Contains(t, h.stderr.String(), c.want)
			assert.NotContains(t, h.stderr.String(), "embedded fake", "nothing started")
		})
	}
}

func TestKbSyncNeedsASourceWhenThereAreSeveral(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{"a.md": "# A\n"})
	h := newHarness(t, "")
	fake := useChatThing(t)
	c, err := chatbot.NewClient(fake.ChannelID, fake.SecretKey, chatbot.WithBaseURL(fake.URL))
	require.NoError(t, err)
	defer c.Close()
	for range 2 {
		_, err := c.DataSources.Create(context.Background())
		require.NoError(t, err)
	}
	assert.Equal(t, exitUsage, h.run("kb", "sync", dir))
	assert.Contains(t, h.stderr.String(), "the channel has several data sources: choose one with --source or CHATTHING_DATA_SOURCE_ID")

	h = newHarness(t, "")
	chatThingEnv(t, fake)
	require.Equal(t, exitOK, h.run("kb", "sync", "--poll", "5ms", "--source", fake.DataSourceIDs()[1], dir), h.stderr.String())
	assert.Len(t, fake.Rows(fake.DataSourceIDs()[1]), 1)
	assert.Empty(t, fake.Rows(fake.DataSourceIDs()[0]))
}

func TestKbSyncRenamesRowsNamedByThePathAlone(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{"a.md": "# A\n", "b.md": "# B\n"})
	h := newHarness(t, "")
	fake := useChatThing(t)
	c, err := chatbot.NewClient(fake.ChannelID, fake.SecretKey, chatbot.WithBaseURL(fake.URL))
	require.NoError(t, err)
	defer c.Close()
	ctx := context.Background()
	ds, err := c.DataSources.Create(ctx)
	require.NoError(t, err)
	// As an earlier version of this command named them.
	require.NoError(t, c.DataSources.CreateRows(ctx, ds.ID, []chatbot.NewRow{{Name: "a.md", Content: "# A\n"}, {Name: "b.md", Content: "old"}}))

	require.Equal(t, exitOK, h.run("kb", "sync", "--poll", "5ms", dir), h.stderr.String())
	assert.Equal(t, "2 files: 0 created, 2 updated, 0 deleted, 0 unchanged", h.stdout.lines()[0])
	assert.Equal(t, map[string]string{"a.md": "# A\n", "b.md": "# B\n"}, rowsOf(t, fake))
}

func TestKbSyncTimesOut(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{"a.md": "# A\n"})
	fake := chatbottest.StartChatThing(t, chatbottest.WithChatThingSyncDuration(time.Hour))
	h := newHarness(t, "")
	chatThingEnv(t, fake)
	assert.Equal(t, exitError, h.run("kb", "sync", "--poll", "5ms", "--timeout", "100ms", dir))
	assert.Contains(t, h.stderr.String(), "chatbot kb sync: chatthing: not done within 100ms (--timeout): ")
	assert.Equal(t, []string{"1 files: 1 created, 0 updated, 0 deleted, 0 unchanged"}, h.stdout.lines())
}

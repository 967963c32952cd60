package main

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	chatbot "github.com/chatbot-sdk/chatbot-go"
	"github.com/chatbot-sdk/chatbot-go/chatbottest"
)

// knowledgeDir is the folder the README's command syncs.
const knowledgeDir = "../../testdata/knowledge"

// fakeEnv points run at fake.
func fakeEnv(fake *chatbottest.ChatThing) func(string) string {
	env := map[string]string{"CHATTHING_CHANNEL_ID": fake.ChannelID, "CHATTHING_SECRET_KEY": fake.SecretKey, "CHATTHING_BASE_URL": fake.URL}
	return func(k string) string { return env[k] }
}

func fakeClient(t *testing.T, fake *chatbottest.ChatThing) *chatbot.Client {
	client, err := chatbot.NewClient(fake.ChannelID, fake.SecretKey, chatbot.WithBaseURL(fake.URL))
	require.NoError(t, err)
	return client
}

// progress drops the redrawn progress line, whose timings vary.
var progress = regexp.MustCompile(`(\rsync: [a-z_]+ +\d+\.\ds)+\n`)

// rowsOf reads every row of the source: name -> content.
func rowsOf(t *testing.T, fake *chatbottest.ChatThing, dsID string) map[string]string {
	t.Helper()
	got := map[string]string{}
	for _, row := range fake.Rows(dsID) {
		require.NotContains(t, got, row.Name, "one row per name")
		got[row.Name] = row.Content
	}
	return got
}

func TestSyncIsIdempotent(t *testing.T) {
	fake := chatbottest.StartChatThing(t)
	client := fakeClient(t, fake)
	ctx := context.Background()

	var out bytes.Buffer
	require.NoError(t, run(ctx, []string{"-poll", "5ms", knowledgeDir}, nil, &out, fakeEnv(fake)))
	ds, err := client.DataSources.List(ctx, nil)
	require.NoError(t, err)
	require.Len(t, ds.DataSources, 1)
	id := ds.DataSources[0].ID
	assert.Equal(t, chatbot.StateSynced, ds.DataSources[0].State)
	assert.Regexp(t, `\rsync: synced +\d+\.\ds\n`, out.String(), "the progress line ends on the final state")
	assert.Equal(t, "data source "+id+" (new)\n"+
		"4 files: 4 created, 0 updated, 0 deleted, 0 unchanged\n"+
		"synced at "+ds.DataSources[0].LastSync.Raw+"\n", progress.ReplaceAllString(out.String(), ""))

	want := map[string]string{}
	for _, name := range []string{"faq.md", "getting-started.md", "pricing.md", "guides/backups.md"} {
		b, err := os.ReadFile(filepath.Join(knowledgeDir, filepath.FromSlash(name)))
		require.NoError(t, err)
		want[name] = string(b)
	}
	assert.Equal(t, want, rowsOf(t, fake, id))

	writes := func() int {
		return fake.CountRequests("POST", "/data-sources/row") + fake.CountRequests("PUT", "/data-sources/row") +
			fake.CountRequests("DELETE", "/data-sources/rows") + fake.CountRequests("POST", "/data-sources/sync") +
			fake.CountRequests("POST", "/data-sources")
	}
	before := writes()
	out.Reset()
	require.NoError(t, run(ctx, []string{knowledgeDir}, nil, &out, fakeEnv(fake)))
	assert.Equal(t, "data source "+id+" (synced), the channel's only one\n"+
		"4 files: 0 created, 0 updated, 0 deleted, 4 unchanged\n"+
		"already synced: nothing to do\n", out.String())
	assert.Equal(t, before, writes(), "the second run changes nothing")
}

func writeFiles(t *testing.T, dir string, files map[string]string) {
	for name, content := range files {
		path := filepath.Join(dir, filepath.FromSlash(name))
		require.NoError(t, os.MkdirAll(filepath.Dir(path), 0o755))
		require.NoError(t, os.WriteFile(path, []byte(content), 0o644))
	}
}

func TestSyncCreatesUpdatesAndDeletes(t *testing.T) {
	fake := chatbottest.StartChatThing(t)
	client := fakeClient(t, fake)
	ctx := context.Background()
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{"a.md": "# A", "b.md": "# B", "sub/c.md": "# C", "notes.txt": "not markdown", ".hidden/x.md": "hidden"})
	require.NoError(t, run(ctx, []string{"-poll", "5ms", dir}, nil, &bytes.Buffer{}, fakeEnv(fake)))
	page, err := client.DataSources.List(ctx, nil)
	require.NoError(t, err)
	id := page.DataSources[0].ID
	assert.Equal(t, map[string]string{"a.md": "# A", "b.md": "# B", "sub/c.md": "# C"}, rowsOf(t, fake, id))

	// Someone added a second "a.md" row and a row with no file.
	require.NoError(t, client.DataSources.CreateRows(ctx, id, []chatbot.NewRow{{Name: "a.md", Content: "dup"}, {Name: "zzz.md", Content: "stray"}}))
	require.NoError(t, os.Remove(filepath.Join(dir, "b.md")))
	writeFiles(t, dir, map[string]string{"a.md": "# A, edited", "d.md": "# D"})

	var out bytes.Buffer
	require.NoError(t, run(ctx, []string{"-source", id, "-poll", "5ms", dir}, nil, &out, fakeEnv(fake)))
	assert.Contains(t, out.String(), "data source "+id+" (synced)\n3 files: 1 created, 1 updated, 3 deleted, 1 unchanged\n")
	assert.Equal(t, map[string]string{"a.md": "# A, edited", "sub/c.md": "# C", "d.md": "# D"}, rowsOf(t, fake, id))
	ds, err := client.DataSources.Get(ctx, id)
	require.NoError(t, err)
	assert.Equal(t, chatbot.StateSynced, ds.State)
}

func TestSyncWaitsForARunningSync(t *testing.T) {
	fake := chatbottest.StartChatThing(t, chatbottest.WithChatThingSyncDuration(200*time.Millisecond))
	client := fakeClient(t, fake)
	ctx := context.Background()
	ds, err := client.DataSources.Create(ctx)
	require.NoError(t, err)
	require.NoError(t, client.DataSources.Sync(ctx, ds.ID))

	var out bytes.Buffer
	require.NoError(t, run(ctx, []string{"-poll", "5ms", knowledgeDir}, nil, &out, fakeEnv(fake)))
	assert.Contains(t, out.String(), "data source "+ds.ID+" (syncing), the channel's only one\na sync is already running; waiting for it first\n")
	assert.Equal(t, 2, fake.CountRequests("POST", "/data-sources/sync"), "no sync refused with 429")
	assert.Len(t, rowsOf(t, fake, ds.ID), 4)
}

func TestSyncWithNoAccount(t *testing.T) {
	var out bytes.Buffer
	require.NoError(t, run(context.Background(), []string{"-poll", "50ms", knowledgeDir}, nil, &out, func(string) string { return "" }))
	got := progress.ReplaceAllString(out.String(), "")
	assert.Regexp(t, `^CHATTHING_CHANNEL_ID and CHATTHING_SECRET_KEY are not set: using an in-process fake Chat Thing server \(chatbottest\) at \S+
data source \S+ \(new\)
4 files: 4 created, 0 updated, 0 deleted, 0 unchanged
synced at \d{4}-\d\d-\d\dT\S+Z
$`, got)
	assert.Regexp(t, `\rsync: syncing +\d+\.\ds`, out.String(), "the fake's sync takes long enough to show progress")
}

func TestSyncFailures(t *testing.T) {
	ctx := context.Background()
	fake := chatbottest.StartChatThing(t)
	env := fakeEnv(fake)

	err := run(ctx, nil, nil, &bytes.Buffer{}, env)
	assert.EqualError(t, err, "expected one folder of Markdown files")

	empty := t.TempDir()
	writeFiles(t, empty, map[string]string{"readme.txt": "x"})
	assert.ErrorContains(t, run(ctx, []string{empty}, nil, &bytes.Buffer{}, env), "no .md files in")

	latin1 := t.TempDir()
	writeFiles(t, latin1, map[string]string{"caf\u00e9.md": "caf\xe9"})
	assert.ErrorContains(t, run(ctx, []string{latin1}, nil, &bytes.Buffer{}, env), "is not UTF-8")
	assert.Empty(t, fake.Requests(), "a bad folder sends nothing")

	err = run(ctx, []string{"-source", "nope", knowledgeDir}, nil, &bytes.Buffer{}, env)
	assert.True(t, errors.Is(err, chatbot.ErrNotFound), "%v", err)

	fake.FailNextSync()
	err = run(ctx, []string{"-poll", "5ms", knowledgeDir}, nil, &bytes.Buffer{}, env)
	assert.True(t, errors.Is(err, chatbot.ErrSyncFailed), "%v", err)

	client := fakeClient(t, fake)
	_, err = client.DataSources.Create(ctx)
	require.NoError(t, err)
	err = run(ctx, []string{knowledgeDir}, nil, &bytes.Buffer{}, env)
	assert.EqualError(t, err, "the channel has several data sources: choose one with -source or CHATTHING_DATA_SOURCE_ID")
	assert.True(t, strings.HasPrefix(fake.Requests()[len(fake.Requests())-1].Path, "/data-sources/list"))
}

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

// useEnv sets the Chat Thing variables for the test ("" unsets one).
func useEnv(t *testing.T, channelID, secretKey, baseURL string) {
	t.Setenv(chatbot.EnvChannelID, channelID)
	t.Setenv(chatbot.EnvSecretKey, secretKey)
	t.Setenv(chatbot.EnvBaseURL, baseURL)
	t.Setenv(dataSourceVar, "")
}

// useFake points the environment at fake.
func useFake(t *testing.T, fake *chatbottest.ChatThing) {
	useEnv(t, fake.ChannelID, fake.SecretKey, fake.URL)
}

// progressLines matches the plain progress lines, whose timings vary.
var progressLines = regexp.MustCompile(`(?m)^sync: [a-z_]+ after \d+\.\ds\n`)

// documents reads every row of the source as document name -> content
// (the row names carry a fingerprint of the content after the name).
func documents(t *testing.T, fake *chatbottest.ChatThing, dsID string) map[string]string {
	t.Helper()
	got := map[string]string{}
	for _, row := range fake.Rows(dsID) {
		name, _, ok := strings.Cut(row.Name, " [")
		require.True(t, ok, "row %q has no fingerprint", row.Name)
		require.NotContains(t, got, name, "one row per file")
		got[name] = row.Content
	}
	return got
}

func TestSyncIsIdempotent(t *testing.T) {
	fake := chatbottest.StartChatThing(t)
	useFake(t, fake)
	client := fake.Client(t)
	ctx := context.Background()

	var out, errOut bytes.Buffer
	require.NoError(t, run(ctx, []string{"-poll", "5ms", knowledgeDir}, &out, &errOut))
	assert.Empty(t, errOut.String())
	ds, err := client.DataSources.List(ctx, nil)
	require.NoError(t, err)
	require.Len(t, ds.DataSources, 1)
	id := ds.DataSources[0].ID
	assert.Equal(t, chatbot.StateSynced, ds.DataSources[0].State)
	assert.NotContains(t, out.String(), "\r", "no redrawing outside a terminal")
	assert.Regexp(t, `(?m)^sync: synced after \d+\.\ds$`, out.String(), "the progress ends on the final state")
	assert.Equal(t, "data source "+id+" (new)\n"+
		"4 files: 4 created, 0 updated, 0 deleted, 0 unchanged\n"+
		"synced at "+ds.DataSources[0].LastSync.Raw+"\n", progressLines.ReplaceAllString(out.String(), ""))

	want := map[string]string{}
	for _, name := range []string{"faq.md", "getting-started.md", "pricing.md", "guides/backups.md"} {
		b, err := os.ReadFile(filepath.Join(knowledgeDir, filepath.FromSlash(name)))
		require.NoError(t, err)
		want[name] = string(b)
	}
	assert.Equal(t, want, documents(t, fake, id))

	writes := func() int {
		return fake.CountRequests("POST", "/data-sources/row") + fake.CountRequests("PUT", "/data-sources/row") +
			fake.CountRequests("DELETE", "/data-sources/rows") + fake.CountRequests("POST", "/data-sources/sync") +
			fake.CountRequests("POST", "/data-sources")
	}
	before := writes()
	out.Reset()
	require.NoError(t, run(ctx, []string{knowledgeDir}, &out, &errOut))
	assert.Equal(t, "data source "+id+" (synced), the channel's only one\n"+
		"4 files: 0 created, 0 updated, 0 deleted, 4 unchanged\n"+
		"already synced: nothing to do\n", out.String())
	assert.Equal(t, before, writes(), "the second run changes nothing")
	assert.Zero(t, fake.CountRequests("GET", "/data-sources/row"), "no row is read one by one")
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
	useFake(t, fake)
	client := fake.Client(t)
	ctx := context.Background()
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{"a.md": "# A", "b.md": "# B", "sub/c.md": "# C", "notes.txt": "not markdown", ".hidden/x.md": "hidden"})
	require.NoError(t, run(ctx, []string{"-poll", "5ms", dir}, &bytes.Buffer{}, &bytes.Buffer{}))
	page, err := client.DataSources.List(ctx, nil)
	require.NoError(t, err)
	id := page.DataSources[0].ID
	assert.Equal(t, map[string]string{"a.md": "# A", "b.md": "# B", "sub/c.md": "# C"}, documents(t, fake, id))

	// Someone added a second row for a.md and a row with no file.
	require.NoError(t, client.DataSources.CreateRows(ctx, id, []chatbot.NewRow{{Name: "a.md", Content: "dup"}, {Name: "zzz.md [0000000000000000]", Content: "stray"}}))
	require.NoError(t, os.Remove(filepath.Join(dir, "b.md")))
	writeFiles(t, dir, map[string]string{"a.md": "# A, edited", "d.md": "# D"})

	var out bytes.Buffer
	require.NoError(t, run(ctx, []string{"-source", id, "-poll", "5ms", dir}, &out, &bytes.Buffer{}))
	assert.Contains(t, out.String(), "data source "+id+" (synced)\n")
	assert.Contains(t, out.String(), "3 files: 1 created, 1 updated, 3 deleted, 1 unchanged\n")
	assert.Equal(t, map[string]string{"a.md": "# A, edited", "sub/c.md": "# C", "d.md": "# D"}, documents(t, fake, id))
	ds, err := client.DataSources.Get(ctx, id)
	require.NoError(t, err)
	assert.Equal(t, chatbot.StateSynced, ds.State)
}

func TestSyncWaitsForARunningSync(t *testing.T) {
	fake := chatbottest.StartChatThing(t, chatbottest.WithChatThingSyncDuration(200*time.Millisecond))
	useFake(t, fake)
	client := fake.Client(t)
	ctx := context.Background()
	ds, err := client.DataSources.Create(ctx)
	require.NoError(t, err)
	require.NoError(t, client.DataSources.Sync(ctx, ds.ID))

	var out bytes.Buffer
	require.NoError(t, run(ctx, []string{"-poll", "5ms", knowledgeDir}, &out, &bytes.Buffer{}))
	assert.Contains(t, out.String(), "data source "+ds.ID+" (syncing), the channel's only one\n")
	var statuses []int
	for _, r := range fake.Requests() {
		if r.Path == "/data-sources/sync" {
			statuses = append(statuses, r.Status)
		}
	}
	assert.Equal(t, []int{200, 429, 200}, statuses, "refused while the first sync ran, then synced after it")
	assert.Len(t, documents(t, fake, ds.ID), 4)
}

func TestSyncWithNoAccount(t *testing.T) {
	useEnv(t, "", "", "")
	var out, errOut bytes.Buffer
	require.NoError(t, run(context.Background(), []string{"-poll", "50ms", knowledgeDir}, &out, &errOut))
	assert.Equal(t, "chatbot: no credentials in the environment: set CHATTHING_CHANNEL_ID and CHATTHING_SECRET_KEY: "+
		"using an in-process fake Chat Thing server (chatbottest)\n", errOut.String())
	assert.Regexp(t, `^data source \S+ \(new\)
sync: syncing after \d+\.\ds
sync: synced after \d+\.\ds
4 files: 4 created, 0 updated, 0 deleted, 0 unchanged
synced at \d{4}-\d\d-\d\dT\S+Z
$`, out.String())
}

func TestSyncFailures(t *testing.T) {
	ctx := context.Background()
	fake := chatbottest.StartChatThing(t)
	useFake(t, fake)

	var usage bytes.Buffer
	err := run(ctx, nil, &bytes.Buffer{}, &usage)
	assert.EqualError(t, err, "expected one folder of Markdown files")
	assert.Contains(t, usage.String(), "usage: knowledge-sync")

	empty := t.TempDir()
	writeFiles(t, empty, map[string]string{"readme.txt": "x"})
	assert.ErrorContains(t, run(ctx, []string{empty}, &bytes.Buffer{}, &bytes.Buffer{}), "no .md files")

	latin1 := t.TempDir()
	writeFiles(t, latin1, map[string]string{"caf\u00e9.md": "caf\xe9"})
	assert.ErrorContains(t, run(ctx, []string{latin1}, &bytes.Buffer{}, &bytes.Buffer{}), "is not UTF-8")
	assert.Empty(t, fake.Requests(), "a bad folder sends nothing")

	err = run(ctx, []string{"-source", "nope", knowledgeDir}, &bytes.Buffer{}, &bytes.Buffer{})
	assert.True(t, errors.Is(err, chatbot.ErrNotFound), "%v", err)

	fake.FailNextSync()
	var out bytes.Buffer
	err = run(ctx, []string{"-poll", "5ms", knowledgeDir}, &out, &bytes.Buffer{})
	assert.True(t, errors.Is(err, chatbot.ErrSyncFailed), "%v", err)
	assert.Contains(t, out.String(), "4 files: 4 created, 0 updated, 0 deleted, 0 unchanged\n", "what was done is reported")

	_, err = fake.Client(t).DataSources.Create(ctx)
	require.NoError(t, err)
	err = run(ctx, []string{knowledgeDir}, &bytes.Buffer{}, &bytes.Buffer{})
	assert.EqualError(t, err, "the channel has several data sources: choose one with -source or CHATTHING_DATA_SOURCE_ID")
	assert.True(t, strings.HasPrefix(fake.Requests()[len(fake.Requests())-1].Path, "/data-sources/list"))
}

func TestProgressRedrawsOnlyOnATerminal(t *testing.T) {
	states := []chatbot.DataSourceState{chatbot.StateSyncing, chatbot.StateSyncing, chatbot.StateSyncing, chatbot.StateSynced}
	show := func(terminal bool) string {
		var out bytes.Buffer
		p := newProgress(&out, terminal)
		for _, s := range states {
			p.show(&chatbot.DataSource{State: s})
		}
		p.end()
		return out.String()
	}
	assert.Regexp(t, `^(\rsync: syncing +\d+\.\ds){3}\rsync: synced +\d+\.\ds\n$`, show(true))
	assert.Regexp(t, `^sync: syncing after \d+\.\ds\nsync: synced after \d+\.\ds\n$`, show(false), "one line per state")

	assert.False(t, isTerminal(&bytes.Buffer{}))
	f, err := os.Create(filepath.Join(t.TempDir(), "log"))
	require.NoError(t, err)
	defer f.Close()
	assert.False(t, isTerminal(f), "a file is not a terminal")
}

package chatbot_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	chatbot "github.com/chatbot-sdk/chatbot-go"
	"github.com/chatbot-sdk/chatbot-go/chatbottest"
)

// fingerprinted matches a row name Mirror wrote: the document's name and
// 16 hex digits.
var fingerprinted = regexp.MustCompile(`^(.+) \[[0-9a-f]{16}\]$`)

// documents reads a data source of the fake as document name -> content,
// failing on a row without a fingerprint or on two rows for one name.
func documents(t *testing.T, fake *chatbottest.ChatThing, dsID string) map[string]string {
	t.Helper()
	got := map[string]string{}
	for _, row := range fake.Rows(dsID) {
		m := fingerprinted.FindStringSubmatch(row.Name)
		require.NotNil(t, m, "row name %q has no fingerprint", row.Name)
		require.NotContains(t, got, m[1], "one row per document")
		got[m[1]] = row.Content
	}
	return got
}

// rowWrites counts the requests that change rows or start a sync.
func rowWrites(fake *chatbottest.ChatThing) int {
	return fake.CountRequests(http.MethodPost, "/data-sources/row") + fake.CountRequests(http.MethodPut, "/data-sources/row") +
		fake.CountRequests(http.MethodDelete, "/data-sources/rows") + fake.CountRequests(http.MethodPost, "/data-sources/sync")
}

func docsOf(m map[string]string) []chatbot.Document {
	var docs []chatbot.Document
	for name, content := range m {
		docs = append(docs, chatbot.Document{Name: name, Content: content})
	}
	return docs
}

func newDataSource(t *testing.T, client *chatbot.Client) string {
	t.Helper()
	ds, err := client.DataSources.Create(context.Background())
	require.NoError(t, err)
	return ds.ID
}

var fastPolls = &chatbot.MirrorParams{Interval: 5 * time.Millisecond}

func TestMirrorCreatesUpdatesDeletesThenChangesNothing(t *testing.T) {
	fake := chatbottest.StartChatThing(t)
	client := fakeClient(t, fake)
	ctx := context.Background()
	dsID := newDataSource(t, client)

	want := map[string]string{"a.md": "# A", "b.md": "# B", "sub/c.md": "# C"}
	var polled []chatbot.DataSourceState
	res, err := client.DataSources.Mirror(ctx, dsID, docsOf(want), &chatbot.MirrorParams{
		Interval: 5 * time.Millisecond,
		Progress: func(ds *chatbot.DataSource) { polled = append(polled, ds.State) },
	})
	require.NoError(t, err)
	assert.Equal(t, 3, res.Created)
	assert.Equal(t, 0, res.Updated+res.Deleted+res.Unchanged)
	assert.True(t, res.Synced)
	require.NotNil(t, res.DataSource)
	assert.Equal(t, chatbot.StateSynced, res.DataSource.State)
	require.NotEmpty(t, polled)
	assert.Equal(t, chatbot.StateSynced, polled[len(polled)-1], "Progress sees the last poll")
	assert.Equal(t, want, documents(t, fake, dsID))

	// The same documents again: nothing is written, nothing is read row
	// by row, and no sync is started.
	before := rowWrites(fake)
	res, err = client.DataSources.Mirror(ctx, dsID, docsOf(want), fastPolls)
	require.NoError(t, err)
	assert.Equal(t, chatbot.MirrorResult{Unchanged: 3, DataSource: res.DataSource}, *res)
	assert.Equal(t, chatbot.StateSynced, res.DataSource.State)
	assert.Equal(t, before, rowWrites(fake))
	assert.Zero(t, fake.CountRequests(http.MethodGet, "/data-sources/row"), "no GetRow")

	// Someone adds a second row for a.md and a row for no document; b.md
	// changes, sub/c.md goes, d.md comes.
	require.NoError(t, client.DataSources.CreateRows(ctx, dsID, []chatbot.NewRow{{Name: "a.md", Content: "dup"}, {Name: "stray.md", Content: "?"}}))
	want = map[string]string{"a.md": "# A", "b.md": "# B, edited", "d.md": "# D"}
	res, err = client.DataSources.Mirror(ctx, dsID, docsOf(want), fastPolls)
	require.NoError(t, err)
	assert.Equal(t, 1, res.Created)
	assert.Equal(t, 1, res.Updated)
	assert.Equal(t, 3, res.Deleted, "sub/c.md, the second a.md, stray.md")
	assert.Equal(t, 1, res.Unchanged)
	assert.Equal(t, 5, res.Changed())
	assert.True(t, res.Synced)
	assert.Equal(t, want, documents(t, fake, dsID))
}

func TestMirrorBatchesOver250Rows(t *testing.T) {
	fake := chatbottest.StartChatThing(t)
	client := fakeClient(t, fake)
	ctx := context.Background()
	dsID := newDataSource(t, client)

	want := map[string]string{}
	for i := range 260 {
		want[fmt.Sprintf("doc-%03d.md", i)] = fmt.Sprintf("# Document %d", i)
	}
	res, err := client.DataSources.Mirror(ctx, dsID, docsOf(want), &chatbot.MirrorParams{NoSync: true})
	require.NoError(t, err)
	assert.Equal(t, 260, res.Created)
	assert.False(t, res.Synced)
	assert.Nil(t, res.DataSource)
	assert.Equal(t, 6, fake.CountRequests(http.MethodPost, "/data-sources/row"), "260 rows in requests of at most 50")
	assert.Zero(t, fake.CountRequests(http.MethodPost, "/data-sources/sync"), "NoSync")
	assert.Equal(t, want, documents(t, fake, dsID))

	// 120 documents change and 130 go away.
	for i := range 260 {
		name := fmt.Sprintf("doc-%03d.md", i)
		switch {
		case i < 120:
			want[name] += ", edited"
		case i < 250:
			delete(want, name)
		}
	}
	lists := fake.CountRequests(http.MethodPost, "/data-sources/row/list")
	res, err = client.DataSources.Mirror(ctx, dsID, docsOf(want), fastPolls)
	require.NoError(t, err)
	assert.Equal(t, chatbot.MirrorResult{Updated: 120, Deleted: 130, Unchanged: 10, Synced: true, DataSource: res.DataSource}, *res)
	assert.Equal(t, 3, fake.CountRequests(http.MethodPost, "/data-sources/row/list")-lists, "260 rows listed in pages of 100")
	assert.Equal(t, 3, fake.CountRequests(http.MethodPut, "/data-sources/row"), "120 updates in requests of 50, 50, 20")
	assert.Equal(t, 3, fake.CountRequests(http.MethodDelete, "/data-sources/rows"), "130 deletions in requests of 50, 50, 30")
	assert.Equal(t, want, documents(t, fake, dsID))
}

func TestMirrorFailedSync(t *testing.T) {
	fake := chatbottest.StartChatThing(t)
	client := fakeClient(t, fake)
	ctx := context.Background()
	dsID := newDataSource(t, client)
	docs := []chatbot.Document{{Name: "faq.md", Content: "# FAQ"}}

	fake.FailNextSync()
	res, err := client.DataSources.Mirror(ctx, dsID, docs, fastPolls)
	require.ErrorIs(t, err, chatbot.ErrSyncFailed)
	assert.Equal(t, 1, res.Created, "the rows were written before the sync failed")
	assert.False(t, res.Synced)
	require.NotNil(t, res.DataSource)
	assert.Equal(t, chatbot.StateSyncError, res.DataSource.State)

	// Nothing to change, but the source is not synced: Mirror syncs again.
	res, err = client.DataSources.Mirror(ctx, dsID, docs, fastPolls)
	require.NoError(t, err)
	assert.Equal(t, 0, res.Changed())
	assert.True(t, res.Synced)
	assert.Equal(t, chatbot.StateSynced, res.DataSource.State)
	assert.Equal(t, 2, fake.CountRequests(http.MethodPost, "/data-sources/sync"))
}

func TestMirrorExactNames(t *testing.T) {
	fake := chatbottest.StartChatThing(t)
	client := fakeClient(t, fake)
	ctx := context.Background()
	dsID := newDataSource(t, client)
	exact := &chatbot.MirrorParams{ExactNames: true, NoSync: true}

	docs := []chatbot.Document{{Name: "a.md", Content: "# A"}, {Name: "b.md", Content: "# B"}}
	_, err := client.DataSources.Mirror(ctx, dsID, docs, exact)
	require.NoError(t, err)
	var names []string
	for _, r := range fake.Rows(dsID) {
		names = append(names, r.Name)
	}
	assert.Equal(t, []string{"a.md", "b.md"}, names)

	docs[1].Content = "# B, edited"
	res, err := client.DataSources.Mirror(ctx, dsID, docs, exact)
	require.NoError(t, err)
	assert.Equal(t, chatbot.MirrorResult{Updated: 1, Unchanged: 1}, *res)
	assert.Equal(t, 2, fake.CountRequests(http.MethodGet, "/data-sources/row"), "one GetRow per row to compare content")

	// Rows without fingerprints are renamed once by the default mode.
	res, err = client.DataSources.Mirror(ctx, dsID, docs, &chatbot.MirrorParams{NoSync: true})
	require.NoError(t, err)
	assert.Equal(t, chatbot.MirrorResult{Updated: 2}, *res)
	assert.Equal(t, map[string]string{"a.md": "# A", "b.md": "# B, edited"}, documents(t, fake, dsID))
}

func TestMirrorChecksTheDocumentsFirst(t *testing.T) {
	fake := chatbottest.StartChatThing(t)
	client := fakeClient(t, fake)
	ctx := context.Background()

	for name, c := range map[string]struct {
		docs  []chatbot.Document
		field string
	}{
		"none":      {nil, "docs"},
		"no name":   {[]chatbot.Document{{Name: "a.md"}, {Name: " "}}, "docs[1].Name"},
		"same name": {[]chatbot.Document{{Name: "a.md"}, {Name: "b.md"}, {Name: "a.md"}}, "docs[2].Name"},
	} {
		_, err := client.DataSources.Mirror(ctx, "ds-1", c.docs, nil)
		var verr *chatbot.ValidationError
		require.ErrorAs(t, err, &verr, name)
		assert.Equal(t, c.field, verr.Field, name)
	}
	_, err := client.DataSources.Mirror(ctx, "", []chatbot.Document{{Name: "a.md"}}, nil)
	var verr *chatbot.ValidationError
	require.ErrorAs(t, err, &verr)
	assert.Empty(t, fake.Requests())

	_, err = client.DataSources.Mirror(ctx, "no-such-source", []chatbot.Document{{Name: "a.md"}}, nil)
	assert.ErrorIs(t, err, chatbot.ErrNotFound)
}

// failNth answers the nth request matching method and path suffix with a
// 500 of its own, without sending it; every other request goes through.
type failNth struct {
	method, suffix string
	n              int

	mu   sync.Mutex
	seen int
}

func (f *failNth) RoundTrip(r *http.Request) (*http.Response, error) {
	if r.Method == f.method && strings.HasSuffix(r.URL.Path, f.suffix) {
		f.mu.Lock()
		f.seen++
		hit := f.seen == f.n
		f.mu.Unlock()
		if hit {
			if r.Body != nil {
				r.Body.Close()
			}
			return &http.Response{StatusCode: http.StatusInternalServerError, Header: http.Header{"Content-Type": {"application/json"}},
				Body: io.NopCloser(strings.NewReader(`{"success":false,"message":"boom"}`)), Request: r}, nil
		}
	}
	return http.DefaultTransport.RoundTrip(r)
}

func TestBulkRowCallFailingPartWay(t *testing.T) {
	fake := chatbottest.StartChatThing(t)
	ctx := context.Background()
	client, err := chatbot.NewClient(fake.ChannelID, fake.SecretKey, chatbot.WithBaseURL(fake.URL),
		chatbot.WithTransport(&failNth{method: http.MethodPost, suffix: "/data-sources/row", n: 2}))
	require.NoError(t, err)
	defer client.Close()
	dsID := newDataSource(t, client)

	rows := make([]chatbot.NewRow, 120)
	for i := range rows {
		rows[i] = chatbot.NewRow{Name: fmt.Sprintf("r%d", i), Content: "x"}
	}
	err = client.DataSources.CreateRows(ctx, dsID, rows)
	var batch *chatbot.RowBatchError
	require.ErrorAs(t, err, &batch)
	assert.Equal(t, chatbot.RowBatchError{Op: "DataSources.CreateRows", Done: 50, Total: 120, Err: batch.Err}, *batch)
	assert.ErrorIs(t, err, chatbot.ErrServer)
	assert.Contains(t, err.Error(), "(rows 51 to 100 of 120 failed; the 50 before them were done)")
	assert.Len(t, fake.Rows(dsID), 50)
	assert.Equal(t, 1, fake.CountRequests(http.MethodPost, "/data-sources/row"), "the third batch is not sent")

	// Mirror reports how far it got.
	docs := make([]chatbot.Document, 120)
	for i := range docs {
		docs[i] = chatbot.Document{Name: fmt.Sprintf("d%d", i), Content: "y"}
	}
	fresh := newDataSource(t, client)
	failing := &failNth{method: http.MethodPost, suffix: "/data-sources/row", n: 3}
	client2, err := chatbot.NewClient(fake.ChannelID, fake.SecretKey, chatbot.WithBaseURL(fake.URL), chatbot.WithTransport(failing))
	require.NoError(t, err)
	defer client2.Close()
	res, err := client2.DataSources.Mirror(ctx, fresh, docs, fastPolls)
	require.ErrorAs(t, err, &batch)
	assert.Equal(t, 100, res.Created)
	assert.False(t, res.Synced)
	assert.Len(t, fake.Rows(fresh), 100)
}

func TestBulkRowCallsValidateEveryRowFirst(t *testing.T) {
	fake := chatbottest.StartChatThing(t)
	client := fakeClient(t, fake)
	rows := make([]chatbot.NewRow, 80)
	for i := range rows {
		rows[i] = chatbot.NewRow{Name: "ok", Content: "x"}
	}
	rows[70].Name = ""
	err := client.DataSources.CreateRows(context.Background(), "ds-1", rows)
	var verr *chatbot.ValidationError
	require.ErrorAs(t, err, &verr)
	assert.Equal(t, "rows[70].Name", verr.Field)
	assert.Empty(t, fake.Requests(), "not even the first batch")
}

// The fallback path found by the first batch of a DeleteRows serves the
// batches after it.
func TestDeleteRowsFallbackCarriesOverBatches(t *testing.T) {
	var mu sync.Mutex
	var got []string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var body struct {
			Rows []json.RawMessage `json:"dataSourceRows"`
		}
		_ = json.NewDecoder(r.Body).Decode(&body)
		mu.Lock()
		got = append(got, fmt.Sprintf("%s %d", r.URL.Path[strings.LastIndex(r.URL.Path, "/"):], len(body.Rows)))
		mu.Unlock()
		if strings.HasSuffix(r.URL.Path, "/rows") {
			http.NotFound(w, r) // a router's miss, not the API's JSON
			return
		}
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(`{"success":true}`))
	}))
	defer srv.Close()
	client, err := chatbot.NewClient("chan", "key", chatbot.WithBaseURL(srv.URL))
	require.NoError(t, err)
	defer client.Close()

	ids := make([]string, 60)
	for i := range ids {
		ids[i] = fmt.Sprintf("row-%d", i)
	}
	require.NoError(t, client.DataSources.DeleteRows(context.Background(), "ds-1", ids))
	assert.Equal(t, []string{"/rows 50", "/row 50", "/row 10"}, got)
}

func TestSyncAndWaitWaitsForARunningSyncThenSyncs(t *testing.T) {
	fake := chatbottest.StartChatThing(t, chatbottest.WithChatThingSyncDuration(100*time.Millisecond))
	client := fakeClient(t, fake)
	ctx := context.Background()
	dsID := newDataSource(t, client)
	require.NoError(t, client.DataSources.Sync(ctx, dsID))

	var states []chatbot.DataSourceState
	ds, err := client.DataSources.SyncAndWait(ctx, dsID, &chatbot.WaitForSyncParams{
		Interval: 5 * time.Millisecond,
		Progress: func(ds *chatbot.DataSource) { states = append(states, ds.State) },
	})
	require.NoError(t, err)
	assert.Equal(t, chatbot.StateSynced, ds.State)
	var statuses []int
	for _, r := range fake.Requests() {
		if r.Method == http.MethodPost && r.Path == "/data-sources/sync" {
			statuses = append(statuses, r.Status)
		}
	}
	assert.Equal(t, []int{200, 429, 200}, statuses, "refused while the first ran, then its own")
	assert.Equal(t, chatbot.StateSyncing, states[0])
	assert.Equal(t, chatbot.StateSynced, states[len(states)-1])
}

func TestSyncAndWaitOutOfStorageTokens(t *testing.T) {
	fake := chatbottest.StartChatThing(t)
	client := fakeClient(t, fake)
	ctx := context.Background()
	dsID := newDataSource(t, client)

	fake.Faults.FailNext(1, http.StatusTooManyRequests, chatbottest.OnPath("/data-sources/sync"))
	_, err := client.DataSources.SyncAndWait(ctx, dsID, nil)
	require.ErrorIs(t, err, chatbot.ErrRateLimited)
	assert.Equal(t, 1, fake.CountRequests(http.MethodPost, "/data-sources/sync"), "a 429 with no sync running is returned")
}

func TestSyncAndWaitFailedSync(t *testing.T) {
	fake := chatbottest.StartChatThing(t)
	client := fakeClient(t, fake)
	dsID := newDataSource(t, client)
	fake.FailNextSync()
	ds, err := client.DataSources.SyncAndWait(context.Background(), dsID, &chatbot.WaitForSyncParams{Interval: 5 * time.Millisecond})
	require.ErrorIs(t, err, chatbot.ErrSyncFailed)
	assert.Equal(t, chatbot.StateSyncError, ds.State)
}

package chatbottest_test

import (
	"fmt"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/chatbot-sdk/chatbot-go/chatbottest"
)

// createSource creates a data source and returns its ID.
func (c *ctRaw) createSource() string {
	c.t.Helper()
	return c.ok("POST", "/data-sources", nil)["dataSource"].(map[string]any)["id"].(string)
}

// source gets a data source.
func (c *ctRaw) source(id string) map[string]any {
	c.t.Helper()
	return c.ok("GET", "/data-sources?dataSourceId="+id, nil)["dataSource"].(map[string]any)
}

func TestChatThingCreateAndGetDataSource(t *testing.T) {
	c := newCTRaw(t)
	ds := c.ok("POST", "/data-sources", nil)["dataSource"].(map[string]any)
	created := ds["createdAt"].(string)
	assert.Equal(t, map[string]any{
		"id": "c4a77e1c-0000-4000-8000-000000000001", "type": "MANUAL", "state": "not_synced",
		"lastSync": nil, "syncInterval": nil, "createdAt": created,
	}, ds)
	ts, err := time.Parse(time.RFC3339Nano, created)
	require.NoError(t, err)
	assert.WithinDuration(t, time.Now(), ts, time.Minute)
	assert.Equal(t, ds, c.source(ds["id"].(string)))

	assert.Equal(t, `"dataSourceId" is required`, c.fails(http.StatusBadRequest, "GET", "/data-sources", nil)["message"])
	assert.Equal(t, "data source not found", c.fails(http.StatusNotFound, "GET", "/data-sources?dataSourceId=nope", nil)["message"])
}

func TestChatThingListDataSources(t *testing.T) {
	c := newCTRaw(t)
	var ids []string
	for range 12 {
		ids = append(ids, c.createSource())
	}
	out := c.ok("POST", "/data-sources/list", nil)
	require.Len(t, out["dataSources"], 10)
	assert.Equal(t, map[string]any{"total": float64(12), "last": ids[9]}, out["pagination"])
	out = c.ok("POST", "/data-sources/list", map[string]any{"cursor": ids[9]})
	require.Len(t, out["dataSources"], 2)
	assert.Equal(t, ids[10], out["dataSources"].([]any)[0].(map[string]any)["id"])
	c.fails(http.StatusBadRequest, "POST", "/data-sources/list", map[string]any{"limit": 0})

	// A cursor outlives its item.
	c.ok("DELETE", "/data-sources", map[string]any{"dataSourceId": ids[9]})
	out = c.ok("POST", "/data-sources/list", map[string]any{"cursor": ids[9]})
	assert.Equal(t, map[string]any{"total": float64(11), "last": ids[11]}, out["pagination"])
}

func TestChatThingUpdateSyncInterval(t *testing.T) {
	c := newCTRaw(t)
	id := c.createSource()
	for _, v := range []string{"day", "week", "month"} {
		ds := c.ok("PUT", "/data-sources", map[string]any{"dataSourceId": id, "syncInterval": v})["dataSource"].(map[string]any)
		assert.Equal(t, v, ds["syncInterval"])
		assert.Equal(t, v, c.source(id)["syncInterval"])
	}
	ds := c.ok("PUT", "/data-sources", map[string]any{"dataSourceId": id, "syncInterval": nil})["dataSource"].(map[string]any)
	assert.Nil(t, ds["syncInterval"])

	c.ok("PUT", "/data-sources", map[string]any{"dataSourceId": id, "syncInterval": "week"})
	ds = c.ok("PUT", "/data-sources", map[string]any{"dataSourceId": id})["dataSource"].(map[string]any)
	assert.Nil(t, ds["syncInterval"], "left out means the documented default, null")

	for _, bad := range []any{"hour", 7, "Day", ""} {
		c.fails(http.StatusBadRequest, "PUT", "/data-sources", map[string]any{"dataSourceId": id, "syncInterval": bad})
	}
	c.fails(http.StatusBadRequest, "PUT", "/data-sources", map[string]any{"syncInterval": "day"})
	c.fails(http.StatusNotFound, "PUT", "/data-sources", map[string]any{"dataSourceId": "nope", "syncInterval": "day"})
	assert.Nil(t, c.source(id)["syncInterval"], "a rejected update changes nothing")
}

func TestChatThingDeleteDataSource(t *testing.T) {
	c := newCTRaw(t)
	id := c.createSource()
	keep := c.createSource()
	assert.Equal(t, map[string]any{"success": true}, c.ok("DELETE", "/data-sources", map[string]any{"dataSourceId": id}))
	c.fails(http.StatusNotFound, "GET", "/data-sources?dataSourceId="+id, nil)
	c.fails(http.StatusNotFound, "DELETE", "/data-sources", map[string]any{"dataSourceId": id})
	c.fails(http.StatusBadRequest, "DELETE", "/data-sources", nil)
	out := c.ok("POST", "/data-sources/list", nil)
	require.Len(t, out["dataSources"], 1)
	assert.Equal(t, keep, out["dataSources"].([]any)[0].(map[string]any)["id"])
}

func TestChatThingSyncLifeCycle(t *testing.T) {
	c := newCTRaw(t, chatbottest.WithChatThingSyncDuration(150*time.Millisecond))
	id := c.createSource()
	c.ok("POST", "/data-sources/row", map[string]any{"dataSourceId": id, "dataSourceRows": []any{map[string]any{"name": "a.md", "content": "# A"}}})
	rowID := c.rowIDs(id)[0]
	assert.Equal(t, "not_synced", c.row(id, rowID)["state"])

	start := time.Now()
	assert.Equal(t, map[string]any{"success": true}, c.ok("POST", "/data-sources/sync", map[string]any{"dataSourceId": id}))
	ds := c.source(id)
	assert.Equal(t, "syncing", ds["state"])
	assert.Nil(t, ds["lastSync"])
	assert.Equal(t, "syncing", c.row(id, rowID)["state"])
	out := c.fails(http.StatusTooManyRequests, "POST", "/data-sources/sync", map[string]any{"dataSourceId": id})
	assert.Equal(t, "a sync is already running for this data source", out["message"])

	require.Eventually(t, func() bool { return c.source(id)["state"] == "synced" }, 5*time.Second, 10*time.Millisecond)
	assert.GreaterOrEqual(t, time.Since(start), 150*time.Millisecond)
	ds = c.source(id)
	lastSync, err := time.Parse(time.RFC3339Nano, ds["lastSync"].(string))
	require.NoError(t, err)
	assert.WithinDuration(t, start.Add(150*time.Millisecond), lastSync, time.Second)
	row := c.row(id, rowID)
	assert.Equal(t, "synced", row["state"])
	assert.Equal(t, ds["lastSync"], row["lastSync"])

	// A changed row needs a new sync; the source keeps its state.
	c.ok("PUT", "/data-sources/row", map[string]any{"dataSourceId": id, "dataSourceRows": []any{map[string]any{"id": rowID, "content": "# A2"}}})
	assert.Equal(t, "not_synced", c.row(id, rowID)["state"])
	assert.Equal(t, "synced", c.source(id)["state"])

	c.fails(http.StatusNotFound, "POST", "/data-sources/sync", map[string]any{"dataSourceId": "nope"})
	c.fails(http.StatusBadRequest, "POST", "/data-sources/sync", map[string]any{})
}

func TestChatThingInstantAndFailedSyncs(t *testing.T) {
	c := newCTRaw(t, chatbottest.WithChatThingSyncDuration(0))
	id := c.createSource()
	c.ok("POST", "/data-sources/sync", map[string]any{"dataSourceId": id})
	assert.Equal(t, "synced", c.source(id)["state"], "a zero duration finishes at once")

	c.ok("POST", "/data-sources/row", map[string]any{"dataSourceId": id, "dataSourceRows": []any{map[string]any{"name": "a.md", "content": "# A"}}})
	rowID := c.rowIDs(id)[0]
	c.ct.FailNextSync()
	c.ok("POST", "/data-sources/sync", map[string]any{"dataSourceId": id})
	ds := c.source(id)
	assert.Equal(t, "sync_error", ds["state"])
	assert.NotNil(t, ds["lastSync"], "the last successful sync is kept")
	row := c.row(id, rowID)
	assert.Equal(t, "not_synced", row["state"], "a failed sync leaves its rows to the next one")
	assert.Nil(t, row["lastSync"])

	c.ok("POST", "/data-sources/sync", map[string]any{"dataSourceId": id})
	assert.Equal(t, "synced", c.source(id)["state"], "one failure only")
	assert.Equal(t, []chatbottest.ChatThingRow{{ID: rowID, Name: "a.md", Content: "# A", State: "synced"}}, c.ct.Rows(id))
}

func TestChatThingDataSourcesNeedTheirFields(t *testing.T) {
	c := newCTRaw(t)
	for _, rt := range []struct{ method, path string }{
		{"DELETE", "/data-sources"}, {"POST", "/data-sources/sync"}, {"PUT", "/data-sources"},
		{"POST", "/data-sources/row"}, {"POST", "/data-sources/row/list"}, {"PUT", "/data-sources/row"}, {"DELETE", "/data-sources/rows"},
	} {
		out := c.fails(http.StatusBadRequest, rt.method, rt.path, map[string]any{})
		assert.Equal(t, `"dataSourceId" is required`, out["message"], fmt.Sprint(rt))
	}
}

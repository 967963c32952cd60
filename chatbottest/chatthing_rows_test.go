package chatbottest_test

import (
	"fmt"
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/chatbot-sdk/chatbot-go/chatbottest"
)

// rowIDs lists every row of a data source through the paged list call.
func (c *ctRaw) rowIDs(dsID string) []string {
	c.t.Helper()
	var ids []string
	cursor := ""
	for {
		out := c.ok("POST", "/data-sources/row/list", map[string]any{"dataSourceId": dsID, "limit": 100, "cursor": cursor})
		rows := out["dataSourceRows"].([]any)
		for _, r := range rows {
			ids = append(ids, r.(map[string]any)["id"].(string))
		}
		if len(rows) == 0 {
			return ids
		}
		cursor = out["pagination"].(map[string]any)["last"].(string)
	}
}

// row gets one row's detail.
func (c *ctRaw) row(dsID, rowID string) map[string]any {
	c.t.Helper()
	return c.ok("GET", "/data-sources/row?dataSourceId="+dsID+"&dataSourceRowId="+rowID, nil)["dataSourceRow"].(map[string]any)
}

func rows(r ...map[string]any) map[string]any {
	list := make([]any, len(r))
	for i, v := range r {
		list[i] = v
	}
	return map[string]any{"dataSourceRows": list}
}

func withSource(id string, body map[string]any) map[string]any {
	body["dataSourceId"] = id
	return body
}

func TestChatThingCreateListAndGetRows(t *testing.T) {
	c := newCTRaw(t)
	id := c.createSource()
	out := c.ok("POST", "/data-sources/row", withSource(id, rows(
		map[string]any{"name": "one.md", "content": "# Testing 1.1\n## Blah"},
		map[string]any{"name": "two.md", "content": ""},
	)))
	assert.Equal(t, map[string]any{"success": true}, out, "the documented answer has no IDs")

	list := c.ok("POST", "/data-sources/row/list", map[string]any{"dataSourceId": id})
	items := list["dataSourceRows"].([]any)
	require.Len(t, items, 2)
	one := items[0].(map[string]any)
	assert.Equal(t, []string{"id", "name"}, keys(one))
	assert.Equal(t, "one.md", one["name"])
	assert.Equal(t, "two.md", items[1].(map[string]any)["name"])
	assert.Equal(t, map[string]any{"total": float64(2), "last": items[1].(map[string]any)["id"]}, list["pagination"])

	detail := c.row(id, one["id"].(string))
	assert.Equal(t, map[string]any{
		"id": one["id"], "type": "MANUAL", "state": "not_synced", "lastSync": nil,
		"createdAt": detail["createdAt"], "content": "# Testing 1.1\n## Blah",
	}, detail, "the documented detail has no name")

	c.fails(http.StatusBadRequest, "GET", "/data-sources/row?dataSourceId="+id, nil)
	c.fails(http.StatusNotFound, "GET", "/data-sources/row?dataSourceId="+id+"&dataSourceRowId=nope", nil)
	c.fails(http.StatusNotFound, "GET", "/data-sources/row?dataSourceId=nope&dataSourceRowId="+one["id"].(string), nil)
	// A row ID under another data source is not found.
	other := c.createSource()
	c.fails(http.StatusNotFound, "GET", "/data-sources/row?dataSourceId="+other+"&dataSourceRowId="+one["id"].(string), nil)
}

func keys(m map[string]any) []string {
	var k []string
	for key := range m {
		k = append(k, key)
	}
	if len(k) == 2 && k[0] > k[1] {
		k[0], k[1] = k[1], k[0]
	}
	return k
}

func TestChatThingCreateRowsValidation(t *testing.T) {
	c := newCTRaw(t)
	id := c.createSource()
	c.fails(http.StatusBadRequest, "POST", "/data-sources/row", withSource(id, map[string]any{}))
	c.fails(http.StatusBadRequest, "POST", "/data-sources/row", withSource(id, rows()))
	out := c.fails(http.StatusBadRequest, "POST", "/data-sources/row", withSource(id, rows(
		map[string]any{"name": "ok.md", "content": "x"},
		map[string]any{"content": "no name"},
	)))
	assert.Equal(t, `dataSourceRows[1]: "name" and "content" are required`, out["message"])
	c.fails(http.StatusBadRequest, "POST", "/data-sources/row", withSource(id, rows(map[string]any{"name": "no-content.md"})))
	c.fails(http.StatusNotFound, "POST", "/data-sources/row", withSource("nope", rows(map[string]any{"name": "a", "content": "b"})))
	assert.Empty(t, c.rowIDs(id), "a rejected bulk call creates nothing")
}

func TestChatThingRowsPaginate(t *testing.T) {
	c := newCTRaw(t)
	id := c.createSource()
	batch := make([]map[string]any, 150)
	for i := range batch {
		batch[i] = map[string]any{"name": fmt.Sprintf("%03d.md", i), "content": "x"}
	}
	c.ok("POST", "/data-sources/row", withSource(id, rows(batch...)))
	ids := c.rowIDs(id)
	require.Len(t, ids, 150)
	out := c.ok("POST", "/data-sources/row/list", map[string]any{"dataSourceId": id, "limit": 100, "cursor": ids[99]})
	assert.Len(t, out["dataSourceRows"], 50)
	assert.Equal(t, "100.md", out["dataSourceRows"].([]any)[0].(map[string]any)["name"])
	c.fails(http.StatusBadRequest, "POST", "/data-sources/row/list", map[string]any{"dataSourceId": id, "limit": 101})
	c.fails(http.StatusBadRequest, "POST", "/data-sources/row/list", map[string]any{"dataSourceId": id, "cursor": "nope"})
}

func TestChatThingUpdateRows(t *testing.T) {
	c := newCTRaw(t)
	id := c.createSource()
	c.ok("POST", "/data-sources/row", withSource(id, rows(
		map[string]any{"name": "a.md", "content": "A"},
		map[string]any{"name": "b.md", "content": "B"},
	)))
	ids := c.rowIDs(id)
	c.ok("PUT", "/data-sources/row", withSource(id, rows(
		map[string]any{"id": ids[0], "name": "a2.md", "content": "A2"},
		map[string]any{"id": ids[1], "content": "B2"},
	)))
	assert.Equal(t, "A2", c.row(id, ids[0])["content"])
	assert.Equal(t, "B2", c.row(id, ids[1])["content"])
	assert.Equal(t, []chatbottest.ChatThingRow{
		{ID: ids[0], Name: "a2.md", Content: "A2", State: "not_synced"},
		{ID: ids[1], Name: "b.md", Content: "B2", State: "not_synced"},
	}, c.ct.Rows(id))
	assert.Equal(t, []string{id}, c.ct.DataSourceIDs())
	assert.Nil(t, c.ct.Rows("nope"))
	list := c.ok("POST", "/data-sources/row/list", map[string]any{"dataSourceId": id})["dataSourceRows"].([]any)
	assert.Equal(t, "a2.md", list[0].(map[string]any)["name"])
	assert.Equal(t, "b.md", list[1].(map[string]any)["name"], "a name left out is kept")

	// All or nothing: one unknown row rejects the whole call.
	out := c.fails(http.StatusNotFound, "PUT", "/data-sources/row", withSource(id, rows(
		map[string]any{"id": ids[0], "content": "A3"},
		map[string]any{"id": "nope", "content": "?"},
	)))
	assert.Equal(t, "dataSourceRows[1]: row nope not found", out["message"])
	assert.Equal(t, "A2", c.row(id, ids[0])["content"])
	c.fails(http.StatusBadRequest, "PUT", "/data-sources/row", withSource(id, rows(map[string]any{"content": "no id"})))
	c.fails(http.StatusBadRequest, "PUT", "/data-sources/row", withSource(id, rows()))
}

func TestChatThingDeleteRows(t *testing.T) {
	c := newCTRaw(t)
	id := c.createSource()
	c.ok("POST", "/data-sources/row", withSource(id, rows(
		map[string]any{"name": "a.md", "content": "A"},
		map[string]any{"name": "b.md", "content": "B"},
		map[string]any{"name": "c.md", "content": "C"},
	)))
	ids := c.rowIDs(id)
	out := c.ok("DELETE", "/data-sources/rows", withSource(id, rows(map[string]any{"id": ids[0]}, map[string]any{"id": ids[2]})))
	assert.Equal(t, map[string]any{"success": true}, out)
	assert.Equal(t, []string{ids[1]}, c.rowIDs(id))

	c.fails(http.StatusNotFound, "DELETE", "/data-sources/rows", withSource(id, rows(map[string]any{"id": ids[0]})))
	c.fails(http.StatusNotFound, "DELETE", "/data-sources/rows", withSource(id, rows(map[string]any{"id": ids[1]}, map[string]any{"id": ids[2]})))
	assert.Equal(t, []string{ids[1]}, c.rowIDs(id), "nothing deleted when one row is missing")
	c.fails(http.StatusBadRequest, "DELETE", "/data-sources/rows", withSource(id, rows(map[string]any{})))

	// Deleting the source takes its rows with it.
	c.ok("DELETE", "/data-sources", map[string]any{"dataSourceId": id})
	c.fails(http.StatusNotFound, "POST", "/data-sources/row/list", map[string]any{"dataSourceId": id})
}

package chatbot_test

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	chatbot "github.com/chatbot-sdk/chatbot-go"
	"github.com/chatbot-sdk/chatbot-go/internal/testkit"
)

func day(y int, m time.Month, d, hh, mm, ss, ms int) time.Time {
	return time.Date(y, m, d, hh, mm, ss, ms*int(time.Millisecond), time.UTC)
}

func TestChatsStart(t *testing.T) {
	rec := serveChatThing(t, testkit.Exchange{Method: http.MethodPost, Path: prefix + "/conversation", Reply: recorded("start_conversation.json")})
	r, err := rec.client(t).Chats.Start(context.Background())
	require.NoError(t, err)
	assert.Equal(t, &chatbot.Reply{ConversationID: "7bb301ad-e691-4341-8afb-b4407c4ffdf2", Response: "Hello, how can I help you?"}, r)
}

func TestMessagesSendOneOff(t *testing.T) {
	rec := serveChatThing(t, testkit.Exchange{Method: http.MethodPost, Path: prefix + "/message", JSON: `{"message":"How far is the moon?"}`, Reply: recorded("send_oneoff.json")})
	r, err := rec.client(t).Messages.Send(context.Background(), &chatbot.SendParams{Message: "How far is the moon?"})
	require.NoError(t, err)
	assert.Equal(t, "ea74ba3d-6645-4a88-92d1-7f78b1f83688", r.ConversationID)
	assert.Equal(t, "The average distance from the Earth to the Moon is about 238,855 miles (384,400 kilometers).", r.Response)
}

func TestMessagesContinue(t *testing.T) {
	rec := serveChatThing(t, testkit.Exchange{Method: http.MethodPost, Path: prefix + "/message", JSON: fixture(t, "continue_request.json"), Reply: recorded("continue.json")})
	r, err := rec.client(t).Messages.Continue(context.Background(), "ea74ba3d-6645-4a88-92d1-7f78b1f83688", "How far is it at its closest?")
	require.NoError(t, err)
	assert.Equal(t, "ea74ba3d-6645-4a88-92d1-7f78b1f83688", r.ConversationID)
	assert.True(t, strings.HasPrefix(r.Response, "The distance between the Earth and the Moon varies"))
	assert.True(t, strings.HasSuffix(r.Response, "lunar perigee and apogee, respectively."))
}

func TestChatsList(t *testing.T) {
	rec := serveChatThing(t, testkit.Exchange{Method: http.MethodPost, Path: prefix + "/conversations", JSON: `{"limit":2,"cursor":"abc"}`, Reply: recorded("list_conversations.json")})
	page, err := rec.client(t).Chats.List(context.Background(), &chatbot.ListParams{Limit: 2, Cursor: "abc"})
	require.NoError(t, err)
	require.Len(t, page.Conversations, 2)
	c0, c1 := page.Conversations[0], page.Conversations[1]
	assert.Equal(t, "3eda9841-9813-49a4-a75c-3758ea31b43c", c0.ID)
	assert.Equal(t, "What is the distance to the moon?", c0.InitialMessage)
	assert.Equal(t, "2024-16-01T10:07:04.296Z", c0.CreatedAt.Raw)
	assert.Equal(t, day(2024, time.January, 16, 10, 7, 4, 296), c0.CreatedAt.Time, "month/day swapped leniently")
	assert.Equal(t, "9b03aeb0-d9fe-466d-9fc9-49607643ade7", c1.ID)
	assert.Equal(t, "How many planets are there in the solar system?", c1.InitialMessage)
	assert.Equal(t, day(2024, time.January, 16, 10, 7, 24, 458), c1.CreatedAt.Time)
	assert.Equal(t, chatbot.Pagination{Total: 15, Last: "fbd1e412-8071-476e-bb25-d76109b77f0a"}, page.Pagination)
}

func TestChatsListDefaultsSendEmptyBody(t *testing.T) {
	rec := serveChatThing(t, testkit.Exchange{Method: http.MethodPost, Path: prefix + "/conversations", JSON: `{}`, Reply: recorded("list_conversations.json")})
	_, err := rec.client(t).Chats.List(context.Background(), nil)
	require.NoError(t, err)
}

func TestMessagesList(t *testing.T) {
	rec := serveChatThing(t, testkit.Exchange{Method: http.MethodPost, Path: prefix + "/messages", JSON: `{"conversationId":"conv-1","limit":3}`, Reply: recorded("list_messages.json")})
	page, err := rec.client(t).Messages.List(context.Background(), "conv-1", &chatbot.ListParams{Limit: 3})
	require.NoError(t, err)
	want := []struct {
		id, text string
		role     chatbot.Role
		raw      string
		at       time.Time
	}{
		{"9df33cfc-1bc5-4990-8aa2-94552aa646c4", "Hello, how can I help you?", chatbot.RoleAssistant, "2024-16-01T10:07:20.127Z", day(2024, 1, 16, 10, 7, 20, 127)},
		{"4364a927-ca22-4bab-ac17-48903a514717", "How many planets are there in the solar system?", chatbot.RoleUser, "2024-16-01T10:07:24.324Z", day(2024, 1, 16, 10, 7, 24, 324)},
		{"b5ce7f56-9340-4072-8716-793f720f6fb1", "There are eight planets in the solar system.", chatbot.RoleAssistant, "2024-16-01T10:07:24.324Z", day(2024, 1, 16, 10, 7, 24, 324)},
	}
	require.Len(t, page.Messages, len(want))
	for i, w := range want {
		m := page.Messages[i]
		assert.Equal(t, w.id, m.ID)
		assert.Equal(t, w.text, m.Message)
		assert.Equal(t, w.role, m.Role)
		assert.Equal(t, w.raw, m.CreatedAt.Raw)
		assert.Equal(t, w.at, m.CreatedAt.Time)
	}
	assert.Equal(t, chatbot.Pagination{Total: 3, Last: "b5ce7f56-9340-4072-8716-793f720f6fb1"}, page.Pagination)
}

func assertNotSyncedSource(t *testing.T, ds *chatbot.DataSource) {
	t.Helper()
	assert.Equal(t, "41559b21-b8ff-44c3-8658-1c9e34273070", ds.ID)
	assert.Equal(t, "MANUAL", ds.Type)
	assert.Equal(t, chatbot.StateNotSynced, ds.State)
	assert.False(t, ds.LastSync.Valid())
	assert.Empty(t, ds.LastSync.Raw)
	assert.Nil(t, ds.SyncInterval)
	assert.Equal(t, day(2024, 1, 27, 15, 2, 51, 970), ds.CreatedAt.Time)
}

func TestDataSourcesCreate(t *testing.T) {
	rec := serveChatThing(t, testkit.Exchange{Method: http.MethodPost, Path: prefix + "/data-sources", Reply: recorded("datasource_create.json")})
	ds, err := rec.client(t).DataSources.Create(context.Background())
	require.NoError(t, err)
	assertNotSyncedSource(t, ds)
}

func TestDataSourcesList(t *testing.T) {
	rec := serveChatThing(t, testkit.Exchange{Method: http.MethodPost, Path: prefix + "/data-sources/list", JSON: `{"limit":100}`, Reply: recorded("datasources_list.json")})
	page, err := rec.client(t).DataSources.List(context.Background(), &chatbot.ListParams{Limit: 100})
	require.NoError(t, err)
	require.Len(t, page.DataSources, 1)
	ds := page.DataSources[0]
	assert.Equal(t, "19d95fbc-8285-40bc-8cc0-3e1fe597b765", ds.ID)
	assert.Equal(t, "MANUAL", ds.Type)
	assert.Equal(t, chatbot.StateSynced, ds.State)
	assert.Equal(t, day(2024, 1, 27, 14, 39, 3, 38), ds.LastSync.Time)
	assert.Nil(t, ds.SyncInterval)
	assert.Equal(t, day(2023, 10, 31, 14, 52, 19, 264), ds.CreatedAt.Time)
	assert.Equal(t, chatbot.Pagination{Total: 1, Last: "19d95fbc-8285-40bc-8cc0-3e1fe597b765"}, page.Pagination)
}

func TestDataSourcesGet(t *testing.T) {
	rec := serveChatThing(t, testkit.Exchange{Method: http.MethodGet, Path: prefix + "/data-sources", RawQuery: "dataSourceId=41559b21-b8ff-44c3-8658-1c9e34273070", Reply: recorded("datasource_get.json")})
	ds, err := rec.client(t).DataSources.Get(context.Background(), "41559b21-b8ff-44c3-8658-1c9e34273070")
	require.NoError(t, err)
	assertNotSyncedSource(t, ds)
}

func TestDataSourcesUpdate(t *testing.T) {
	weekly := chatbot.SyncWeekly
	never := chatbot.SyncNever
	for _, tc := range []struct {
		name     string
		interval *chatbot.SyncInterval
		body     string
	}{
		{"set", &weekly, `{"dataSourceId":"ds-1","syncInterval":"week"}`},
		{"clear", &never, `{"dataSourceId":"ds-1","syncInterval":null}`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rec := serveChatThing(t, testkit.Exchange{Method: http.MethodPut, Path: prefix + "/data-sources", JSON: tc.body, Reply: recorded("datasource_update.json")})
			ds, err := rec.client(t).DataSources.Update(context.Background(), "ds-1", &chatbot.UpdateDataSourceParams{SyncInterval: tc.interval})
			require.NoError(t, err)
			assertNotSyncedSource(t, ds)
		})
	}
}

func TestDataSourcesUpdateLeaveResendsCurrentInterval(t *testing.T) {
	current := strings.Replace(fixture(t, "datasource_get.json"), `"syncInterval": null`, `"syncInterval": "month"`, 1)
	rec := serveChatThing(t,
		testkit.Exchange{Method: http.MethodGet, Path: prefix + "/data-sources", RawQuery: "dataSourceId=ds-1", Reply: testkit.Reply{Body: current}},
		testkit.Exchange{Method: http.MethodPut, Path: prefix + "/data-sources", JSON: `{"dataSourceId":"ds-1","syncInterval":"month"}`, Reply: recorded("datasource_update.json")})
	_, err := rec.client(t).DataSources.Update(context.Background(), "ds-1", nil)
	require.NoError(t, err)
	require.Len(t, rec.Requests(), 2)
}

func TestDataSourcesDelete(t *testing.T) {
	rec := serveChatThing(t, testkit.Exchange{Method: http.MethodDelete, Path: prefix + "/data-sources", JSON: `{"dataSourceId":"ds-1"}`, Reply: recorded("datasource_delete.json")})
	require.NoError(t, rec.client(t).DataSources.Delete(context.Background(), "ds-1"))
}

func TestDataSourcesSync(t *testing.T) {
	rec := serveChatThing(t, testkit.Exchange{Method: http.MethodPost, Path: prefix + "/data-sources/sync", JSON: `{"dataSourceId":"ds-1"}`, Reply: recorded("sync.json")})
	require.NoError(t, rec.client(t).DataSources.Sync(context.Background(), "ds-1"))
}

func TestDataSourcesCreateRows(t *testing.T) {
	// Both the documented (invalid, trailing comma) and the valid body succeed.
	for _, name := range []string{"rows_create_documented.txt", "success.json"} {
		t.Run(name, func(t *testing.T) {
			rec := serveChatThing(t, testkit.Exchange{Method: http.MethodPost, Path: prefix + "/data-sources/row", JSON: fixture(t, "rows_create_request.json"), Reply: recorded(name)})
			err := rec.client(t).DataSources.CreateRows(context.Background(), "41559b21-b8ff-44c3-8658-1c9e34273070",
				[]chatbot.NewRow{{Name: "one.md", Content: "# Testing 1.1\n## Blah"}})
			require.NoError(t, err)
		})
	}
}

func TestDataSourcesListRows(t *testing.T) {
	rec := serveChatThing(t, testkit.Exchange{Method: http.MethodPost, Path: prefix + "/data-sources/row/list", JSON: `{"dataSourceId":"ds-1","limit":3,"cursor":"c"}`, Reply: recorded("rows_list.json")})
	page, err := rec.client(t).DataSources.ListRows(context.Background(), "ds-1", &chatbot.ListParams{Limit: 3, Cursor: "c"})
	require.NoError(t, err)
	assert.Equal(t, []chatbot.Row{
		{ID: "c4f85105-6d07-44c0-bdb7-eb0baf7c6f62", Name: "one.md"},
		{ID: "4f401205-5f76-46e1-a2b0-9adf66617d81", Name: "two.md"},
		{ID: "eb330863-4251-45c6-917d-e863c22f5bb9", Name: "three.md"},
	}, page.Rows)
	assert.Equal(t, chatbot.Pagination{Total: 3, Last: "eb330863-4251-45c6-917d-e863c22f5bb9"}, page.Pagination)
}

func TestDataSourcesGetRow(t *testing.T) {
	rec := serveChatThing(t, testkit.Exchange{Method: http.MethodGet, Path: prefix + "/data-sources/row", RawQuery: "dataSourceId=ds-1&dataSourceRowId=c4f85105-6d07-44c0-bdb7-eb0baf7c6f62", Reply: recorded("row_get.json")})
	row, err := rec.client(t).DataSources.GetRow(context.Background(), "ds-1", "c4f85105-6d07-44c0-bdb7-eb0baf7c6f62")
	require.NoError(t, err)
	assert.Equal(t, "c4f85105-6d07-44c0-bdb7-eb0baf7c6f62", row.ID)
	assert.Equal(t, "MANUAL", row.Type)
	assert.Equal(t, chatbot.StateSynced, row.State)
	assert.Empty(t, row.Name)
	assert.Equal(t, day(2024, 1, 27, 14, 39, 3, 14), row.LastSync.Time)
	assert.Equal(t, day(2024, 1, 27, 14, 30, 1, 216), row.CreatedAt.Time)
	assert.Equal(t, "# Testing 1.1\n## Blah", row.Content)
}

func TestDataSourcesUpdateRows(t *testing.T) {
	rec := serveChatThing(t, testkit.Exchange{Method: http.MethodPut, Path: prefix + "/data-sources/row",
		JSON:  `{"dataSourceId":"ds-1","dataSourceRows":[{"id":"r1","name":"one.md","content":"new"},{"id":"r2","name":"two.md","content":"newer"}]}`,
		Reply: recorded("rows_update_documented.txt")})
	err := rec.client(t).DataSources.UpdateRows(context.Background(), "ds-1", []chatbot.RowUpdate{
		{ID: "r1", Name: "one.md", Content: "new"}, {ID: "r2", Name: "two.md", Content: "newer"},
	})
	require.NoError(t, err)
}

func TestDataSourcesDeleteRows(t *testing.T) {
	rec := serveChatThing(t, testkit.Exchange{Method: http.MethodDelete, Path: prefix + "/data-sources/rows", JSON: `{"dataSourceId":"ds-1","dataSourceRows":[{"id":"r1"},{"id":"r2"}]}`, Reply: recorded("rows_delete.json")})
	require.NoError(t, rec.client(t).DataSources.DeleteRows(context.Background(), "ds-1", []string{"r1", "r2"}))
}

// deleteR1 is the body that deletes row r1 of ds-1.
const deleteR1 = `{"dataSourceId":"ds-1","dataSourceRows":[{"id":"r1"}]}`

func TestDataSourcesDeleteRowsFallsBackOnRoutingMiss(t *testing.T) {
	rec := serveChatThing(t,
		testkit.Exchange{Method: http.MethodDelete, Path: prefix + "/data-sources/rows", JSON: deleteR1,
			Reply: testkit.Reply{Status: http.StatusNotFound, Header: http.Header{"Content-Type": {"text/html"}}, Body: "<html>Cannot DELETE</html>"}},
		testkit.Exchange{Method: http.MethodDelete, Path: prefix + "/data-sources/row", JSON: deleteR1, Reply: recorded("rows_delete.json")})
	require.NoError(t, rec.client(t).DataSources.DeleteRows(context.Background(), "ds-1", []string{"r1"}))
	require.Len(t, rec.Requests(), 2)
}

func TestDataSourcesDeleteRowsAPINotFoundIsFinal(t *testing.T) {
	rec := serveChatThing(t, testkit.Exchange{Method: http.MethodDelete, Path: prefix + "/data-sources/rows", JSON: deleteR1,
		Reply: testkit.Reply{Status: http.StatusNotFound, Body: `{"success":false,"message":"already deleted"}`}})
	err := rec.client(t).DataSources.DeleteRows(context.Background(), "ds-1", []string{"r1"})
	require.ErrorIs(t, err, chatbot.ErrNotFound)
	assert.Len(t, rec.Requests(), 1)
}

func TestDataSourcesDeleteRowsFallsBackOn405(t *testing.T) {
	rec := serveChatThing(t,
		testkit.Exchange{Method: http.MethodDelete, Path: prefix + "/data-sources/rows", JSON: deleteR1,
			Reply: testkit.Reply{Status: http.StatusMethodNotAllowed, Header: http.Header{"Content-Type": {"text/plain"}}, Body: "Method Not Allowed"}},
		testkit.Exchange{Method: http.MethodDelete, Path: prefix + "/data-sources/row", JSON: deleteR1, Reply: recorded("rows_delete.json")})
	require.NoError(t, rec.client(t).DataSources.DeleteRows(context.Background(), "ds-1", []string{"r1"}))
	require.Len(t, rec.Requests(), 2)
}

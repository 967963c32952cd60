package chatbottest

import (
	"fmt"
	"net/http"
	"slices"
	"time"
)

// ctRow is one row (a Markdown document) of a data source. A row is
// "not_synced" when created or changed, "syncing" while a sync that
// includes it runs, and "synced" after it.
type ctRow struct {
	id        string
	seq       int
	name      string
	content   string
	state     string
	lastSync  *time.Time
	createdAt time.Time
}

func (r *ctRow) ref() (string, int) { return r.id, r.seq }

// ctRowIn is one row of a bulk call's body: create sends name and
// content, update id, name and content, delete only id. Pointers tell an
// absent field from an empty one.
type ctRowIn struct {
	ID      string  `json:"id"`
	Name    *string `json:"name"`
	Content *string `json:"content"`
}

// bulkRows runs a bulk row call: it reads {dataSourceId, dataSourceRows},
// finds the source, checks every row with check, and only then applies the
// call, so that one bad row rejects the whole call and nothing changes.
func (c *ChatThing) bulkRows(w http.ResponseWriter, r *http.Request, check func(ds *ctDataSource, row ctRowIn) *ctError, apply func(ds *ctDataSource, rows []ctRowIn, now time.Time)) {
	var in struct {
		DataSourceID string    `json:"dataSourceId"`
		Rows         []ctRowIn `json:"dataSourceRows"`
	}
	c.handle(w, r, &in, func(now time.Time) (any, error) {
		ds, err := c.state.dataSource(in.DataSourceID, now)
		if err != nil {
			return nil, err
		}
		if len(in.Rows) == 0 {
			return nil, badRequest(`"dataSourceRows" must hold at least one row`)
		}
		for i, row := range in.Rows {
			if cerr := check(ds, row); cerr != nil {
				return nil, &ctError{cerr.status, fmt.Sprintf("dataSourceRows[%d]: %s", i, cerr.message)}
			}
		}
		apply(ds, in.Rows, now)
		return nil, nil
	})
}

// existingRow is the check of update and delete: the row must be one of
// the source's.
func existingRow(ds *ctDataSource, row ctRowIn) *ctError {
	if row.ID == "" {
		return badRequest(`"id" is required`)
	}
	if ds.rowByID[row.ID] == nil {
		return notFound("row " + row.ID + " not found")
	}
	return nil
}

// createRows: POST …/data-sources/row, {dataSourceId, dataSourceRows:
// [{name, content}]}. The documented answer is only {"success": true}: the
// new rows' IDs come from listing.
func (c *ChatThing) createRows(w http.ResponseWriter, r *http.Request) {
	c.bulkRows(w, r, func(_ *ctDataSource, row ctRowIn) *ctError {
		if row.Name == nil || *row.Name == "" || row.Content == nil {
			return badRequest(`"name" and "content" are required`)
		}
		return nil
	}, func(ds *ctDataSource, rows []ctRowIn, now time.Time) {
		for _, row := range rows {
			id, seq := c.state.newID()
			nr := &ctRow{id: id, seq: seq, name: *row.Name, content: *row.Content, state: stateNotSynced, createdAt: now}
			ds.rows = append(ds.rows, nr)
			ds.rowByID[id] = nr
		}
	})
}

// listRows: POST …/data-sources/row/list, {dataSourceId, limit?, cursor?};
// items are {id, name}.
func (c *ChatThing) listRows(w http.ResponseWriter, r *http.Request) {
	type item struct {
		ID   string `json:"id"`
		Name string `json:"name"`
	}
	var in struct {
		DataSourceID string `json:"dataSourceId"`
		ctListParams
	}
	c.handle(w, r, &in, func(now time.Time) (any, error) {
		ds, err := c.state.dataSource(in.DataSourceID, now)
		if err != nil {
			return nil, err
		}
		rows, pg, err := ctPage(&c.state, ds.rows, in.ctListParams)
		if err != nil {
			return nil, err
		}
		items := make([]item, len(rows))
		for i, row := range rows {
			items[i] = item{row.id, row.name}
		}
		return struct {
			Success    bool         `json:"success"`
			Rows       []item       `json:"dataSourceRows"`
			Pagination ctPagination `json:"pagination"`
		}{true, items, pg}, nil
	})
}

// getRow: GET …/data-sources/row?dataSourceId=…&dataSourceRowId=…. The
// answer has the documented fields, which do not include the row's name.
func (c *ChatThing) getRow(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	c.handle(w, r, nil, func(now time.Time) (any, error) {
		ds, err := c.state.dataSource(q.Get("dataSourceId"), now)
		if err != nil {
			return nil, err
		}
		rowID := q.Get("dataSourceRowId")
		if rowID == "" {
			return nil, badRequest(`"dataSourceRowId" is required`)
		}
		row := ds.rowByID[rowID]
		if row == nil {
			return nil, notFound("row not found")
		}
		type detail struct {
			ID        string  `json:"id"`
			Type      string  `json:"type"`
			State     string  `json:"state"`
			LastSync  *string `json:"lastSync"`
			CreatedAt string  `json:"createdAt"`
			Content   string  `json:"content"`
		}
		return struct {
			Success bool   `json:"success"`
			Row     detail `json:"dataSourceRow"`
		}{true, detail{row.id, "MANUAL", row.state, optionalTimestamp(row.lastSync), timestamp(row.createdAt), row.content}}, nil
	})
}

// updateRows: PUT …/data-sources/row, {dataSourceId, dataSourceRows:
// [{id, name, content}]}. A field left out keeps its value; a changed row
// needs a new sync.
func (c *ChatThing) updateRows(w http.ResponseWriter, r *http.Request) {
	c.bulkRows(w, r, existingRow, func(ds *ctDataSource, rows []ctRowIn, _ time.Time) {
		for _, row := range rows {
			stored := ds.rowByID[row.ID]
			if row.Name != nil {
				stored.name = *row.Name
			}
			if row.Content != nil {
				stored.content = *row.Content
			}
			stored.state = stateNotSynced
		}
	})
}

// deleteRows: DELETE …/data-sources/rows (plural, as documented),
// {dataSourceId, dataSourceRows: [{id}]}. A row that does not exist, or no
// longer does, is a 404.
func (c *ChatThing) deleteRows(w http.ResponseWriter, r *http.Request) {
	c.bulkRows(w, r, existingRow, func(ds *ctDataSource, rows []ctRowIn, _ time.Time) {
		for _, row := range rows {
			delete(ds.rowByID, row.ID)
		}
		ds.rows = slices.DeleteFunc(ds.rows, func(row *ctRow) bool { return ds.rowByID[row.id] == nil })
	})
}

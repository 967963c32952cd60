package chatbot

import (
	"context"
	"errors"
	"iter"
	"net/http"
	"strconv"
	"strings"

	"github.com/chatbot-sdk/chatbot-go/internal/rest"
)

// Row is a data source row as the row list shows it.
type Row struct {
	// ID is the row's ID (a UUID).
	ID string `json:"id"`
	// Name is the label given when the row was created.
	Name string `json:"name"`
}

// RowDetail is one row with its content.
type RowDetail struct {
	// ID is the row's ID.
	ID string `json:"id"`
	// Type is "MANUAL".
	Type string `json:"type"`
	// State is the row's sync state (the same values as a data source's).
	State DataSourceState `json:"state"`
	// Name is often absent here: the documented example has none.
	Name string `json:"name,omitempty"`
	// LastSync is the row's last successful sync; zero when never.
	LastSync Time `json:"lastSync"`
	// CreatedAt is when the row was created.
	CreatedAt Time `json:"createdAt"`
	// Content is the Markdown the bot is trained on.
	Content string `json:"content"`
}

// RowPage is one page of a data source's rows.
type RowPage struct {
	// Rows are this page's items, in the server's order.
	Rows []Row `json:"dataSourceRows"`
	// Pagination has the total and the cursor of the next page.
	Pagination Pagination `json:"pagination"`
}

// NewRow is a row to create.
type NewRow struct {
	// Name is your unique label for the row (the bot never sees it).
	Name string `json:"name"`
	// Content is UTF-8 Markdown the bot is trained on.
	Content string `json:"content"`
}

// RowUpdate replaces the name and content of an existing row.
type RowUpdate struct {
	// ID is the row to change.
	ID string `json:"id"`
	// Name replaces the row's label.
	Name string `json:"name"`
	// Content replaces the row's Markdown.
	Content string `json:"content"`
}

type rowRef struct {
	ID string `json:"id"`
}

type rowsBody[T any] struct {
	DataSourceID string `json:"dataSourceId"`
	Rows         []T    `json:"dataSourceRows"`
}

// CreateRows adds rows to a data source, MaxRowsPerCall per request. The
// bot learns them only after Sync. Every row is checked before the first
// request; a failure after it is a *RowBatchError that says how many rows
// were created.
func (s *DataSourceService) CreateRows(ctx context.Context, dataSourceID string, rows []NewRow, opts ...CallOption) error {
	if err := check.ID("dataSourceID", dataSourceID); err != nil {
		return err
	}
	if len(rows) == 0 {
		return &ValidationError{Field: "rows", Reason: "must hold at least one row"}
	}
	for i, r := range rows {
		if strings.TrimSpace(r.Name) == "" {
			return &ValidationError{Field: fieldIndex("rows", i, "Name"), Reason: "must not be empty"}
		}
	}
	return inBatches("DataSources.CreateRows", rows, func(batch []NewRow) error {
		req := &rest.Request{Op: "DataSources.CreateRows", Method: http.MethodPost, Path: "/data-sources/row",
			JSON: rowsBody[NewRow]{DataSourceID: dataSourceID, Rows: batch}}
		return s.client.call(ctx, req, &successOnly{}, opts)
	})
}

// ListRows returns one page of a data source's rows (names only; GetRow
// has the content).
func (s *DataSourceService) ListRows(ctx context.Context, dataSourceID string, params *ListParams, opts ...CallOption) (*RowPage, error) {
	if err := check.ID("dataSourceID", dataSourceID); err != nil {
		return nil, err
	}
	p := params.orZero()
	if err := checkLimit(p.Limit); err != nil {
		return nil, err
	}
	body := struct {
		DataSourceID string `json:"dataSourceId"`
		ListParams
	}{dataSourceID, p}
	var out struct {
		envelope
		RowPage
	}
	req := &rest.Request{Op: "DataSources.ListRows", Method: http.MethodPost, Path: "/data-sources/row/list", JSON: body, Idempotent: true}
	if err := s.client.call(ctx, req, &out, opts); err != nil {
		return nil, err
	}
	return &out.RowPage, nil
}

// ListAllRows iterates over every row of a data source, one page at a time.
func (s *DataSourceService) ListAllRows(ctx context.Context, dataSourceID string, params *ListParams, opts ...CallOption) iter.Seq2[Row, error] {
	return listAll[Row](ctx, params, func(ctx context.Context, p *ListParams) (*RowPage, error) {
		return s.ListRows(ctx, dataSourceID, p, opts...)
	})
}

// GetRow returns one row with its content. A 404 means the channel, the
// data source or the row does not exist.
func (s *DataSourceService) GetRow(ctx context.Context, dataSourceID, rowID string, opts ...CallOption) (*RowDetail, error) {
	if err := check.ID("dataSourceID", dataSourceID); err != nil {
		return nil, err
	}
	if err := check.ID("rowID", rowID); err != nil {
		return nil, err
	}
	query := struct {
		DataSourceID string `url:"dataSourceId"`
		RowID        string `url:"dataSourceRowId"`
	}{dataSourceID, rowID}
	var out struct {
		envelope
		Row RowDetail `json:"dataSourceRow"`
	}
	req := &rest.Request{Op: "DataSources.GetRow", Method: http.MethodGet, Path: "/data-sources/row", Query: query, Idempotent: true}
	if err := s.client.call(ctx, req, &out, opts); err != nil {
		return nil, err
	}
	return &out.Row, nil
}

// UpdateRows replaces the name and content of one or more rows,
// MaxRowsPerCall per request. Every row is checked before the first
// request; a failure after it is a *RowBatchError that says how many rows
// were updated.
func (s *DataSourceService) UpdateRows(ctx context.Context, dataSourceID string, rows []RowUpdate, opts ...CallOption) error {
	if err := check.ID("dataSourceID", dataSourceID); err != nil {
		return err
	}
	if len(rows) == 0 {
		return &ValidationError{Field: "rows", Reason: "must hold at least one row"}
	}
	for i, r := range rows {
		if err := check.ID(fieldIndex("rows", i, "ID"), r.ID); err != nil {
			return err
		}
		if strings.TrimSpace(r.Name) == "" {
			return &ValidationError{Field: fieldIndex("rows", i, "Name"), Reason: "must not be empty"}
		}
	}
	return inBatches("DataSources.UpdateRows", rows, func(batch []RowUpdate) error {
		req := &rest.Request{Op: "DataSources.UpdateRows", Method: http.MethodPut, Path: "/data-sources/row",
			JSON: rowsBody[RowUpdate]{DataSourceID: dataSourceID, Rows: batch}, Idempotent: true}
		return s.client.call(ctx, req, &successOnly{}, opts)
	})
}

// Documented and fallback paths for deleting rows: the reference spells
// this one call "rows" while every other row call uses "row".
const (
	rowsDeletePath    = "/data-sources/rows"
	rowsDeleteAltPath = "/data-sources/row"
)

// DeleteRows deletes one or more rows, MaxRowsPerCall per request; a
// failure after the first request is a *RowBatchError that says how many
// rows were deleted. It uses the documented DELETE …/data-sources/rows; if
// that answers 404 or 405 with a body that is not this API's JSON (a
// routing miss, not "already deleted"), it tries once more on
// …/data-sources/row, and sends the rest of the rows there.
func (s *DataSourceService) DeleteRows(ctx context.Context, dataSourceID string, rowIDs []string, opts ...CallOption) error {
	if err := check.ID("dataSourceID", dataSourceID); err != nil {
		return err
	}
	if len(rowIDs) == 0 {
		return &ValidationError{Field: "rowIDs", Reason: "must hold at least one row ID"}
	}
	refs := make([]rowRef, len(rowIDs))
	for i, id := range rowIDs {
		if err := check.ID(fieldIndex("rowIDs", i, ""), id); err != nil {
			return err
		}
		refs[i] = rowRef{ID: id}
	}
	path := rowsDeletePath
	return inBatches("DataSources.DeleteRows", refs, func(batch []rowRef) error {
		send := func(path string) error {
			req := &rest.Request{Op: "DataSources.DeleteRows", Method: http.MethodDelete, Path: path,
				JSON: rowsBody[rowRef]{DataSourceID: dataSourceID, Rows: batch}, Idempotent: true}
			return s.client.call(ctx, req, &successOnly{}, opts)
		}
		err := send(path)
		if path == rowsDeletePath && isRoutingMiss(err) {
			path = rowsDeleteAltPath
			err = send(path)
		}
		return err
	})
}

// isRoutingMiss tells a 404/405 from a router (no "success" in the body)
// from the API's own "not found" answer.
func isRoutingMiss(err error) bool {
	var apiErr *APIError
	if !errors.As(err, &apiErr) {
		return false
	}
	if apiErr.StatusCode != http.StatusNotFound && apiErr.StatusCode != http.StatusMethodNotAllowed {
		return false
	}
	return !strings.Contains(apiErr.Body, `"success"`)
}

// fieldIndex names an element of a slice argument, e.g. rows[2].Name.
func fieldIndex(name string, i int, field string) string {
	s := name + "[" + strconv.Itoa(i) + "]"
	if field != "" {
		s += "." + field
	}
	return s
}

package chatbot

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"iter"
	"net/http"
	"time"

	"github.com/chatbot-sdk/chatbot-go/internal/rest"
)

// DataSourceService manages the bot's manual data sources (its knowledge
// base) and their rows. Rows are Markdown documents the bot is trained on
// when the source is synced.
type DataSourceService struct{ client *Client }

// DataSourceState is where a data source is in its sync life cycle.
type DataSourceState string

// The documented data source states.
const (
	StateNotSynced DataSourceState = "not_synced"
	StateSyncing   DataSourceState = "syncing"
	StateSynced    DataSourceState = "synced"
	StateSyncError DataSourceState = "sync_error"
)

// SyncInterval is how often Chat Thing re-syncs a data source by itself.
type SyncInterval string

// The documented intervals. SyncNever stands for JSON null (no automatic
// sync) in UpdateDataSourceParams.
const (
	SyncNever   SyncInterval = ""
	SyncDaily   SyncInterval = "day"
	SyncWeekly  SyncInterval = "week"
	SyncMonthly SyncInterval = "month"
)

func (s SyncInterval) known() bool {
	switch s {
	case SyncNever, SyncDaily, SyncWeekly, SyncMonthly:
		return true
	}
	return false
}

// DataSource is a manual data source.
type DataSource struct {
	// ID is the data source's ID (a UUID).
	ID string `json:"id"`
	// Type is "MANUAL" for every source this API manages.
	Type string `json:"type"`
	// State is where the source is in its sync life cycle.
	State DataSourceState `json:"state"`
	// LastSync is the last successful sync; zero and with an empty Raw
	// when the source was never synced (the server sends null).
	LastSync Time `json:"lastSync"`
	// SyncInterval is nil when the source has no automatic sync. Values
	// other than the documented three are kept as they are.
	SyncInterval *SyncInterval `json:"syncInterval"`
	// CreatedAt is when the source was created.
	CreatedAt Time `json:"createdAt"`
}

// DataSourcePage is one page of data sources.
type DataSourcePage struct {
	// DataSources are this page's items, in the server's order.
	DataSources []DataSource `json:"dataSources"`
	// Pagination has the total and the cursor of the next page.
	Pagination Pagination `json:"pagination"`
}

// UpdateDataSourceParams changes a data source.
type UpdateDataSourceParams struct {
	// SyncInterval: nil leaves the schedule as it is; Ptr(SyncNever) turns
	// automatic sync off; Ptr(SyncDaily), Ptr(SyncWeekly) or Ptr(SyncMonthly)
	// set it.
	SyncInterval *SyncInterval
}

// Ptr returns a pointer to v, for optional fields such as
// UpdateDataSourceParams.SyncInterval.
func Ptr[T any](v T) *T { return &v }

type dataSourceEnvelope struct {
	envelope
	DataSource DataSource `json:"dataSource"`
}

type dataSourceRef struct {
	DataSourceID string `json:"dataSourceId" url:"dataSourceId"`
}

// opSync names Sync, whose 429 the platform declares final (syncBusy).
const opSync = "DataSources.Sync"

// Create makes a new, empty manual data source.
func (s *DataSourceService) Create(ctx context.Context, opts ...CallOption) (*DataSource, error) {
	var out dataSourceEnvelope
	req := &rest.Request{Op: "DataSources.Create", Method: http.MethodPost, Path: "/data-sources"}
	if err := s.client.call(ctx, req, &out, opts); err != nil {
		return nil, err
	}
	return &out.DataSource, nil
}

// List returns one page of the channel's manual data sources.
func (s *DataSourceService) List(ctx context.Context, params *ListParams, opts ...CallOption) (*DataSourcePage, error) {
	p := params.orZero()
	if err := checkLimit(p.Limit); err != nil {
		return nil, err
	}
	var out struct {
		envelope
		DataSourcePage
	}
	req := &rest.Request{Op: "DataSources.List", Method: http.MethodPost, Path: "/data-sources/list", JSON: p, Idempotent: true}
	if err := s.client.call(ctx, req, &out, opts); err != nil {
		return nil, err
	}
	return &out.DataSourcePage, nil
}

// ListAll iterates over every manual data source, one page at a time.
func (s *DataSourceService) ListAll(ctx context.Context, params *ListParams, opts ...CallOption) iter.Seq2[DataSource, error] {
	return listAll[DataSource](ctx, params, func(ctx context.Context, p *ListParams) (*DataSourcePage, error) { return s.List(ctx, p, opts...) })
}

// Get returns one data source; its State tells whether a sync finished.
func (s *DataSourceService) Get(ctx context.Context, dataSourceID string, opts ...CallOption) (*DataSource, error) {
	if err := check.ID("dataSourceID", dataSourceID); err != nil {
		return nil, err
	}
	var out dataSourceEnvelope
	req := &rest.Request{Op: "DataSources.Get", Method: http.MethodGet, Path: "/data-sources",
		Query: dataSourceRef{dataSourceID}, Idempotent: true}
	if err := s.client.call(ctx, req, &out, opts); err != nil {
		return nil, err
	}
	return &out.DataSource, nil
}

// Update changes a data source's automatic sync schedule. The reference
// leaves unclear whether an omitted syncInterval clears the schedule, so the
// field is always sent: when params.SyncInterval is nil the current value is
// read first and sent back unchanged.
func (s *DataSourceService) Update(ctx context.Context, dataSourceID string, params *UpdateDataSourceParams, opts ...CallOption) (*DataSource, error) {
	if err := check.ID("dataSourceID", dataSourceID); err != nil {
		return nil, err
	}
	var interval *SyncInterval
	if params != nil && params.SyncInterval != nil {
		if !params.SyncInterval.known() {
			return nil, &ValidationError{Field: "SyncInterval", Reason: `must be SyncNever, "day", "week" or "month"`}
		}
		interval = params.SyncInterval
	} else {
		current, err := s.Get(ctx, dataSourceID, opts...)
		if err != nil {
			return nil, err
		}
		interval = current.SyncInterval
	}
	body := struct {
		DataSourceID string          `json:"dataSourceId"`
		SyncInterval json.RawMessage `json:"syncInterval"`
	}{DataSourceID: dataSourceID, SyncInterval: json.RawMessage("null")}
	if interval != nil && *interval != SyncNever {
		body.SyncInterval, _ = json.Marshal(string(*interval))
	}
	var out dataSourceEnvelope
	req := &rest.Request{Op: "DataSources.Update", Method: http.MethodPut, Path: "/data-sources", JSON: body, Idempotent: true}
	if err := s.client.call(ctx, req, &out, opts); err != nil {
		return nil, err
	}
	return &out.DataSource, nil
}

// Delete removes a data source and its rows. A second Delete of the same
// source reports ErrNotFound.
func (s *DataSourceService) Delete(ctx context.Context, dataSourceID string, opts ...CallOption) error {
	if err := check.ID("dataSourceID", dataSourceID); err != nil {
		return err
	}
	req := &rest.Request{Op: "DataSources.Delete", Method: http.MethodDelete, Path: "/data-sources",
		JSON: dataSourceRef{dataSourceID}, Idempotent: true}
	return s.client.call(ctx, req, &successOnly{}, opts)
}

// Sync starts training the bot on the source's rows; it runs in the
// background (see WaitForSync). The server answers 429 (ErrRateLimited)
// both while a sync is already running and when the account is out of
// storage tokens; Get tells them apart (State is StateSyncing in the first
// case). That 429 is returned at once, not retried.
func (s *DataSourceService) Sync(ctx context.Context, dataSourceID string, opts ...CallOption) error {
	if err := check.ID("dataSourceID", dataSourceID); err != nil {
		return err
	}
	// Its 429 is returned at once: see syncBusy.
	req := &rest.Request{Op: opSync, Method: http.MethodPost, Path: "/data-sources/sync",
		JSON: dataSourceRef{dataSourceID}}
	return s.client.call(ctx, req, &successOnly{}, opts)
}

// ErrSyncFailed is returned by WaitForSync when the source ends in
// StateSyncError.
var ErrSyncFailed = errors.New("chatbot: data source sync failed")

// WaitForSyncParams tunes WaitForSync; nil means every default.
type WaitForSyncParams struct {
	// Interval is the time between polls (1s when zero or less).
	Interval time.Duration
	// Progress, when not nil, is called with the source after each poll.
	Progress func(*DataSource)
}

// WaitForSync polls the data source until its state is StateSynced or
// StateSyncError. StateNotSynced counts as "not started yet", so call it
// after Sync. A sync error returns the source with ErrSyncFailed. It ends
// with the context; bound it with a deadline. opts apply to each poll.
func (s *DataSourceService) WaitForSync(ctx context.Context, dataSourceID string, params *WaitForSyncParams, opts ...CallOption) (*DataSource, error) {
	var p WaitForSyncParams
	if params != nil {
		p = *params
	}
	if p.Interval <= 0 {
		p.Interval = time.Second
	}
	ticker := time.NewTicker(p.Interval)
	defer ticker.Stop()
	for {
		ds, err := s.Get(ctx, dataSourceID, opts...)
		if err != nil {
			return nil, err
		}
		if p.Progress != nil {
			p.Progress(ds)
		}
		switch ds.State {
		case StateSynced:
			return ds, nil
		case StateSyncError:
			return ds, fmt.Errorf("%w: data source %s", ErrSyncFailed, ds.ID)
		}
		select {
		case <-ctx.Done():
			return ds, ctx.Err()
		case <-ticker.C:
		}
	}
}

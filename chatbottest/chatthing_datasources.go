package chatbottest

import (
	"bytes"
	"encoding/json"
	"net/http"
	"slices"
	"time"
)

// The documented data source (and row) states.
const (
	stateNotSynced = "not_synced"
	stateSyncing   = "syncing"
	stateSynced    = "synced"
	stateSyncError = "sync_error"
)

// ctDataSource is a manual data source and its rows.
type ctDataSource struct {
	id           string
	seq          int
	createdAt    time.Time
	state        string
	lastSync     *time.Time
	syncInterval *string
	// syncEnds is when the running sync finishes; syncFails says how.
	syncEnds  time.Time
	syncFails bool

	rows    []*ctRow
	rowByID map[string]*ctRow
}

func (d *ctDataSource) ref() (string, int) { return d.id, d.seq }

// settle finishes a sync whose time is up. The fake keeps no timers: a
// sync is a deadline, and every read settles it first, so nothing runs in
// the background and nothing can outlive the server.
func (d *ctDataSource) settle(now time.Time) {
	if d.state != stateSyncing || now.Before(d.syncEnds) {
		return
	}
	end := d.syncEnds
	if d.syncFails {
		d.state = stateSyncError
	} else {
		d.state, d.lastSync = stateSynced, &end
	}
	for _, row := range d.rows {
		if row.state != stateSyncing {
			continue
		}
		if d.syncFails {
			row.state = stateNotSynced
		} else {
			row.state, row.lastSync = stateSynced, &end
		}
	}
}

// ctDataSourceJSON is the documented data source object.
type ctDataSourceJSON struct {
	ID           string  `json:"id"`
	Type         string  `json:"type"`
	State        string  `json:"state"`
	LastSync     *string `json:"lastSync"`
	SyncInterval *string `json:"syncInterval"`
	CreatedAt    string  `json:"createdAt"`
}

func (d *ctDataSource) json() ctDataSourceJSON {
	return ctDataSourceJSON{
		ID: d.id, Type: "MANUAL", State: d.state, LastSync: optionalTimestamp(d.lastSync),
		SyncInterval: d.syncInterval, CreatedAt: timestamp(d.createdAt),
	}
}

// optionalTimestamp is a timestamp, or JSON null for nil.
func optionalTimestamp(t *time.Time) *string {
	if t == nil {
		return nil
	}
	s := timestamp(*t)
	return &s
}

// ctDataSourceResponse is the answer of create, get and update.
type ctDataSourceResponse struct {
	Success    bool             `json:"success"`
	DataSource ctDataSourceJSON `json:"dataSource"`
}

// ctDataSourceRef is the body of delete and sync.
type ctDataSourceRef struct {
	DataSourceID string `json:"dataSourceId"`
}

// dataSource finds the source id names and settles it. c.mu is held.
func (s *chatThingState) dataSource(id string, now time.Time) (*ctDataSource, error) {
	if id == "" {
		return nil, badRequest(`"dataSourceId" is required`)
	}
	ds := s.dsByID[id]
	if ds == nil {
		return nil, notFound("data source not found")
	}
	ds.settle(now)
	return ds, nil
}

// createDataSource: POST …/data-sources, no body.
func (c *ChatThing) createDataSource(w http.ResponseWriter, r *http.Request) {
	c.handle(w, r, nil, func(now time.Time) (any, error) {
		id, seq := c.state.newID()
		ds := &ctDataSource{id: id, seq: seq, createdAt: now, state: stateNotSynced, rowByID: map[string]*ctRow{}}
		c.state.dataSources = append(c.state.dataSources, ds)
		c.state.dsByID[id] = ds
		return ctDataSourceResponse{true, ds.json()}, nil
	})
}

// listDataSources: POST …/data-sources/list, {limit?, cursor?}.
func (c *ChatThing) listDataSources(w http.ResponseWriter, r *http.Request) {
	var in ctListParams
	c.handle(w, r, &in, func(now time.Time) (any, error) {
		sources, pg, err := ctPage(&c.state, c.state.dataSources, in)
		if err != nil {
			return nil, err
		}
		items := make([]ctDataSourceJSON, len(sources))
		for i, ds := range sources {
			ds.settle(now)
			items[i] = ds.json()
		}
		return struct {
			Success     bool               `json:"success"`
			DataSources []ctDataSourceJSON `json:"dataSources"`
			Pagination  ctPagination       `json:"pagination"`
		}{true, items, pg}, nil
	})
}

// getDataSource: GET …/data-sources?dataSourceId=…
func (c *ChatThing) getDataSource(w http.ResponseWriter, r *http.Request) {
	c.handle(w, r, nil, func(now time.Time) (any, error) {
		ds, err := c.state.dataSource(r.URL.Query().Get("dataSourceId"), now)
		if err != nil {
			return nil, err
		}
		return ctDataSourceResponse{true, ds.json()}, nil
	})
}

// updateDataSource: PUT …/data-sources, {dataSourceId, syncInterval?}.
// "syncInterval" is documented as optional with default null; the fake
// reads that literally, so leaving it out turns automatic sync off.
func (c *ChatThing) updateDataSource(w http.ResponseWriter, r *http.Request) {
	var in struct {
		DataSourceID string          `json:"dataSourceId"`
		SyncInterval json.RawMessage `json:"syncInterval"`
	}
	c.handle(w, r, &in, func(now time.Time) (any, error) {
		interval, err := parseSyncInterval(in.SyncInterval)
		if err != nil {
			return nil, err
		}
		ds, err := c.state.dataSource(in.DataSourceID, now)
		if err != nil {
			return nil, err
		}
		ds.syncInterval = interval
		return ctDataSourceResponse{true, ds.json()}, nil
	})
}

// parseSyncInterval accepts the documented values: absent or null (no
// automatic sync), "day", "week" or "month".
func parseSyncInterval(raw json.RawMessage) (*string, error) {
	if len(raw) == 0 || bytes.Equal(raw, []byte("null")) {
		return nil, nil
	}
	var v string
	if err := json.Unmarshal(raw, &v); err != nil || !slices.Contains([]string{"day", "week", "month"}, v) {
		return nil, badRequest(`"syncInterval" must be "day", "week", "month" or null`)
	}
	return &v, nil
}

// deleteDataSource: DELETE …/data-sources, {dataSourceId}. Deleting it
// twice is a 404, as documented.
func (c *ChatThing) deleteDataSource(w http.ResponseWriter, r *http.Request) {
	var in ctDataSourceRef
	c.handle(w, r, &in, func(now time.Time) (any, error) {
		ds, err := c.state.dataSource(in.DataSourceID, now)
		if err != nil {
			return nil, err
		}
		delete(c.state.dsByID, ds.id)
		c.state.dataSources = slices.DeleteFunc(c.state.dataSources, func(d *ctDataSource) bool { return d == ds })
		return nil, nil
	})
}

// syncDataSource: POST …/data-sources/sync, {dataSourceId}. The sync runs
// for the configured duration; meanwhile the source is "syncing" and
// another sync request is a 429, as documented.
func (c *ChatThing) syncDataSource(w http.ResponseWriter, r *http.Request) {
	var in ctDataSourceRef
	c.handle(w, r, &in, func(now time.Time) (any, error) {
		ds, err := c.state.dataSource(in.DataSourceID, now)
		if err != nil {
			return nil, err
		}
		if ds.state == stateSyncing {
			return nil, &ctError{http.StatusTooManyRequests, "a sync is already running for this data source"}
		}
		ds.state, ds.syncEnds = stateSyncing, now.Add(c.cfg.syncDuration)
		ds.syncFails = c.state.failSyncs > 0
		if ds.syncFails {
			c.state.failSyncs--
		}
		for _, row := range ds.rows {
			if row.state != stateSynced {
				row.state = stateSyncing
			}
		}
		ds.settle(now)
		return nil, nil
	})
}

// FailNextSync makes the next data source sync end in "sync_error" instead
// of "synced". Calls add up.
func (c *ChatThing) FailNextSync() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.state.failSyncs++
}

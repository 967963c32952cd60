package chatbot

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"strconv"
	"strings"
	"time"
)

// SyncAndWait trains the bot on the data source's rows as they are now: it
// starts a sync and waits for it to end, calling params.Progress after each
// poll. It is Sync followed by WaitForSync, plus the case those two get
// wrong together: when a sync is already running (Sync's 429, with the
// source in StateSyncing), that sync may have begun before the latest row
// changes, so SyncAndWait waits for it to end and then starts its own. A
// 429 while no sync runs (the account is out of storage tokens) is
// returned as it is.
//
// It returns the source as the last poll saw it; a sync that ends in
// StateSyncError returns it with an error matching ErrSyncFailed. It ends
// with the context: give it a deadline. opts apply to every request.
func (s *DataSourceService) SyncAndWait(ctx context.Context, dataSourceID string, params *WaitForSyncParams, opts ...CallOption) (*DataSource, error) {
	err := s.Sync(ctx, dataSourceID, opts...)
	if errors.Is(err, ErrRateLimited) {
		ds, getErr := s.Get(ctx, dataSourceID, opts...)
		if getErr != nil || ds.State != StateSyncing {
			return nil, err // not busy: out of storage tokens
		}
		if _, err := s.WaitForSync(ctx, dataSourceID, params, opts...); err != nil && !errors.Is(err, ErrSyncFailed) {
			return nil, err
		}
		err = s.Sync(ctx, dataSourceID, opts...)
	}
	if err != nil {
		return nil, err
	}
	return s.WaitForSync(ctx, dataSourceID, params, opts...)
}

// Document is one named Markdown document of a knowledge base, for Mirror:
// it becomes one row of the data source.
type Document struct {
	// Name identifies the document, such as its path in a folder; it must
	// not be empty, and no two documents of one Mirror may share it. The
	// bot never sees it.
	Name string
	// Content is the UTF-8 Markdown the bot is trained on.
	Content string
}

// MirrorParams tunes Mirror; nil means every default.
type MirrorParams struct {
	// ExactNames names each row exactly as its document. By default Mirror
	// appends a fingerprint of the content to the row's name, as in
	// "faq.md [3f2a9c0b1d4e5f60]" (the first 16 hex digits of the
	// content's SHA-256), because the row list has names but no content:
	// with the fingerprint the list alone tells an unchanged row from a
	// changed one. The fingerprint is of the content Mirror wrote: a row
	// edited by other means that kept its name looks unchanged. With
	// ExactNames, Mirror reads every row whose name matches a document
	// (GetRow, one request per row) to compare the content instead.
	ExactNames bool
	// NoSync leaves the sync to the caller: Mirror only changes rows, and
	// the bot learns them at the next sync.
	NoSync bool
	// Interval is the time between polls while the sync runs (1s when
	// zero or less).
	Interval time.Duration
	// Progress, when not nil, is called with the source after each poll
	// while the sync runs.
	Progress func(*DataSource)
}

// MirrorResult says what Mirror did.
type MirrorResult struct {
	// Created, Updated and Deleted count the rows Mirror changed;
	// Unchanged the rows that already matched their document.
	Created, Updated, Deleted, Unchanged int
	// Synced reports that Mirror synced the source and the sync ended in
	// StateSynced. It is false with NoSync, when nothing changed and the
	// source was synced already, and when the sync failed.
	Synced bool
	// DataSource is the source as Mirror saw it last: after the sync, or
	// as it found it when there was nothing to sync; nil with NoSync.
	DataSource *DataSource
}

// Changed counts the rows Mirror created, updated or deleted.
func (r *MirrorResult) Changed() int { return r.Created + r.Updated + r.Deleted }

// Mirror makes the data source's rows match docs, one row per document,
// matched by name: it creates a row for each new document, updates the
// rows whose content (or name) differs from their document's, and deletes
// the rows that match no document, and a second row for one document. It
// changes rows with the bulk calls, MaxRowsPerCall rows per request:
// deletions first, then updates, then creations, so that a failure half
// way never leaves two rows for one document. Then, unless params.NoSync
// is set, it trains the bot with SyncAndWait when something changed or the
// source is not in StateSynced. A second Mirror of the same documents
// changes nothing and sends no sync.
//
// Rows are named as MirrorParams.ExactNames describes: by default the
// names carry a fingerprint of the content, so that no row is read to
// find out whether it changed. A row not written that way (created by
// hand, or with ExactNames) is updated once to gain one.
//
// docs must hold at least one document: a mistake that empties the list
// (a wrong folder, say) must not wipe the knowledge base. The arguments
// are checked before any request; bad ones return a nil result and a
// *ValidationError. Any later failure returns the result so far (what was
// created, updated and deleted) with the error; a failed sync returns an
// error matching ErrSyncFailed, with the source in the result.
func (s *DataSourceService) Mirror(ctx context.Context, dataSourceID string, docs []Document, params *MirrorParams, opts ...CallOption) (*MirrorResult, error) {
	if err := check.ID("dataSourceID", dataSourceID); err != nil {
		return nil, err
	}
	var p MirrorParams
	if params != nil {
		p = *params
	}
	want, err := checkDocuments(docs)
	if err != nil {
		return nil, err
	}
	plan, err := s.planMirror(ctx, dataSourceID, docs, want, p.ExactNames, opts)
	if err != nil {
		return &MirrorResult{}, err
	}
	res := &MirrorResult{Unchanged: plan.unchanged}
	if err := s.applyMirror(ctx, dataSourceID, plan, res, opts); err != nil {
		return res, err
	}
	if p.NoSync {
		return res, nil
	}
	if res.Changed() == 0 {
		ds, err := s.Get(ctx, dataSourceID, opts...)
		if err != nil {
			return res, err
		}
		if res.DataSource = ds; ds.State == StateSynced {
			return res, nil
		}
	}
	ds, err := s.SyncAndWait(ctx, dataSourceID, &WaitForSyncParams{Interval: p.Interval, Progress: p.Progress}, opts...)
	if ds != nil {
		res.DataSource = ds
	}
	res.Synced = err == nil
	return res, err
}

// checkDocuments indexes docs by name, refusing an empty list, an empty
// name and a name used twice.
func checkDocuments(docs []Document) (map[string]*Document, error) {
	if len(docs) == 0 {
		return nil, &ValidationError{Field: "docs", Reason: "must hold at least one document (Mirror never empties a data source)"}
	}
	want := make(map[string]*Document, len(docs))
	for i := range docs {
		d := &docs[i]
		if strings.TrimSpace(d.Name) == "" {
			return nil, &ValidationError{Field: fieldIndex("docs", i, "Name"), Reason: "must not be empty"}
		}
		if _, dup := want[d.Name]; dup {
			return nil, &ValidationError{Field: fieldIndex("docs", i, "Name"), Reason: "repeats the name " + strconv.Quote(d.Name)}
		}
		want[d.Name] = d
	}
	return want, nil
}

// mirrorPageLimit is the page size Mirror lists rows with: the largest
// the API serves, for the fewest requests.
const mirrorPageLimit = 100

// mirrorPlan is what it takes to make a data source match the documents.
type mirrorPlan struct {
	create    []NewRow
	update    []RowUpdate
	remove    []string
	unchanged int
}

// planMirror compares the source's rows with the documents.
func (s *DataSourceService) planMirror(ctx context.Context, dataSourceID string, docs []Document, want map[string]*Document, exact bool, opts []CallOption) (*mirrorPlan, error) {
	plan := &mirrorPlan{}
	matched := make(map[string]bool, len(docs))
	for row, err := range s.ListAllRows(ctx, dataSourceID, &ListParams{Limit: mirrorPageLimit}, opts...) {
		if err != nil {
			return nil, err
		}
		docName := row.Name
		if !exact {
			docName = documentName(row.Name)
		}
		doc, ok := want[docName]
		if !ok || matched[docName] {
			plan.remove = append(plan.remove, row.ID)
			continue
		}
		matched[docName] = true
		name := mirroredName(doc, exact)
		// With fingerprints, the name says whether the content is the
		// document's; without, only the row itself does.
		same := row.Name == name
		if exact {
			detail, err := s.GetRow(ctx, dataSourceID, row.ID, opts...)
			if err != nil {
				return nil, err
			}
			same = detail.Content == doc.Content
		}
		if same {
			plan.unchanged++
			continue
		}
		plan.update = append(plan.update, RowUpdate{ID: row.ID, Name: name, Content: doc.Content})
	}
	for i := range docs {
		if d := &docs[i]; !matched[d.Name] {
			plan.create = append(plan.create, NewRow{Name: mirroredName(d, exact), Content: d.Content})
		}
	}
	return plan, nil
}

// applyMirror carries out plan, counting in res what it did.
func (s *DataSourceService) applyMirror(ctx context.Context, dataSourceID string, plan *mirrorPlan, res *MirrorResult, opts []CallOption) error {
	if len(plan.remove) > 0 {
		err := s.DeleteRows(ctx, dataSourceID, plan.remove, opts...)
		if res.Deleted = rowsDone(len(plan.remove), err); err != nil {
			return err
		}
	}
	if len(plan.update) > 0 {
		err := s.UpdateRows(ctx, dataSourceID, plan.update, opts...)
		if res.Updated = rowsDone(len(plan.update), err); err != nil {
			return err
		}
	}
	if len(plan.create) > 0 {
		err := s.CreateRows(ctx, dataSourceID, plan.create, opts...)
		if res.Created = rowsDone(len(plan.create), err); err != nil {
			return err
		}
	}
	return nil
}

// fingerprintLen is the number of hex digits of a content fingerprint.
const fingerprintLen = 16

// fingerprint identifies content: the start of its SHA-256, in hex.
func fingerprint(content string) string {
	sum := sha256.Sum256([]byte(content))
	return hex.EncodeToString(sum[:])[:fingerprintLen]
}

// mirroredName is the row name Mirror gives doc: its name with the
// content's fingerprint, or its name alone with exact.
func mirroredName(doc *Document, exact bool) string {
	if exact {
		return doc.Name
	}
	return doc.Name + " [" + fingerprint(doc.Content) + "]"
}

// documentName returns the name of the document a row Mirror wrote
// belongs to: the row's name without its fingerprint. A name without one
// is returned as it is.
func documentName(rowName string) string {
	const suffix = len(" [") + fingerprintLen + len("]")
	if len(rowName) <= suffix || !strings.HasSuffix(rowName, "]") || rowName[len(rowName)-suffix:len(rowName)-suffix+2] != " [" {
		return rowName
	}
	for _, c := range rowName[len(rowName)-suffix+2 : len(rowName)-1] {
		if (c < '0' || c > '9') && (c < 'a' || c > 'f') {
			return rowName
		}
	}
	return rowName[:len(rowName)-suffix]
}

package botuj

import (
	"bytes"
	"encoding/json"
	"strconv"
)

// metaKind is what a metadata key tells.
type metaKind int

const (
	metaTotal metaKind = iota + 1
	metaPage
	metaPerPage
	metaLastPage
	metaHasMore
	metaNext   // a link or number of the next page: its presence means more
	metaNested // an object holding more metadata
)

// metaKeys are the paging keys read beside a list, in the spellings common
// paginators use (Laravel, Django REST framework, hand-written APIs). The
// API documents none of them.
var metaKeys = map[string]metaKind{
	"total": metaTotal, "total_count": metaTotal, "totalCount": metaTotal,
	"page": metaPage, "current_page": metaPage, "currentPage": metaPage,
	"per_page": metaPerPage, "perPage": metaPerPage, "page_size": metaPerPage, "pageSize": metaPerPage,
	"last_page": metaLastPage, "lastPage": metaLastPage, "total_pages": metaLastPage, "totalPages": metaLastPage,
	"has_more": metaHasMore, "hasMore": metaHasMore, "has_next": metaHasMore, "hasNext": metaHasMore,
	"next": metaNext, "next_page_url": metaNext, "nextPageUrl": metaNext,
	"meta": metaNested, "pagination": metaNested, "links": metaNested,
}

// metaReader collects metadata members.
type metaReader struct {
	meta pageMeta
	next *bool // from a next link, used when no has_more says otherwise
}

// member reads one member; nested says whether an object of further
// metadata may be opened (one level only).
func (m *metaReader) member(key string, raw json.RawMessage, nested bool) {
	raw = bytes.TrimSpace(raw)
	switch metaKeys[key] {
	case metaTotal:
		setCount(&m.meta.Total, raw)
	case metaPage:
		setCount(&m.meta.Page, raw)
	case metaPerPage:
		setCount(&m.meta.PerPage, raw)
	case metaLastPage:
		setCount(&m.meta.LastPage, raw)
	case metaHasMore:
		if b, ok := readBool(raw); ok {
			m.meta.HasMore = &b
		}
	case metaNext:
		if b, ok := readNext(raw); ok {
			m.next = &b
		}
	case metaNested:
		if nested && len(raw) > 0 && raw[0] == '{' {
			_ = eachMember(raw, func(k string, v json.RawMessage) { m.member(k, v, false) })
		}
	}
}

// result returns the metadata read.
func (m *metaReader) result() pageMeta {
	out := m.meta
	if out.HasMore == nil {
		out.HasMore = m.next
	}
	return out
}

// mergeMeta fills what inner (the envelope closest to the list) left
// unset from outer.
func mergeMeta(inner, outer pageMeta) pageMeta {
	fill := func(dst *int, src int) {
		if *dst == 0 {
			*dst = src
		}
	}
	fill(&inner.Total, outer.Total)
	fill(&inner.Page, outer.Page)
	fill(&inner.PerPage, outer.PerPage)
	fill(&inner.LastPage, outer.LastPage)
	if inner.HasMore == nil {
		inner.HasMore = outer.HasMore
	}
	return inner
}

// setCount stores a non-negative integer sent as a JSON number or as a
// string holding one; other values leave dst alone.
func setCount(dst *int, raw json.RawMessage) {
	s := string(raw)
	if len(raw) > 0 && raw[0] == '"' {
		if json.Unmarshal(raw, &s) != nil {
			return
		}
	}
	if n, err := strconv.Atoi(s); err == nil && n >= 0 {
		*dst = n
	}
}

// readBool reads a JSON boolean.
func readBool(raw json.RawMessage) (bool, bool) {
	switch string(raw) {
	case "true":
		return true, true
	case "false":
		return false, true
	}
	return false, false
}

// readNext reads a next-page pointer: a non-empty link or a positive page
// number means there is more; null, "" or false mean there is not.
func readNext(raw json.RawMessage) (bool, bool) {
	switch {
	case len(raw) == 0:
		return false, false
	case string(raw) == "null" || string(raw) == `""` || string(raw) == "false":
		return false, true
	case raw[0] == '"':
		return true, true
	}
	if n, err := strconv.Atoi(string(raw)); err == nil {
		return n > 0, true
	}
	return false, false
}

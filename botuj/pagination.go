package botuj

import (
	"context"
	"iter"

	"github.com/chatbot-sdk/chatbot-go/internal/page"
)

// ErrPageRepeated ends a ListAll whose server sent the same page twice (the
// same first and last item ids as the page before): a server that ignores
// the page parameter would otherwise be read for ever. Match it with
// errors.Is.
var ErrPageRepeated error = page.ErrPageRepeated

// Pagination is what a page tells about its place in the list. The API
// documents no paging metadata, so only Page and Limit are always set
// (from the request when the server did not say); the rest is what the
// response envelope carried, if anything.
type Pagination struct {
	// Page is the page's number, from 1: the server's when it said, else
	// the one asked for.
	Page int
	// Limit is the page size: the server's when it said, else the one
	// asked for (DefaultPageLimit when ListParams.Limit was 0).
	Limit int
	// Total counts the items of the whole list; 0 when the server did not
	// say.
	Total int
	// LastPage is the number of the last page; 0 when the server did not
	// say.
	LastPage int
	// HasMore is the server's word on whether a later page exists (a
	// has_more flag or a next link); nil when it did not say.
	HasMore *bool
}

// Page is one page of a list: ConversationPage or MessagePage.
type Page[T any] struct {
	// Items are the page's items in the server's order; never nil, and
	// empty past the end of the list.
	Items []T
	Pagination
}

// More reports whether a later page may hold items: not after an empty
// page, a page shorter than its Limit, or a page the server's paging
// metadata calls the last. It is the rule ListAll stops by, for a caller
// who pages with List.
func (p *Page[T]) More() bool { return p.Pagination.more(len(p.Items)) }

// pagination completes the metadata a page carried with what q asked for.
func (m pageMeta) pagination(q ListParams) Pagination {
	p := Pagination{Page: m.Page, Limit: m.PerPage, Total: m.Total, LastPage: m.LastPage, HasMore: m.HasMore}
	if p.Page == 0 {
		p.Page = max(q.Page, 1)
	}
	if p.Limit == 0 {
		p.Limit = q.Limit
	}
	if p.Limit == 0 {
		p.Limit = DefaultPageLimit
	}
	return p
}

// saysMore is the metadata's word on whether a later page exists, read
// from HasMore, else LastPage, else Total; nil when there is none.
func (p Pagination) saysMore() *bool {
	var more bool
	switch {
	case p.HasMore != nil:
		return p.HasMore
	case p.LastPage > 0:
		more = p.Page < p.LastPage
	case p.Total > 0:
		pages := p.Total / p.Limit // Limit is at least 1: pagination fills it in
		if p.Total%p.Limit != 0 {
			pages++
		}
		more = p.Page < pages
	default:
		return nil
	}
	return &more
}

// more reports whether a later page may hold items, for a page of n
// items: not after an empty or short page, nor when the metadata says no.
func (p Pagination) more(n int) bool {
	if n == 0 || n < p.Limit {
		return false
	}
	if m := p.saysMore(); m != nil {
		return *m
	}
	return true
}

// listAll walks a list from params.Page (1 when 0) with params.Limit items
// a page (DefaultPageLimit when 0), asking for each page with fetch once
// the caller has consumed the one before. id tells items apart, to see a
// page come back twice.
func listAll[T any](ctx context.Context, label string, params *ListParams, id func(T) ID, fetch func(context.Context, ListParams) (*Page[T], error)) iter.Seq2[T, error] {
	q := params.orZero()
	if q.Limit == 0 {
		// Asked for explicitly: if the server's default ever shrank, a full
		// page would look short and end the walk early.
		q.Limit = DefaultPageLimit
	}
	if err := q.check(); err != nil {
		return page.Fail[T](err)
	}
	first := max(q.Page, 1)
	itemID := func(t T) string { return id(t).String() }
	return page.Label(label, page.Pages(ctx, q.Limit, itemID, func(ctx context.Context, n int) (page.NumberedPage[T], error) {
		pq := q
		pq.Page = first + n - 1
		p, err := fetch(ctx, pq)
		if err != nil {
			return page.NumberedPage[T]{}, err
		}
		return page.NumberedPage[T]{Items: p.Items, HasMore: p.saysMore()}, nil
	}))
}

// orZero returns a copy of p, or the zero ListParams for nil.
func (p *ListParams) orZero() ListParams {
	if p == nil {
		return ListParams{}
	}
	return *p
}

package chatbot

import (
	"context"
	"iter"

	"github.com/chatbot-sdk/chatbot-go/internal/page"
)

// ListParams selects one page of a Chat Thing list.
type ListParams struct {
	// Limit is the page size, 1..100; 0 lets the server use its default (10).
	Limit int `json:"limit,omitempty"`
	// Cursor is the Pagination.Last of the previous page; "" for the first.
	Cursor string `json:"cursor,omitempty"`
}

// Pagination is the paging information of a Chat Thing list response.
type Pagination struct {
	// Total is the number of items the whole list holds.
	Total int `json:"total"`
	// Last is the cursor for the next page. Treat it as opaque: the
	// documented example does not match the last item's ID.
	Last string `json:"last"`
}

func (p *ListParams) orZero() ListParams {
	if p == nil {
		return ListParams{}
	}
	return *p
}

// onePage is a list response: its items and its pagination.
type onePage[T any] interface {
	items() ([]T, Pagination)
}

func (p *ConversationPage) items() ([]Conversation, Pagination) { return p.Conversations, p.Pagination }
func (p *MessagePage) items() ([]Message, Pagination)           { return p.Messages, p.Pagination }
func (p *DataSourcePage) items() ([]DataSource, Pagination)     { return p.DataSources, p.Pagination }
func (p *RowPage) items() ([]Row, Pagination)                   { return p.Rows, p.Pagination }

// identified is an item with an ID, which the pager uses to see a server
// hand back items it already gave.
type identified interface{ itemID() string }

func (c Conversation) itemID() string { return c.ID }
func (m Message) itemID() string      { return m.ID }
func (d DataSource) itemID() string   { return d.ID }
func (r Row) itemID() string          { return r.ID }

// listAll turns a one-page list call into the shared lazy cursor pager.
// Each range over the sequence gets its own copy of params, so a sequence
// may be ranged again, or by several goroutines at once.
func listAll[T identified, P onePage[T]](ctx context.Context, params *ListParams, list func(context.Context, *ListParams) (P, error)) iter.Seq2[T, error] {
	start := params.orZero()
	return func(yield func(T, error) bool) {
		p := start
		page.Label("chatbot: ListAll", page.Cursor(ctx, p.Cursor, T.itemID, func(ctx context.Context, cursor string) (page.CursorPage[T], error) {
			p.Cursor = cursor
			res, err := list(ctx, &p)
			if err != nil {
				return page.CursorPage[T]{}, err
			}
			items, pg := res.items()
			return page.CursorPage[T]{Items: items, Total: pg.Total, Next: pg.Last}, nil
		}))(yield)
	}
}

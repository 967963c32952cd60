package chatbottest

import (
	"errors"
	"sort"
)

// ctListParams is the paging part of every list request body: "limit"
// (1..100, default 10) and "cursor" (the previous page's pagination.last).
type ctListParams struct {
	Limit  *int    `json:"limit"`
	Cursor *string `json:"cursor"`
}

// ctPagination is the documented "pagination" object.
type ctPagination struct {
	// Total counts the whole list, not the page.
	Total int `json:"total"`
	// Last is the ID of the page's last item, the next page's cursor; ""
	// for an empty page.
	Last string `json:"last"`
}

// ctListed is a stored object that can appear in a list: its ID and its
// creation number, which orders every list.
type ctListed interface{ ref() (id string, seq int) }

// ctPage returns the page of items (kept in creation order, oldest first)
// that follows p's cursor. A cursor is an item ID; it keeps working after
// its item is deleted, and one the server never issued is a 400.
func ctPage[T ctListed](s *chatThingState, items []T, p ctListParams) ([]T, ctPagination, error) {
	limit := 10
	if p.Limit != nil {
		limit = *p.Limit
	}
	if limit < 1 || limit > 100 {
		return nil, ctPagination{}, errors.New("limit must be between 1 and 100")
	}
	start := 0
	if p.Cursor != nil && *p.Cursor != "" {
		after, ok := s.order[*p.Cursor]
		if !ok {
			return nil, ctPagination{}, errors.New("unknown cursor")
		}
		start = sort.Search(len(items), func(i int) bool {
			_, seq := items[i].ref()
			return seq > after
		})
	}
	end := min(start+limit, len(items))
	pageItems := items[start:end]
	pg := ctPagination{Total: len(items)}
	if len(pageItems) > 0 {
		pg.Last, _ = pageItems[len(pageItems)-1].ref()
	}
	return pageItems, pg, nil
}

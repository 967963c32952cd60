package chatbot

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

package botuj

import "fmt"

// Page sizes the API documents for both of its lists.
const (
	// DefaultPageLimit is the page size the server uses when
	// ListParams.Limit is 0.
	DefaultPageLimit = 20
	// MaxPageLimit is the largest page size the API accepts. A page
	// holding more items than this is rejected as a decoding error.
	MaxPageLimit = 100
)

// ListParams selects one page of conversations or of a conversation's
// messages. The zero value asks for the first page at the server's default
// size.
type ListParams struct {
	// Page is the page number, counted from 1; 0 means 1.
	Page int `url:"page,omitempty"`
	// Limit is the page size, 1..MaxPageLimit; 0 means the server's default
	// (DefaultPageLimit). The API calls it per_page.
	Limit int `url:"per_page,omitempty"`
}

// check rejects values the API does not document, before any request: a
// negative page, and a page size above the documented maximum (the
// server's answer to one is unknown).
func (p *ListParams) check() error {
	if p == nil {
		return nil
	}
	switch {
	case p.Page < 0:
		return check.Invalid("Page", "must not be negative (pages count from 1; 0 means 1)")
	case p.Limit < 0 || p.Limit > MaxPageLimit:
		return check.Invalid("Limit", fmt.Sprintf(
			"must be between 1 and %d (0 for the server's default of %d)", MaxPageLimit, DefaultPageLimit))
	}
	return nil
}

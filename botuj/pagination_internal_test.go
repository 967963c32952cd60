package botuj

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestPaginationFillsWhatTheServerLeftOut(t *testing.T) {
	assert.Equal(t, Pagination{Page: 1, Limit: DefaultPageLimit}, pageMeta{}.pagination(ListParams{}))
	assert.Equal(t, Pagination{Page: 4, Limit: 30}, pageMeta{}.pagination(ListParams{Page: 4, Limit: 30}))
	yes := true
	got := pageMeta{Total: 9, Page: 2, PerPage: 5, LastPage: 2, HasMore: &yes}.pagination(ListParams{Page: 7, Limit: 50})
	assert.Equal(t, Pagination{Page: 2, Limit: 5, Total: 9, LastPage: 2, HasMore: &yes}, got, "the server's word wins")
}

func TestPaginationMore(t *testing.T) {
	yes, no := true, false
	cases := []struct {
		name string
		p    Pagination
		n    int
		want bool
	}{
		{"full page, no metadata", Pagination{Page: 1, Limit: 10}, 10, true},
		{"short page", Pagination{Page: 1, Limit: 10}, 9, false},
		{"empty page", Pagination{Page: 1, Limit: 10, HasMore: &yes}, 0, false},
		{"short page beats has_more", Pagination{Page: 1, Limit: 10, HasMore: &yes}, 3, false},
		{"has_more false", Pagination{Page: 1, Limit: 10, HasMore: &no, LastPage: 9}, 10, false},
		{"has_more true beats last_page", Pagination{Page: 9, Limit: 10, HasMore: &yes, LastPage: 9}, 10, true},
		{"before the last page", Pagination{Page: 2, Limit: 10, LastPage: 3}, 10, true},
		{"on the last page", Pagination{Page: 3, Limit: 10, LastPage: 3}, 10, false},
		{"total reached", Pagination{Page: 3, Limit: 10, Total: 30}, 10, false},
		{"total not reached", Pagination{Page: 3, Limit: 10, Total: 31}, 10, true},
		{"huge page number", Pagination{Page: 1 << 62, Limit: 100, Total: 1000}, 100, false},
	}
	for _, tc := range cases {
		assert.Equal(t, tc.want, tc.p.more(tc.n), tc.name)
	}
	assert.Nil(t, Pagination{Page: 1, Limit: 10}.saysMore(), "no metadata, no word")
}

func TestDecodeBodyWantsAListTarget(t *testing.T) {
	var out []Conversation
	err := decodeBody("Conversations.List", []byte(`[]`), &out)
	assert.EqualError(t, err, "botuj: no decoder for *[]botuj.Conversation")

	page := listBody[Message]{key: "messages"}
	assert.NoError(t, decodeBody("Messages.List", []byte(`{"messages":[{"id":3}],"total":"1"}`), &page))
	assert.Equal(t, []Message{{ID: 3}}, page.items)
	assert.Equal(t, 1, page.meta.Total)
}

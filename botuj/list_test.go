package botuj

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The documented items, compacted, for building envelopes.
const (
	convA = `{"id":7202,"type":"freeshot","count":10,"sessionid":"tC4lQY781a207d-8ca7-44e5-9939-03d18e9a99a8","firstUserMessage":"Hej","firstBotMessage":"{\"message\":\"Hej! W czym moge Ci dzisiaj pomoc\"}","createdOn":"2024-06-23T11:34:35.397713Z"}`
	convB = `{"id":7203,"type":"freeshot","count":2,"sessionid":"s","firstUserMessage":"Cześć","firstBotMessage":"{\"message\":\"Dzień dobry\"}","createdOn":"2024-06-23T12:00:00.000001Z"}`
	msgA  = `{"id":10906,"message":"Who are you","userId":"781a207d-8ca7-44e5-9939-03d18e9a99a8","isUser":true,"type":"freeshot","createdOn":"2024-06-23T11:58:10.169778Z"}`
	msgB  = `{"id":10907,"message":"Jestem botem","userId":null,"isUser":false,"type":"freeshot","createdOn":"2024-06-23T11:58:11.000002Z"}`
)

func ptr[T any](v T) *T { return &v }

func TestDecodeListShapes(t *testing.T) {
	cases := []struct {
		name string
		body string
		ids  []ID
		meta pageMeta
	}{
		{"bare array", `[` + convA + `,` + convB + `]`, []ID{7202, 7203}, pageMeta{}},
		{"empty array", `[]`, []ID{}, pageMeta{}},
		{"null", `null`, []ID{}, pageMeta{}},
		{"surrounding whitespace", " \n\t[" + convA + "]\r\n", []ID{7202}, pageMeta{}},
		{"data", `{"data":[` + convA + `]}`, []ID{7202}, pageMeta{}},
		{"items", `{"items":[` + convA + `,` + convB + `]}`, []ID{7202, 7203}, pageMeta{}},
		{"results", `{"results":[` + convB + `]}`, []ID{7203}, pageMeta{}},
		{"resource key", `{"conversations":[` + convA + `]}`, []ID{7202}, pageMeta{}},
		{"key holding null", `{"data":null,"total":0}`, []ID{}, pageMeta{}},
		{"key holding an empty array", `{"data":[],"page":3,"per_page":20,"total":40}`, []ID{}, pageMeta{Page: 3, PerPage: 20, Total: 40}},
		{"null beside a list", `{"items":null,"data":[` + convA + `]}`, []ID{7202}, pageMeta{}},
		{"repeated key: last wins", `{"data":[` + convA + `],"data":[` + convB + `]}`, []ID{7203}, pageMeta{}},
		{"snake_case metadata", `{"data":[` + convA + `],"total":41,"page":2,"per_page":20,"last_page":3,"has_more":true}`,
			[]ID{7202}, pageMeta{Total: 41, Page: 2, PerPage: 20, LastPage: 3, HasMore: ptr(true)}},
		{"camelCase metadata", `{"items":[` + convA + `],"totalCount":5,"currentPage":1,"pageSize":1,"totalPages":5,"hasMore":false}`,
			[]ID{7202}, pageMeta{Total: 5, Page: 1, PerPage: 1, LastPage: 5, HasMore: ptr(false)}},
		{"Laravel paginator", `{"current_page":1,"data":[` + convA + `],"last_page":4,"per_page":1,"total":4,"next_page_url":"https://botuj.pl/v1/api/conversations?page=2"}`,
			[]ID{7202}, pageMeta{Total: 4, Page: 1, PerPage: 1, LastPage: 4, HasMore: ptr(true)}},
		{"Laravel resource", `{"data":[` + convA + `],"links":{"next":null},"meta":{"current_page":2,"last_page":2,"per_page":1,"total":2}}`,
			[]ID{7202}, pageMeta{Total: 2, Page: 2, PerPage: 1, LastPage: 2, HasMore: ptr(false)}},
		{"DRF page: count is not read as a total", `{"count":2,"next":null,"previous":null,"results":[` + convA + `,` + convB + `]}`,
			[]ID{7202, 7203}, pageMeta{HasMore: ptr(false)}},
		{"next page number", `{"data":[` + convA + `],"next":3}`, []ID{7202}, pageMeta{HasMore: ptr(true)}},
		{"has_more wins over next", `{"data":[` + convA + `],"next":"x","has_more":false}`, []ID{7202}, pageMeta{HasMore: ptr(false)}},
		{"pagination object", `{"conversations":[` + convA + `],"pagination":{"page":1,"per_page":50,"total":1}}`,
			[]ID{7202}, pageMeta{Page: 1, PerPage: 50, Total: 1}},
		{"numbers as strings", `{"data":[` + convA + `],"total":"12","page":"1"}`, []ID{7202}, pageMeta{Total: 12, Page: 1}},
		{"odd metadata is dropped", `{"data":[` + convA + `],"total":-1,"page":1.5,"per_page":"x","last_page":null,"has_more":"yes","next":{}}`,
			[]ID{7202}, pageMeta{}},
		{"metadata nested only one level", `{"data":[` + convA + `],"meta":{"meta":{"total":9},"pagination":{"total":8}}}`, []ID{7202}, pageMeta{}},
		{"wrapped paginator", `{"success":true,"data":{"data":[` + convA + `,` + convB + `],"total":2,"page":1},"page":9,"per_page":20}`,
			[]ID{7202, 7203}, pageMeta{Total: 2, Page: 1, PerPage: 20}},
		{"wrapped null", `{"data":{"items":null}}`, []ID{}, pageMeta{}},
		{"single item", convA, []ID{7202}, pageMeta{}},
		{"single item under data", `{"data":` + convA + `,"total":1}`, []ID{7202}, pageMeta{Total: 1}},
		{"single item with an unknown envelope-like key", `{"id":7202,"total":3,"count":1}`, []ID{7202}, pageMeta{}},
		{"object with id and a list key is an envelope", `{"id":99,"data":[` + convB + `]}`, []ID{7203}, pageMeta{}},
		{"exactly the maximum", `[` + strings.Repeat(convA+`,`, MaxPageLimit-1) + convA + `]`, nil, pageMeta{}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			items, meta, err := decodeList[Conversation]([]byte(tc.body), "conversations")
			require.NoError(t, err)
			require.NotNil(t, items, "an empty page is an empty slice, not nil")
			if tc.ids == nil {
				assert.Len(t, items, MaxPageLimit)
			} else {
				ids := make([]ID, len(items))
				for i, c := range items {
					ids[i] = c.ID
				}
				assert.Equal(t, tc.ids, ids)
			}
			assert.Equal(t, tc.meta, meta)
		})
	}
}

// TestDecodeListItemsFully checks that items inside an envelope decode
// with every field, not just their ids.
func TestDecodeListItemsFully(t *testing.T) {
	msgs, _, err := decodeList[Message]([]byte(`{"messages":[`+msgA+`,`+msgB+`]}`), "messages")
	require.NoError(t, err)
	require.Len(t, msgs, 2)
	assert.Equal(t, Message{
		ID: 10906, Message: "Who are you", UserID: "781a207d-8ca7-44e5-9939-03d18e9a99a8", IsUser: true,
		Type: TypeFreeshot, CreatedOn: Time{Time: msgs[0].CreatedOn.Time, Raw: "2024-06-23T11:58:10.169778Z"},
	}, msgs[0])
	assert.Equal(t, 169778000, msgs[0].CreatedOn.Nanosecond())
	assert.Equal(t, ID(10907), msgs[1].ID)
	assert.Equal(t, "Jestem botem", msgs[1].Message)
	assert.Empty(t, msgs[1].UserID, "a null userId is empty")
	assert.False(t, msgs[1].IsUser)
	assert.Equal(t, 2000, msgs[1].CreatedOn.Nanosecond())

	convs, _, err := decodeList[Conversation]([]byte(`[`+convB+`]`), "conversations")
	require.NoError(t, err)
	require.Len(t, convs, 1)
	assert.Equal(t, "Cześć", convs[0].FirstUserMessage)
	assert.Equal(t, "Dzień dobry", convs[0].FirstBotText())
	assert.Equal(t, 2, convs[0].Count)
}

// TestDecodeListResourceKeys checks that a resource's own key is accepted
// only for that resource: a conversation that carries its messages is a
// single conversation, not a page of them.
func TestDecodeListResourceKeys(t *testing.T) {
	body := []byte(`{"id":7202,"count":2,"messages":[` + msgA + `,` + msgB + `]}`)
	convs, _, err := decodeList[Conversation](body, "conversations")
	require.NoError(t, err)
	require.Len(t, convs, 1)
	assert.Equal(t, ID(7202), convs[0].ID)

	msgs, _, err := decodeList[Message](body, "messages")
	require.NoError(t, err)
	require.Len(t, msgs, 2)
	assert.Equal(t, ID(10906), msgs[0].ID)

	_, _, err = decodeList[Message]([]byte(`{"conversations":[`+convA+`]}`), "messages")
	assert.ErrorIs(t, err, errNotList)
}

func TestDecodeListFailures(t *testing.T) {
	tooMany := `[` + strings.Repeat(msgA+`,`, MaxPageLimit) + msgA + `]`
	cases := []struct {
		name    string
		body    string
		is      error
		message string
	}{
		{"empty body", ``, errEmptyBody, "empty response body: want a JSON array or object"},
		{"blank body", " \n ", errEmptyBody, "empty response body"},
		{"invalid JSON", `[{"id":1}`, nil, "invalid JSON: unexpected end of JSON input"},
		{"HTML", `<html>oops</html>`, nil, "invalid JSON: invalid character '<'"},
		{"trailing data", `[] []`, nil, "invalid JSON: invalid character '['"},
		{"string", `"hello"`, errNotList, "the body is a JSON string; want an array, an object or null"},
		{"number", `42`, errNotList, "the body is a JSON number"},
		{"boolean", `true`, errNotList, "the body is a JSON boolean"},
		{"empty object", `{}`, errNotList, `the body is an object with no "id" and none of the keys "data", "items", "results" or "messages"`},
		{"error object", `{"message":"Unauthorized"}`, errNotList, `no "id"`},
		{"metadata only", `{"total":0,"page":1}`, errNotList, `no "id"`},
		{"list key holding a string", `{"data":"none"}`, errNotList, `"data" is a JSON string`},
		{"list key holding a number", `{"items":0}`, errNotList, `"items" is a JSON number`},
		{"two list keys", `{"data":[],"items":[]}`, errAmbiguousList, `the body has both "data" and "items"`},
		{"two list keys, one nested", `{"data":{"items":[],"results":[]}}`, errAmbiguousList, `"data" has both "items" and "results"`},
		{"nested too deep", `{"data":{"data":{"data":[]}}}`, errTooDeep, "more than 2 objects wrap it"},
		{"nested object without a list", `{"data":{"total":1}}`, errNotList, `"data" is an object with no "id"`},
		{"too many items", tooMany, errTooManyItems, "more than 100"},
		{"too many items in an envelope", `{"data":` + tooMany + `,"total":101}`, errTooManyItems, "more than 100"},
		{"bad item", `[` + msgA + `,{"id":"x"}]`, nil, "item 1: botuj: id is a 1-byte string that is not a 64-bit integer"},
		{"item not an object", `[` + msgA + `,"text"]`, nil, "item 1: json: cannot unmarshal string"},
		{"bad single item", `{"id":1.5}`, nil, "single item: botuj: id is a number that is not a 64-bit integer"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			items, meta, err := decodeList[Message]([]byte(tc.body), "messages")
			require.Error(t, err)
			assert.Nil(t, items)
			assert.Equal(t, pageMeta{}, meta)
			if tc.is != nil {
				assert.ErrorIs(t, err, tc.is)
			}
			assert.Contains(t, err.Error(), tc.message)
		})
	}
}

// TestDecodeListStopsAtTheLimit checks that an oversized page is refused
// after MaxPageLimit items, whatever follows: the 101st item is not even
// valid for the item type.
func TestDecodeListStopsAtTheLimit(t *testing.T) {
	body := `[` + strings.Repeat(`{"id":1},`, MaxPageLimit) + `{"id":"not a number"}]`
	_, _, err := decodeList[Message]([]byte(body), "messages")
	assert.ErrorIs(t, err, errTooManyItems)
}

func TestListKeyNames(t *testing.T) {
	assert.Equal(t, "", listKeyNames(nil))
	assert.Equal(t, `"data"`, listKeyNames([]string{"data"}))
	assert.Equal(t, `"a" or "b"`, listKeyNames([]string{"a", "b"}))
	assert.Equal(t, `"a", "b" or "c"`, listKeyNames([]string{"a", "b", "c"}))
}

// TestDecodeListDoesNotShareKeys checks that the resource keys of one call
// never leak into the shared list of common keys.
func TestDecodeListDoesNotShareKeys(t *testing.T) {
	_, _, err := decodeList[Message]([]byte(`{"messages":[]}`), "messages")
	require.NoError(t, err)
	assert.Equal(t, []string{"data", "items", "results"}, commonListKeys)
	_, _, err = decodeList[Message]([]byte(`{"messages":[]}`))
	assert.ErrorIs(t, err, errNotList, fmt.Sprint(commonListKeys))
}

func TestDecodeListFromRawMessage(t *testing.T) {
	// The generic item type is not limited to the package's own.
	items, _, err := decodeList[json.RawMessage]([]byte(`[1,"a",null]`))
	require.NoError(t, err)
	assert.Equal(t, []json.RawMessage{json.RawMessage(`1`), json.RawMessage(`"a"`), json.RawMessage(`null`)}, items)
}

package aimylogic_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/chatbot-sdk/chatbot-go/aimylogic"
	"github.com/chatbot-sdk/chatbot-go/internal/testkit"
)

// historyPage is a history answer holding the messages numbered from to
// to-1 and, when total > 0, that totalCount.
func historyPage(from, to, total int) testkit.Reply {
	msgs := make([]string, 0, to-from)
	for i := from; i < to; i++ {
		msgs = append(msgs, `{"questionId":"`+strconv.Itoa(i)+`","author":"BOT","timestamp":"2024-06-03T15:30:00Z"}`)
	}
	list := "[" + strings.Join(msgs, ",") + "]"
	if total <= 0 {
		return testkit.Reply{Body: list}
	}
	return testkit.Reply{Body: fmt.Sprintf(`{"totalCount":%d,"messages":%s}`, total, list)}
}

// historyAt is a history request of client "u" for limit messages from
// offset, with extra query parameters q.
func historyAt(limit, offset int, q url.Values, reply testkit.Reply) testkit.Exchange {
	v := url.Values{"limit": {strconv.Itoa(limit)}}
	for k, vs := range q {
		v[k] = vs
	}
	if offset > 0 {
		v.Set("offset", strconv.Itoa(offset))
	}
	return testkit.Exchange{Method: http.MethodGet, Path: root + "/client/u/history", Query: v, Reply: reply}
}

// listAll collects the question IDs ListAll yields for p, and its error.
func listAll(c *aimylogic.Client, p *aimylogic.HistoryParams) (ids []string, err error) {
	for m, err := range c.History.ListAll(context.Background(), p) {
		if err != nil {
			return ids, err
		}
		ids = append(ids, m.QuestionID)
	}
	return ids, nil
}

// numbered is "from" … "to-1".
func numbered(from, to int) []string {
	var out []string
	for i := from; i < to; i++ {
		out = append(out, strconv.Itoa(i))
	}
	return out
}

func TestHistoryListAllFollowsTheServersPageSize(t *testing.T) {
	// A server whose page is 20 messages whatever limit says (the names
	// limit and offset are the SDK's guess), but which gives totalCount:
	// each next offset counts what came, and the walk goes on to the total.
	const total = 45
	from := time.Unix(1700000000, 0)
	q := url.Values{"fromTimestamp": {"1700000000"}}
	c, srv := replay(t,
		historyAt(100, 0, q, historyPage(0, 20, total)),
		historyAt(100, 20, q, historyPage(20, 40, total)),
		historyAt(100, 40, q, historyPage(40, 45, total)),
	)
	ids, err := listAll(c, &aimylogic.HistoryParams{ClientID: "u", From: &from})
	require.NoError(t, err)
	assert.Len(t, ids, total, "ListAll yielded %d of totalCount %d", len(ids), total)
	assert.Equal(t, numbered(0, total), ids)
	assert.Len(t, srv.Requests(), 3)
}

func TestHistoryListAllCountsFromTheStartingOffset(t *testing.T) {
	c, _ := replay(t,
		historyAt(10, 5, nil, historyPage(5, 12, 20)),
		historyAt(10, 12, nil, historyPage(12, 20, 20)),
	)
	ids, err := listAll(c, &aimylogic.HistoryParams{ClientID: "u", Limit: 10, Offset: 5})
	require.NoError(t, err)
	assert.Equal(t, numbered(5, 20), ids, "totalCount counts the whole span, offset included")
}

func TestHistoryListAllStopsOnAnEmptyPage(t *testing.T) {
	// The total promised more, but the server has nothing past offset 3.
	c, srv := replay(t,
		historyAt(100, 0, nil, historyPage(0, 3, 10)),
		historyAt(100, 3, nil, historyPage(3, 3, 10)),
	)
	ids, err := listAll(c, &aimylogic.HistoryParams{ClientID: "u"})
	require.NoError(t, err)
	assert.Equal(t, numbered(0, 3), ids)
	assert.Len(t, srv.Requests(), 2)
}

func TestHistoryListAllWithoutTotalEndsOnAShortPage(t *testing.T) {
	c, srv := replay(t,
		historyAt(3, 0, nil, historyPage(0, 3, 0)),
		historyAt(3, 3, nil, historyPage(3, 5, 0)),
	)
	ids, err := listAll(c, &aimylogic.HistoryParams{ClientID: "u", Limit: 3})
	require.NoError(t, err)
	assert.Equal(t, numbered(0, 5), ids)
	assert.Len(t, srv.Requests(), 2)
}

func TestHistoryListAllStopsWhenTheServerIgnoresTheOffset(t *testing.T) {
	c, _ := replay(t,
		historyAt(2, 0, nil, historyPage(0, 2, 0)),
		historyAt(2, 2, nil, historyPage(0, 2, 0)),
	)
	ids, err := listAll(c, &aimylogic.HistoryParams{ClientID: "u", Limit: 2})
	require.Error(t, err)
	assert.Regexp(t, `^aimylogic: History.ListAll: .*the server sent the same page again at offset 2`, err.Error())
	assert.Equal(t, numbered(0, 2), ids)
}

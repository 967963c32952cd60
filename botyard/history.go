package botyard

import (
	"context"
	"fmt"
)

// maxPageHunts bounds how often oldestReader re-aims when messages keep
// arriving between its requests.
const maxPageHunts = 5

// oldestReader fetches, for page.After, the oldest size messages newer
// than a timestamp. The server counts pages from the newest end, so with
// the filtered total T known, page 2 with limit T-size is exactly the
// oldest size messages; when T is at most 2·size, page 1 with limit T is
// all of them. T is known only from a response: the reader guesses it from
// the previous page and asks again when the server's total shows that the
// guess was wrong (messages arrived meanwhile). With probeFirst, the first
// total comes from a request for no message at all (limit=0), rather than
// from a page that would be thrown away.
//
// page.After asks for each next page from just below the last timestamp,
// so a page whose messages all share one millisecond would bring nothing
// new next time. The reader widens such a page instead (up to
// MaxPageLimit) until it reaches a later timestamp.
type oldestReader struct {
	op         string // the SDK call, for errors
	fetchPage  func(ctx context.Context, chatID string, query any) (*MessagePage, error)
	chatID     string
	size       int
	senderID   string
	probeFirst bool // learn the first total with a totalProbe
	expect     int  // filtered total expected after the cursor; 0 = unknown
}

// totalProbe asks for the filtered total and no message (limit=0, which
// ListParams would leave out as a zero value).
type totalProbe struct {
	Limit    int    `url:"limit"`
	SenderID string `url:"sender_id,omitempty"`
	Since    int64  `url:"since,omitempty"`
}

func (o *oldestReader) fetch(ctx context.Context, after int64) ([]MessageItem, bool, error) {
	total, want := o.expect, o.size
	if total == 0 && o.probeFirst {
		o.probeFirst = false
		res, err := o.fetchPage(ctx, o.chatID, totalProbe{SenderID: o.senderID, Since: after})
		if err != nil {
			return nil, false, err
		}
		if res.Total == 0 {
			return nil, false, nil
		}
		total = res.Total
	}
	for hunt := 0; hunt <= maxPageHunts; {
		q := ListParams{Page: 1, Limit: want, SenderID: o.senderID, Since: after}
		switch {
		case total > 2*want:
			q.Page, q.Limit = 2, total-want
		case total > 0:
			q.Limit = total
		}
		res, err := o.fetchPage(ctx, o.chatID, q)
		if err != nil {
			return nil, false, err
		}
		switch {
		case q.Page == 1 && res.Total <= q.Limit:
			return res.Messages, false, nil // everything that is left
		case q.Page == 2 && res.Total == total:
			if tiedAtEnd(res.Messages) == len(res.Messages) && want < MaxPageLimit {
				want = min(2*want, MaxPageLimit)
				continue // one millisecond fills the page: widen it
			}
			// The messages sharing the last timestamp come again next time.
			o.expect = total - len(res.Messages) + tiedAtEnd(res.Messages)
			return res.Messages, true, nil
		}
		total = res.Total
		hunt++
	}
	return nil, false, fmt.Errorf("botyard: %s: chat %s changed during %d requests in a row", o.op, o.chatID, maxPageHunts+1)
}

// tiedAtEnd counts the messages at the end of items that share the last
// one's timestamp.
func tiedAtEnd(items []MessageItem) int {
	n := 0
	for i := len(items) - 1; i >= 0 && items[i].Timestamp == items[len(items)-1].Timestamp; i-- {
		n++
	}
	return n
}

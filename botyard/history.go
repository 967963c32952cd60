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
// guess was wrong (messages arrived meanwhile).
//
// page.After asks for each next page from just below the last timestamp,
// so a page whose messages all share one millisecond would bring nothing
// new next time. The reader widens such a page instead (up to
// MaxPageLimit) until it reaches a later timestamp.
type oldestReader struct {
	fetchPage func(context.Context, string, ListParams) (*MessagePage, error)
	chatID    string
	size      int
	senderID  string
	expect    int // filtered total expected after the cursor; 0 = unknown
}

func (o *oldestReader) fetch(ctx context.Context, after int64) ([]MessageItem, bool, error) {
	total, want := o.expect, o.size
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
	return nil, false, fmt.Errorf("botyard: Messages.All: chat %s changed during %d requests in a row", o.chatID, maxPageHunts+1)
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

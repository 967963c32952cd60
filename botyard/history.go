package botyard

import (
	"context"
	"fmt"
)

// maxPageHunts bounds how often oldestReader re-aims at the last page when
// messages keep arriving between its requests.
const maxPageHunts = 5

// oldestReader fetches, for page.After, the oldest page of messages newer
// than a timestamp. The server numbers pages from the newest end, so the
// oldest slice is the last page, ceil(total/limit). The total is known only
// from a response: the reader guesses the page from the previous total and
// re-asks when the server's total shows the guess was wrong.
type oldestReader struct {
	list   func(context.Context, string, *ListParams) (*MessagePage, error)
	chatID string
	params ListParams // Limit and SenderID; Since and Page are set per call
	expect int        // matching messages expected after the cursor; 0 = unknown
}

func (o *oldestReader) fetch(ctx context.Context, after int64) ([]MessageItem, bool, error) {
	p := o.params
	p.Since = after
	p.Page = lastPage(o.expect, p.Limit)
	for hunt := 0; ; hunt++ {
		res, err := o.list(ctx, o.chatID, &p)
		if err != nil {
			return nil, false, err
		}
		last := lastPage(res.Total, p.Limit)
		if p.Page == last {
			o.expect = res.Total - len(res.Messages)
			return res.Messages, last > 1, nil
		}
		if hunt == maxPageHunts {
			return nil, false, fmt.Errorf("botyard: Messages.All: chat %s changed during %d requests in a row", o.chatID, maxPageHunts+1)
		}
		p.Page = last
	}
}

// lastPage is the number of the page holding the oldest of total messages.
func lastPage(total, limit int) int {
	if total <= limit {
		return 1
	}
	return (total + limit - 1) / limit
}

package botyard

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
)

// TestOldestReaderGivesUpOnAChatThatKeepsChanging: when every answer shows
// a new total, the reader stops after maxPageHunts+1 requests and names
// the call.
func TestOldestReaderGivesUpOnAChatThatKeepsChanging(t *testing.T) {
	requests, total := 0, 100
	o := &oldestReader{op: "Messages.WaitForReplies", chatID: "c1", size: 10,
		fetchPage: func(context.Context, string, any) (*MessagePage, error) {
			requests++
			total += 5 // a busy chat: more every time
			return &MessagePage{Total: total}, nil
		}}
	items, more, err := o.fetch(context.Background(), 1795433002500)
	assert.EqualError(t, err, "botyard: Messages.WaitForReplies: chat c1 changed during 6 requests in a row")
	assert.Empty(t, items)
	assert.False(t, more)
	assert.Equal(t, maxPageHunts+1, requests)
}

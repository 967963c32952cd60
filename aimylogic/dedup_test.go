package aimylogic

import (
	"encoding/json"
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
)

// timedEvent is an event with payload body at t (no timestamp when t is
// zero).
func timedEvent(body string, t time.Time) *Event {
	return &Event{Type: "widgetState", Payload: json.RawMessage(body), Timestamp: Time{Time: t}}
}

func TestDedupForgetsTimedEventsBeforeTS(t *testing.T) {
	t1 := time.Date(2024, 6, 3, 15, 30, 0, 1e6, time.UTC)
	t2 := t1.Add(500 * time.Microsecond) // the same millisecond as t1
	t3 := t1.Add(time.Millisecond)
	var d dedup
	assert.True(t, d.fresh(timedEvent(`{"a":1}`, t1)))
	assert.True(t, d.fresh(timedEvent(`{"a":1}`, t3)), "the same content later is another event")
	assert.False(t, d.fresh(timedEvent(`{"a":1}`, t1)))
	d.endPoll(t2)
	assert.False(t, d.fresh(timedEvent(`{"a":1}`, t1)), "TS is sent in ms: the start of t2's millisecond comes again")
	d.endPoll(t3)
	assert.Len(t, d.timed.at, 1)
	assert.False(t, d.fresh(timedEvent(`{"a":1}`, t3)))
}

func TestDedupComparesUntimedEventsWithThePreviousPoll(t *testing.T) {
	var d dedup
	a, b := timedEvent(`{"a":1}`, time.Time{}), timedEvent(`{"b":1}`, time.Time{})
	assert.True(t, d.fresh(a))
	assert.False(t, d.fresh(a), "the same poll holds it twice")
	d.endPoll(time.Time{})
	d.endPoll(time.Time{}) // a poll that brought nothing says nothing of repeats
	assert.False(t, d.fresh(a), "the previous poll that brought events held it")
	d.endPoll(time.Time{})
	assert.True(t, d.fresh(b))
	d.endPoll(time.Time{})
	assert.True(t, d.fresh(a), "not in the previous poll: a new event")
}

func TestDedupMemoryIsBounded(t *testing.T) {
	// A server that sends ever more distinct events at one millisecond
	// (which TS never passes) cannot make the memory grow.
	at := time.Date(2024, 6, 3, 15, 30, 0, 0, time.UTC)
	var d dedup
	for i := range 3 * maxRecentKeys {
		assert.True(t, d.fresh(timedEvent(fmt.Sprintf(`{"n":%d}`, i), at)))
		if i%MaxEvents == 0 {
			d.endPoll(at)
		}
	}
	assert.Len(t, d.timed.at, maxRecentKeys)
	assert.Len(t, d.timed.order, maxRecentKeys)
	assert.False(t, d.fresh(timedEvent(fmt.Sprintf(`{"n":%d}`, 3*maxRecentKeys-1), at)), "the latest are kept")
}

package aimylogic_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	chatbot "github.com/chatbot-sdk/chatbot-go"
	"github.com/chatbot-sdk/chatbot-go/aimylogic"
	"github.com/chatbot-sdk/chatbot-go/internal/testkit"
)

// base is the moment the scripted events start from.
var base = time.Date(2024, 6, 3, 15, 30, 0, 0, time.UTC)

// at is the n-th millisecond after base.
func at(n int) time.Time { return base.Add(time.Duration(n) * time.Millisecond) }

// ts is the events "ts" for the n-th millisecond after base.
func ts(n int) string { return aimylogic.FormatTS(at(n)) }

// event is a botResponse event with question ID id at the n-th
// millisecond after base, as the server writes it.
func event(id string, n int) string {
	return fmt.Sprintf(`{"type":"botResponse","event":{"questionId":%q,"timestamp":%q,"data":{"answer":%q}}}`,
		id, at(n).Format("2006-01-02T15:04:05.000"), "answer "+id)
}

// events is a poll's body holding evs.
func events(evs ...string) testkit.Reply {
	return testkit.Reply{Body: `{"events":[` + strings.Join(evs, ",") + `]}`}
}

// poll is an events poll of client "test" with ts (none when "").
func poll(tsValue string, reply testkit.Reply) testkit.Exchange {
	q := url.Values{"clientId": {"test"}}
	if tsValue != "" {
		q.Set("ts", tsValue)
	}
	return testkit.Exchange{Method: http.MethodGet, Path: root + "/events", Query: q, Reply: reply}
}

// collect ranges over seq, returning the IDs of the events it yields
// until stop reports true for one, and the first error.
func collect(seq func(func(aimylogic.Event, error) bool), stop func(aimylogic.Event) bool) (ids []string, got []aimylogic.Event, err error) {
	for e, err := range seq {
		if err != nil {
			return ids, got, err
		}
		ids = append(ids, e.QuestionID)
		got = append(got, e)
		if stop(e) {
			break
		}
	}
	return ids, got, nil
}

func TestFollowAdvancesTSAndYieldsEachEventOnce(t *testing.T) {
	srv := aimyWire.Serve(t,
		poll("", events(event("A", 1), event("B", 2))),
		poll(ts(2), events(event("B", 2), event("C", 3))),                                      // B again: ts is inclusive
		poll(ts(3), events(event("C", 3))),                                                     // only a repeat: ts moves past it
		poll(ts(4), events()),                                                                  // nothing happened
		poll(ts(4), testkit.Reply{Status: http.StatusRequestTimeout, Body: "Request timeout"}), // the server's "nothing"
		poll(ts(4), testkit.Reply{Status: http.StatusServiceUnavailable}),                      // waited out
		poll(ts(4), testkit.Reply{Hangup: true}),                                               // waited out
		poll(ts(4), events(event("D", 9))),
	)
	c := clientFor(t, srv.URL(), chatbot.WithMaxAttempts(1))
	ids, got, err := collect(c.Events.Follow(context.Background(), &aimylogic.EventsParams{ClientID: "test"}),
		func(e aimylogic.Event) bool { return e.QuestionID == "D" })
	require.NoError(t, err)
	assert.Equal(t, []string{"A", "B", "C", "D"}, ids)
	for _, e := range got {
		assert.Nil(t, e.Gap)
		require.NotNil(t, e.Response)
		assert.Equal(t, "answer "+e.QuestionID, e.Response.Data.Answer)
	}
	assert.Len(t, srv.Requests(), 8, "break stops the polling")
}

func TestFollowStartsAtTS(t *testing.T) {
	srv := aimyWire.Serve(t,
		poll("2024-06-03T15:30:00.000", events(event("A", 1))),
		poll(ts(1), events(event("A", 1), event("B", 5))),
	)
	c := clientFor(t, srv.URL())
	ids, _, err := collect(c.Events.Follow(context.Background(), &aimylogic.EventsParams{ClientID: "test", TS: "2024-06-03T15:30:00.000"}),
		func(e aimylogic.Event) bool { return e.QuestionID == "B" })
	require.NoError(t, err)
	assert.Equal(t, []string{"A", "B"}, ids)
}

func TestFollowNeverMovesTSBack(t *testing.T) {
	srv := aimyWire.Serve(t,
		poll(ts(10), events(event("old", 1), event("new", 12))),
		poll(ts(12), events(event("older", 2))), // a server that ignores ts
		poll(ts(12), events(event("last", 13))),
	)
	c := clientFor(t, srv.URL())
	ids, _, err := collect(c.Events.Follow(context.Background(), &aimylogic.EventsParams{ClientID: "test", TS: ts(10)}),
		func(e aimylogic.Event) bool { return e.QuestionID == "last" })
	require.NoError(t, err)
	assert.Equal(t, []string{"old", "new", "older", "last"}, ids)
}

// fullPollAt is a poll answer of aimylogic.MaxEvents events q1…q250, all
// at the n-th millisecond after base.
func fullPollAt(n int) testkit.Reply {
	evs := make([]string, aimylogic.MaxEvents)
	for i := range evs {
		evs[i] = event(fmt.Sprintf("q%d", i+1), n)
	}
	return events(evs...)
}

func TestFollowFlagsFullPollsWithAGap(t *testing.T) {
	srv := aimyWire.Serve(t,
		poll(ts(0), fullPollAt(250)),
		poll(ts(250), fullPollAt(250)),         // the same 250 again (ts is inclusive): nothing new to flag yet
		poll(ts(251), events(event("x", 300))), // the gap goes on the next new event
		poll(ts(300), events(event("y", 301))),
	)
	c := clientFor(t, srv.URL())
	ids, got, err := collect(c.Events.Follow(context.Background(), &aimylogic.EventsParams{ClientID: "test", TS: ts(0)}),
		func(e aimylogic.Event) bool { return e.QuestionID == "y" })
	require.NoError(t, err)
	require.Len(t, ids, aimylogic.MaxEvents+2, "each event once")
	assert.Equal(t, &aimylogic.Gap{From: at(0), To: at(250)}, got[0].Gap, "the first event of a full poll")
	for _, e := range got[1:aimylogic.MaxEvents] {
		assert.Nil(t, e.Gap, e.QuestionID)
	}
	x := got[aimylogic.MaxEvents]
	assert.Equal(t, "x", x.QuestionID)
	assert.Equal(t, &aimylogic.Gap{From: at(250), To: at(300)}, x.Gap, "a full poll of repeats flags the next new event")
	assert.Nil(t, got[aimylogic.MaxEvents+1].Gap)
}

func TestFollowEndsOnAPermanentError(t *testing.T) {
	srv := aimyWire.Serve(t,
		poll("", events(event("A", 1))),
		poll(ts(1), testkit.Reply{Status: http.StatusNotFound, Body: notFoundText}),
	)
	c := clientFor(t, srv.URL())
	var pairs int
	var last error
	for _, err := range c.Events.Follow(context.Background(), &aimylogic.EventsParams{ClientID: "test"}) {
		pairs++
		last = err
	}
	assert.Equal(t, 2, pairs, "the event, then the error")
	require.ErrorIs(t, last, chatbot.ErrNotFound)
	testkit.AssertNoSecret(t, token, last)
}

func TestFollowEndsWithItsContext(t *testing.T) {
	var polls atomic.Int32
	holding := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if polls.Add(1) == 1 {
			_, _ = fmt.Fprint(w, `{"events":[`+event("A", 1)+`]}`)
			return
		}
		close(holding)
		<-r.Context().Done() // a long poll the server holds
	}))
	defer srv.Close()
	c := clientFor(t, srv.URL)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go func() {
		<-holding
		cancel()
	}()
	var ids []string
	var last error
	for e, err := range c.Events.Follow(ctx, &aimylogic.EventsParams{ClientID: "test"}) {
		if err != nil {
			last = err
			continue
		}
		ids = append(ids, e.QuestionID)
	}
	assert.Equal(t, []string{"A"}, ids)
	require.ErrorIs(t, last, context.Canceled)
	assert.Equal(t, int32(2), polls.Load())
}

func TestFollowPacesEmptyPollsAndStillEndsWithItsContext(t *testing.T) {
	srv := aimyWire.Serve(t, poll("", events()))
	c := clientFor(t, srv.URL(), aimylogic.WithPollInterval(time.Hour))
	ctx, cancel := context.WithCancel(context.Background())
	seq := c.Events.Follow(ctx, &aimylogic.EventsParams{ClientID: "test"})
	done := make(chan error, 1)
	go func() {
		for _, err := range seq {
			done <- err
			return
		}
	}()
	// The first poll found nothing; the follower now waits an hour
	// before the next, unless its context ends.
	require.Eventually(t, func() bool { return len(srv.Requests()) == 1 }, 5*time.Second, time.Millisecond)
	cancel()
	require.ErrorIs(t, <-done, context.Canceled)
	assert.Len(t, srv.Requests(), 1)
}

func TestFollowRangesAgainFromTheStart(t *testing.T) {
	srv := aimyWire.Serve(t,
		poll(ts(0), events(event("A", 1))),
		poll(ts(0), events(event("A", 1))),
	)
	c := clientFor(t, srv.URL())
	seq := c.Events.Follow(context.Background(), &aimylogic.EventsParams{ClientID: "test", TS: ts(0)})
	for range 2 {
		ids, _, err := collect(seq, func(aimylogic.Event) bool { return true })
		require.NoError(t, err)
		assert.Equal(t, []string{"A"}, ids)
	}
}

func TestFollowWithoutTimestampsKeepsTSUnset(t *testing.T) {
	// Events without a timestamp that the server sends again, with no TS
	// given: there is no moment to step past, so TS stays unset instead
	// of becoming a time before the epoch that Validate refuses.
	untimed := func(id string) string {
		return `{"type":"operatorReply","event":{"questionId":"` + id + `","data":{"answer":"hi"}}}`
	}
	srv := aimyWire.Serve(t,
		poll("", events(untimed("a1"))),
		poll("", events(untimed("a1"))), // only a repeat
		poll("", events(untimed("a1"), untimed("a2"))),
	)
	c := clientFor(t, srv.URL())
	ids, _, err := collect(c.Events.Follow(context.Background(), &aimylogic.EventsParams{ClientID: "test"}),
		func(e aimylogic.Event) bool { return e.QuestionID == "a2" })
	require.NoError(t, err, "Follow ended with its own TS")
	assert.Equal(t, []string{"a1", "a2"}, ids)
	for _, r := range srv.Requests() {
		assert.NotContains(t, r.RawQuery, "ts=")
	}
}

// widget is a widgetState event with payload open, at the n-th
// millisecond after base (no timestamp when n < 0); it has no question ID.
func widget(open bool, n int) string {
	if n < 0 {
		return fmt.Sprintf(`{"type":"widgetState","event":{"open":%t}}`, open)
	}
	return fmt.Sprintf(`{"type":"widgetState","event":{"open":%t,"timestamp":%q}}`, open, at(n).Format("2006-01-02T15:04:05.000"))
}

// payloads ranges over seq until an event with question ID "end" and
// returns the payloads of the events before it.
func payloads(t *testing.T, seq func(func(aimylogic.Event, error) bool)) []string {
	t.Helper()
	var got []string
	for e, err := range seq {
		require.NoError(t, err)
		if e.QuestionID == "end" {
			break
		}
		got = append(got, string(e.Payload))
	}
	return got
}

func TestFollowKeepsEventsThatRepeatAnEarlierPayload(t *testing.T) {
	// Three state changes, the third equal in content to the first, with
	// no ID and no timestamp: only a repeat of the previous poll is one.
	srv := aimyWire.Serve(t,
		poll("", events(widget(true, -1))),
		poll("", events(widget(false, -1))),
		poll("", events(widget(true, -1))),
		poll("", events(widget(true, -1))), // the previous poll again
		poll("", events(event("end", 1))),
	)
	c := clientFor(t, srv.URL())
	got := payloads(t, c.Events.Follow(context.Background(), &aimylogic.EventsParams{ClientID: "test"}))
	assert.Equal(t, []string{`{"open":true}`, `{"open":false}`, `{"open":true}`}, got)
}

func TestFollowDropsOnlyTheOverlapOfTimedEvents(t *testing.T) {
	// An agent answers question q1 twice: the same type and question ID
	// at two moments are two events.
	reply := func(text string, n int) string {
		return fmt.Sprintf(`{"type":"operatorReply","event":{"questionId":"q1","text":%q,"timestamp":%q}}`,
			text, at(n).Format("2006-01-02T15:04:05.000"))
	}
	srv := aimyWire.Serve(t,
		poll(ts(0), events(widget(true, 1), reply("first", 2))),
		// ts is inclusive: the events at 2 come again; the same question's
		// next reply and the same widget change at 3 are new.
		poll(ts(2), events(reply("first", 2), reply("second", 3), widget(true, 3))),
		poll(ts(3), events(reply("second", 3), widget(true, 3), widget(false, 5))),
		poll(ts(5), events(widget(false, 5), event("end", 6))),
	)
	c := clientFor(t, srv.URL())
	got := payloads(t, c.Events.Follow(context.Background(), &aimylogic.EventsParams{ClientID: "test", TS: ts(0)}))
	require.Len(t, got, 5, "%q", got)
	for i, want := range []string{`"open":true`, `"text":"first"`, `"text":"second"`, `"open":true`, `"open":false`} {
		assert.Contains(t, got[i], want, i)
	}
}

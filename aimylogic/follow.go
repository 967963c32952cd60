package aimylogic

import (
	"context"
	"crypto/sha256"
	"errors"
	"iter"
	"net/http"
	"time"

	chatbot "github.com/chatbot-sdk/chatbot-go"
	"github.com/chatbot-sdk/chatbot-go/internal/page"
	"github.com/chatbot-sdk/chatbot-go/internal/rest"
)

// EventService reads what happens in a client's chat: agent replies,
// requests and bot replies from the client's other pages, widget state
// changes. Get it from Client.Events.
type EventService struct{ client *Client }

// Poll makes one long poll (GET /chatapi/{token}/events): the server
// answers at once when events are waiting, otherwise it holds the request
// until one arrives or its own timeout passes. A poll that found nothing
// returns an empty page, not an error, whether the server said so with an
// empty list, with 408 Request Timeout, or by not answering within the
// poll timeout (WithPollTimeout). A page of MaxEvents events may be
// incomplete (EventsPage.MaybeTruncated). Follow does the polling loop.
func (s *EventService) Poll(ctx context.Context, p *EventsParams, opts ...chatbot.CallOption) (*EventsPage, error) {
	if err := p.Validate(); err != nil {
		return nil, err
	}
	var out EventsPage
	req := &rest.Request{
		Op: "Events.Poll", Method: http.MethodGet, Path: "/events", Query: p,
		Idempotent: true, Timeout: s.client.settings.pollTimeout,
	}
	if err := s.client.do(ctx, req, &out, opts); err != nil {
		if ctx.Err() == nil && foundNothing(err) {
			return &EventsPage{}, nil
		}
		return nil, err
	}
	return &out, nil
}

// foundNothing reports an error that only means the poll's wait ended: the
// server's 408, or the poll's own timeout (the caller's context is alive).
func foundNothing(err error) bool {
	var api *chatbot.APIError
	if errors.As(err, &api) {
		return api.StatusCode == http.StatusRequestTimeout
	}
	var te *chatbot.TransportError
	return errors.As(err, &te) && errors.Is(err, context.DeadlineExceeded)
}

// Follow yields the events of p.ClientID's chat as they happen, each
// once, oldest first, polling for ever: it ends only when ctx ends (its
// error is the last pair), when the loop breaks, or when the server
// refuses a poll in a way that asking again cannot fix (a 404 for a wrong
// token, a 400, a body it cannot read): that error is the last pair.
//
// Starting from p.TS (or, when empty, from the client's previous request),
// each poll asks from the newest event timestamp seen so far. The server
// counts that moment as inclusive and sends its events again; those
// repeats, and only those, are dropped, matched by type, QuestionID (the
// whole payload when there is none) and timestamp. An event without a
// timestamp is a repeat only of the previous poll that brought events, so
// the same content arriving later is yielded as the new event it is. A
// poll that finds nothing is normal:
// the next one starts at once if the server held the request, else after
// WithPollInterval. Connection failures, 429 and 5xx answers are waited out
// with the client's backoff (chatbot.WithBackoff) after the client's own
// retries, and polling goes on.
//
// When a poll comes back full (MaxEvents events), the server may have
// left some out; the first new event of that poll (or of a later one, when
// it held only repeats) carries a Gap naming the span to fetch with
// History.List. The sequence goes on either way.
//
// Each range over the returned sequence follows on its own, from p.TS.
func (s *EventService) Follow(ctx context.Context, p *EventsParams, opts ...chatbot.CallOption) iter.Seq2[Event, error] {
	if err := p.Validate(); err != nil {
		return page.Fail[Event](err)
	}
	start := *p
	cfg := s.client.engine.Config()
	backoff := func(n int) time.Duration { return rest.ExponentialJitter(cfg.MinBackoff, cfg.MaxBackoff, n) }
	return func(yield func(Event, error) bool) {
		f := &follower{svc: s, params: start, opts: opts, interval: s.client.settings.pollInterval}
		f.since, _ = parseTime(start.TS)
		for e, err := range page.Follow(ctx, f.fetch, temporaryPollError, backoff) {
			if !yield(e, err) {
				return
			}
		}
	}
}

// temporaryPollError reports the failures Follow waits out: no answer
// (connection trouble, but not the caller's cancelled context, which
// page.Follow handles first) and answers that may change with time.
func temporaryPollError(err error) bool {
	var api *chatbot.APIError
	if errors.As(err, &api) {
		return api.Temporary() || api.StatusCode >= 500
	}
	var te *chatbot.TransportError
	return errors.As(err, &te)
}

// follower is the state of one range over Follow's sequence.
type follower struct {
	svc      *EventService
	params   EventsParams // TS moves on as events arrive
	opts     []chatbot.CallOption
	interval time.Duration
	since    time.Time // params.TS as a time; zero when unset
	seen     dedup
	gap      *Gap // a gap not yet attached to an event
}

// fetch makes one poll and returns its new events.
func (f *follower) fetch(ctx context.Context) ([]Event, error) {
	started := time.Now()
	pg, err := f.svc.Poll(ctx, &f.params, f.opts...)
	if err != nil {
		return nil, err
	}
	if pg.MaybeTruncated() && f.gap == nil {
		f.gap = &Gap{From: f.since}
	}
	var fresh []Event
	for _, e := range pg.Events {
		if f.seen.fresh(&e) {
			fresh = append(fresh, e)
		}
	}
	if len(fresh) > 0 && f.gap != nil {
		f.gap.To = fresh[0].Timestamp.Time
		fresh[0].Gap, f.gap = f.gap, nil
	}
	f.advance(pg, len(fresh) == 0)
	f.seen.endPoll(f.since)
	if len(fresh) == 0 {
		return nil, pause(ctx, time.Until(started.Add(f.interval)))
	}
	return fresh, nil
}

// advance moves TS to the newest event timestamp of pg, never backwards.
// When the poll brought events but none new (the server counts TS as
// inclusive and sent the newest event again), TS moves one millisecond
// past it: asking from the same moment would bring the same event back at
// once instead of waiting for the next. With no moment known (no TS given
// and no readable timestamp), TS stays as it is: a step from the zero time
// would be a date before the epoch, which no poll can send.
func (f *follower) advance(pg *EventsPage, onlyRepeats bool) {
	var newest time.Time
	for i := range pg.Events {
		if ts := pg.Events[i].Timestamp; ts.Valid() && ts.After(newest) {
			newest = ts.Time
		}
	}
	if len(pg.Events) > 0 && onlyRepeats {
		if from := later(newest, f.since); !from.IsZero() {
			newest = from.Add(time.Millisecond)
		}
	}
	if newest.IsZero() || !newest.After(f.since) {
		return
	}
	ts := FormatTS(newest)
	if ts == "" {
		return // a timestamp before the epoch cannot be sent
	}
	f.since, f.params.TS = newest, ts
}

// later returns the later of a and b.
func later(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}

// pause waits d (nothing when d <= 0) or until ctx ends.
func pause(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return nil
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return context.Cause(ctx)
	case <-t.C:
		return nil
	}
}

// eventKey identifies an event for de-duplication: its type and
// QuestionID, or its type and payload digest when it has no ID, and its
// timestamp when it has one. Two events that differ only in time (an
// agent's second reply to the same question, a widget opened again) are
// two events.
func eventKey(e *Event) string {
	k := "p\x00" + string(e.Type) + "\x00"
	if e.QuestionID != "" {
		k = "q\x00" + string(e.Type) + "\x00" + e.QuestionID
	} else {
		sum := sha256.Sum256(e.Payload)
		k += string(sum[:])
	}
	if e.Timestamp.Valid() {
		k += "\x00" + e.Timestamp.UTC().Format(time.RFC3339Nano)
	}
	return k
}

// maxRecentKeys bounds the de-duplication memory of a follower: a server
// that sends ever more distinct events at the same millisecond cannot
// make it grow without end. Several full polls fit.
const maxRecentKeys = 4 * MaxEvents

// dedup drops the events a server sends again, and only those. The
// server counts TS as inclusive, so a poll may repeat the events at TS:
// a timed event is remembered while it is at or after TS, then forgotten.
// An event with no timestamp cannot be placed against TS; it is a repeat
// only when the previous poll that brought events held it too (a server
// asked with no TS sends everything since the client's last request
// again), so the same content later is a new event.
type dedup struct {
	timed    timedKeys
	untimed  map[string]struct{} // untimed keys of the previous poll
	thisPoll map[string]struct{} // untimed keys of the poll being read
}

// fresh reports whether e is new, and remembers it.
func (d *dedup) fresh(e *Event) bool {
	k := eventKey(e)
	if e.Timestamp.Valid() {
		return d.timed.add(k, e.Timestamp.Time)
	}
	if d.thisPoll == nil {
		d.thisPoll = make(map[string]struct{})
	}
	_, inPoll := d.thisPoll[k]
	d.thisPoll[k] = struct{}{}
	_, repeated := d.untimed[k]
	return !repeated && !inPoll
}

// endPoll closes the reading of a poll's events: what remains to compare
// with is the untimed events of this poll (when it brought any) and the
// timed events at or after since, the TS of the next poll.
func (d *dedup) endPoll(since time.Time) {
	if len(d.thisPoll) > 0 {
		d.untimed, d.thisPoll = d.thisPoll, nil
	}
	// TS travels in milliseconds: the next poll repeats everything from
	// the start of since's millisecond.
	d.timed.forgetBefore(since.Truncate(time.Millisecond))
}

// timedKeys remembers the keys of timed events with their times, at most
// maxRecentKeys of them (the oldest added leaves first).
type timedKeys struct {
	at    map[string]time.Time
	order []string // keys in the order they were added
}

// add records k at t and reports whether it was new.
func (s *timedKeys) add(k string, t time.Time) bool {
	if _, ok := s.at[k]; ok {
		return false
	}
	if s.at == nil {
		s.at = make(map[string]time.Time)
	}
	if len(s.order) >= maxRecentKeys {
		delete(s.at, s.order[0])
		s.order = s.order[1:]
	}
	s.order = append(s.order, k)
	s.at[k] = t
	return true
}

// forgetBefore drops the keys of events before t.
func (s *timedKeys) forgetBefore(t time.Time) {
	kept := s.order[:0]
	for _, k := range s.order {
		if s.at[k].Before(t) {
			delete(s.at, k)
		} else {
			kept = append(kept, k)
		}
	}
	clear(s.order[len(kept):]) // let the dropped keys' strings go
	s.order = kept
}

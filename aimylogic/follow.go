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
// each poll asks from the newest event timestamp seen so far. Events the
// server sends again are dropped by their type and QuestionID (by their
// whole payload when they have none). A poll that finds nothing is normal:
// the next one starts at once if the server held the request, else after
// WithPollInterval. Connection failures, 429 and 5xx answers are waited out
// with the client's backoff (chatbot.WithBackoff) after the client's own
// retries, and polling goes on.
//
// When a poll comes back full (MaxEvents events), the server may have
// left some out; the first new event after it carries a Gap naming the
// span to fetch with History.List. The sequence goes on either way.
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
	seen     recentKeys
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
		if f.seen.add(eventKey(&e)) {
			fresh = append(fresh, e)
		}
	}
	if len(fresh) > 0 && f.gap != nil {
		f.gap.To = fresh[0].Timestamp.Time
		fresh[0].Gap, f.gap = f.gap, nil
	}
	f.advance(pg, len(fresh) == 0)
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
// QuestionID, or its type and payload digest when it has no ID.
func eventKey(e *Event) string {
	if e.QuestionID != "" {
		return "q\x00" + string(e.Type) + "\x00" + e.QuestionID
	}
	sum := sha256.Sum256(append([]byte(string(e.Type)+"\x00"), e.Payload...))
	return "p\x00" + string(sum[:])
}

// maxRecentKeys bounds the de-duplication memory of a follower: enough
// for several full polls, so that a server that repeats the events at TS
// (or a little more) is covered, while a follower that runs for months
// holds a fixed amount.
const maxRecentKeys = 4 * MaxEvents

// recentKeys is a set of the latest maxRecentKeys keys; the oldest key
// leaves when a new one comes.
type recentKeys struct {
	set  map[string]struct{}
	ring []string
	next int
}

// add records k and reports whether it was new.
func (r *recentKeys) add(k string) bool {
	if _, ok := r.set[k]; ok {
		return false
	}
	if r.set == nil {
		r.set = make(map[string]struct{}, maxRecentKeys)
	}
	if len(r.ring) < maxRecentKeys {
		r.ring = append(r.ring, k)
	} else {
		delete(r.set, r.ring[r.next])
		r.ring[r.next] = k
		r.next = (r.next + 1) % maxRecentKeys
	}
	r.set[k] = struct{}{}
	return true
}

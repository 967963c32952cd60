package chatbottest

import (
	"encoding/json"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"time"
)

// maxAimylogicEvents is the documented cap of one events answer.
const maxAimylogicEvents = 250

// alPoll is what an events poll asks for.
type alPoll struct {
	clientID string
	all      bool
	cid      string
	ts       time.Time
	hasTS    bool
}

// alEventJSON is one event on the wire: {"type", "event"}.
type alEventJSON struct {
	Type  string          `json:"type"`
	Event json.RawMessage `json:"event"`
}

// events is the long poll: GET {root}/{token}/events. It answers the
// client's matching events, oldest first and at most 250, in the
// {"events": […]} envelope. With none to give it holds the request until
// one comes, the hold passes ({"events": []}), the client leaves or the
// fake closes. What the documentation leaves open is assumed:
//
//   - clientId names the client whose events to return; a poll without
//     one has no events to wait for and answers {"events": []} at once
//     (there is no documented 400);
//   - ts is epoch milliseconds (or a date-time, UTC unless it has an
//     offset) and inclusive: events stamped at ts or later, so the event
//     whose timestamp was passed back comes again; a ts the fake cannot
//     read is a 500 "Internal server error", the only documented failure
//     left for it;
//   - without ts, a poll starts after the events earlier polls of the
//     client went past ("every event since the client's previous
//     request");
//   - all=false (the default) returns live agents' replies only; all=true
//     adds the bot's answers;
//   - cid leaves out the events of that connection's own requests, which
//     its page has already (the point of cid is to learn what happened on
//     the client's other pages); agent replies belong to no connection
//     and always come.
func (a *Aimylogic) events(w http.ResponseWriter, r *http.Request) {
	p, ok := readPoll(r.URL.Query())
	if !ok {
		alText(w, http.StatusInternalServerError, alInternal)
		return
	}
	if p.clientID == "" || a.cfg.hold == 0 {
		a.answerPoll(w, p)
		return
	}
	hold := time.NewTimer(a.cfg.hold)
	defer hold.Stop()
	for {
		a.mu.Lock()
		found, changed := a.state.poll(p)
		a.mu.Unlock()
		if len(found) > 0 {
			writeEvents(w, found)
			return
		}
		select {
		case <-changed:
		case <-hold.C:
			writeEvents(w, nil)
			return
		case <-a.closing:
			writeEvents(w, nil)
			return
		case <-r.Context().Done():
			return
		}
	}
}

// answerPoll answers a poll at once with whatever matches.
func (a *Aimylogic) answerPoll(w http.ResponseWriter, p alPoll) {
	var found []alEvent
	if p.clientID != "" {
		a.mu.Lock()
		found, _ = a.state.poll(p)
		a.mu.Unlock()
	}
	writeEvents(w, found)
}

// writeEvents answers with the envelope; no events is "events": [].
func writeEvents(w http.ResponseWriter, found []alEvent) {
	out := make([]alEventJSON, len(found))
	for i, ev := range found {
		out[i] = alEventJSON{Type: ev.typ, Event: ev.payload}
	}
	writeJSON(w, http.StatusOK, struct {
		Events []alEventJSON `json:"events"`
	}{out})
}

// readPoll reads the poll's parameters; ok is false for a ts it cannot
// read. An "all" that is not a boolean counts as false.
func readPoll(q url.Values) (p alPoll, ok bool) {
	p = alPoll{clientID: q.Get("clientId"), cid: q.Get("cid")}
	p.all, _ = strconv.ParseBool(q.Get("all"))
	if ts := q.Get("ts"); ts != "" {
		if p.ts, ok = parseAimylogicTS(ts); !ok {
			return p, false
		}
		p.hasTS = true
	}
	return p, true
}

// parseAimylogicTS reads epoch milliseconds, an RFC 3339 date-time, or a
// date-time without an offset, which is UTC.
func parseAimylogicTS(s string) (time.Time, bool) {
	if ms, err := strconv.ParseInt(s, 10, 64); err == nil {
		return time.UnixMilli(ms).UTC(), ms >= 0
	}
	if t, err := time.Parse(time.RFC3339Nano, s); err == nil {
		return t.UTC(), true
	}
	if t, err := time.Parse("2006-01-02T15:04:05", strings.TrimSpace(s)); err == nil {
		return t, true
	}
	return time.Time{}, false
}

// poll returns the client's events that match p, at most 250, moves the
// client's cursor past the events it looked at, and returns the channel
// that is closed when the next event comes.
func (s *aimylogicState) poll(p alPoll) ([]alEvent, <-chan struct{}) {
	c := s.clients[p.clientID]
	if c == nil {
		return nil, s.changed
	}
	i := c.cursor
	if p.hasTS {
		i = sort.Search(len(c.events), func(k int) bool { return !c.events[k].at.Before(p.ts) })
	}
	var found []alEvent
	for ; i < len(c.events) && len(found) < maxAimylogicEvents; i++ {
		ev := c.events[i]
		if (p.all || ev.typ == alEventAgent) && (p.cid == "" || ev.cid != p.cid) {
			found = append(found, ev)
		}
	}
	c.cursor = max(c.cursor, i)
	return found, s.changed
}

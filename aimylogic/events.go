package aimylogic

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// MaxEvents is the most events the server returns in one response. A
// response that holds exactly this many may have left some out; fetch the
// client's history to fill the gap.
const MaxEvents = 250

// EventsParams selects the events of one poll. The call long-polls: with
// nothing to report, the server holds the request open until an event
// arrives or its own timeout passes.
type EventsParams struct {
	// ClientID is the end user whose events to fetch; required. (The
	// documentation does not say so; every known client sends it, and
	// events belong to one client.)
	ClientID string `url:"clientId"`
	// All asks for every event of the chat; false (the server's default)
	// returns only replies from live agents.
	All bool `url:"all,omitempty"`
	// CID is the connection ID of the caller's page or app session. The
	// rule that ties it to All was lost from the documentation; when
	// setting All, pass the connection's CID too.
	CID string `url:"cid,omitempty"`
	// TS asks for events from this moment on; empty means every event
	// since the client's previous request. Pass EventsPage.NextTS of the
	// previous poll, FormatTS of a time (epoch milliseconds, the form a
	// working third-party client sent), or a date-time string.
	TS string `url:"ts,omitempty"`
}

// Validate checks the parameters before anything is sent: a valid
// ClientID and CID, and a TS that is epoch milliseconds or a date-time. A
// number from 1 to 1e11 - 1 (before March 1973 in milliseconds) is
// refused: it is almost surely epoch seconds, which the server would read
// as a moment in early 1970 and answer with every event there is. "0", the
// epoch in either unit, asks for every event.
func (p *EventsParams) Validate() error {
	if p == nil {
		return invalid("params", "must not be nil")
	}
	if err := checkID("ClientID", p.ClientID); err != nil {
		return err
	}
	if err := checkOptionalID("CID", p.CID); err != nil {
		return err
	}
	if p.TS != "" {
		if looksLikeSeconds(p.TS) {
			return invalid("TS", fmt.Sprintf("%s looks like seconds; ts is in milliseconds since the Unix epoch (FormatTS, time.UnixMilli)", p.TS))
		}
		if _, ok := parseTime(p.TS); !ok {
			return invalid("TS", "must be epoch milliseconds or a date-time such as 2022-09-28T12:32:13.262")
		}
	}
	return nil
}

// looksLikeSeconds reports whether ts is an epoch number after the epoch
// but below epochMillisFrom, the size from which it counts as
// milliseconds.
func looksLikeSeconds(ts string) bool {
	whole, frac, _ := strings.Cut(strings.TrimSpace(ts), ".")
	n, err := strconv.ParseInt(whole, 10, 64)
	if err != nil || !digits(whole) || !digits(frac) {
		return false
	}
	return n < epochMillisFrom && (n > 0 || strings.Trim(frac, "0") != "")
}

// FormatTS writes t as an events "ts" value: milliseconds since the Unix
// epoch ("0" for the epoch itself, which asks for every event). A zero
// time (a timestamp that was absent or unreadable), one before the epoch,
// or one after it but before March 1973 (whose milliseconds
// EventsParams.Validate would take for seconds) has no such value and
// gives "", which as EventsParams.TS means "since the client's previous
// request".
func FormatTS(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	ms := t.UnixMilli()
	if ms < 0 || (ms > 0 && ms < epochMillisFrom) {
		return ""
	}
	return strconv.FormatInt(ms, 10)
}

// EventType names the kind of a chat event. The set is open: only
// EventBotResponse is known; agent replies, widget state changes and
// requests from another page have types the sources do not name.
type EventType string

// EventBotResponse is a bot's answer to a request; its payload is a
// Response.
const EventBotResponse EventType = "botResponse"

// Event is one thing that happened in a chat.
type Event struct {
	Type EventType `json:"type"`
	// Payload is the event's "event" object as received, with the value
	// of its "token" member (the channel token, which a botResponse
	// echoes) replaced by "{token}"; read by a Client, the token shows as
	// "{token}" anywhere else in it too.
	Payload json.RawMessage `json:"event"`
	// Response is the decoded Payload of a botResponse event; nil for
	// other types, or when the payload is not a readable Response.
	Response *Response `json:"-"`
	// QuestionID and Timestamp are read from the payload of any type,
	// when it has them, for de-duplication and for the next TS.
	QuestionID string `json:"-"`
	Timestamp  Time   `json:"-"`
	// Gap is set by EventService.Follow on the first new event of a poll
	// that came back full (MaxEvents events): the server may have left
	// out events from before it. When the full poll held only events
	// already yielded, the next new event, in a later poll, carries it.
	// Fetch the client's history for the span to fill in (the API
	// documentation's advice). Nil otherwise.
	Gap *Gap `json:"-"`
}

// Gap is a span in which a full events poll may have left events out. The
// server caps a poll at MaxEvents; which events it drops when more are
// waiting is not documented.
type Gap struct {
	// From is the TS of the poll that came back full, as a time; zero
	// when that poll had none (the server then started from the
	// client's previous request).
	From time.Time
	// To is the timestamp of the event that carries the Gap; zero when
	// that event had no readable timestamp.
	To time.Time
}

// UnmarshalJSON reads an event. A type that is not a string, or a payload
// it cannot read, never fails the event: the fields taken from them stay
// empty and Payload keeps the payload.
func (e *Event) UnmarshalJSON(b []byte) error {
	var w struct {
		Type    json.RawMessage `json:"type"`
		Payload json.RawMessage `json:"event"`
	}
	if err := json.Unmarshal(b, &w); err != nil {
		return err
	}
	var kind string
	_ = json.Unmarshal(w.Type, &kind) // a type that is not a string stays ""
	*e = Event{Type: EventType(kind), Payload: hideToken(w.Payload)}
	var head struct {
		QuestionID looseString `json:"questionId"`
		Timestamp  Time        `json:"timestamp"`
	}
	if json.Unmarshal(w.Payload, &head) == nil {
		e.QuestionID, e.Timestamp = string(head.QuestionID), head.Timestamp
	}
	if e.Type == EventBotResponse {
		var r Response
		if json.Unmarshal(w.Payload, &r) == nil {
			e.Response = &r
		}
	}
	return nil
}

// EventsPage is one poll's events, oldest first as the server sends them.
type EventsPage struct {
	Events []Event `json:"events"`
}

// UnmarshalJSON reads the {"events": [...]} envelope, or a bare array of
// events.
func (p *EventsPage) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	*p = EventsPage{}
	switch {
	case isNull(b):
		return nil
	case b[0] == '[':
		return json.Unmarshal(b, &p.Events)
	case b[0] == '{':
		var w struct {
			Events []Event `json:"events"`
		}
		if err := json.Unmarshal(b, &w); err != nil {
			return err
		}
		p.Events = w.Events
		return nil
	}
	return errors.New("events: want an object with \"events\" or an array")
}

// MaybeTruncated reports that the page is full (MaxEvents events), so the
// server may have left events out.
func (p *EventsPage) MaybeTruncated() bool { return len(p.Events) >= MaxEvents }

// NextTS returns the TS for the next poll: the newest readable event
// timestamp, as epoch milliseconds. It returns "" when no event has one;
// keep the previous TS then. The server may return the events at TS
// again, so de-duplicate them by type, QuestionID and timestamp.
func (p *EventsPage) NextTS() string {
	var newest time.Time
	for i := range p.Events {
		if ts := p.Events[i].Timestamp; ts.Valid() && ts.After(newest) {
			newest = ts.Time
		}
	}
	if newest.IsZero() {
		return ""
	}
	return FormatTS(newest)
}

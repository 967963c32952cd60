package chatbottest

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strconv"
)

// alDefaultHistoryLimit is the page size of a history call without limit:
// the default of JAICP's neighbouring chat-history call.
const alDefaultHistoryLimit = 20

// alHistoryItem is one history message on the wire, in the shape of
// JAICP's chat-history schema (from a neighbouring API; the Chat API's own
// is not published).
type alHistoryItem struct {
	QuestionID  string            `json:"questionId"`
	TextMessage string            `json:"textMessage,omitempty"`
	Author      string            `json:"author"`
	Status      string            `json:"status"`
	EventData   map[string]string `json:"eventData,omitempty"`
	Replies     []AimylogicReply  `json:"replies,omitempty"`
	Timestamp   string            `json:"timestamp"`
}

// history is GET {root}/{token}/client/{clientId}/history. The parameter
// names are assumptions (the documentation names none): fromTimestamp and
// toTimestamp in Unix seconds, both ends inclusive and either optional,
// limit (at least 1, default 20) and offset. A value that is not a whole
// number, a negative one, from after to, or a limit of 0 gets the
// documented 400. The answer is {"totalCount", "messages"}, oldest first,
// timestamps in UTC with a "Z" as that schema writes them; a client
// without messages has an empty history.
func (a *Aimylogic) history(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	from, okFrom := alInt(q, "fromTimestamp", 0)
	to, okTo := alInt(q, "toTimestamp", -1)
	limit, okLimit := alInt(q, "limit", alDefaultHistoryLimit)
	offset, okOffset := alInt(q, "offset", 0)
	if !okFrom || !okTo || !okLimit || !okOffset || limit < 1 || (to >= 0 && from > to) {
		alText(w, http.StatusBadRequest, alBadRange)
		return
	}
	total, items := 0, []alHistoryItem{}
	a.withClient(r.PathValue("clientId"), func(c *alClient) {
		var span []*alMessage
		for _, m := range c.messages {
			if sec := m.at.Unix(); sec >= from && (to < 0 || sec <= to) {
				span = append(span, m)
			}
		}
		total = len(span)
		for _, m := range span[min(offset, int64(total)):min(offset+limit, int64(total))] {
			item := alHistoryItem{
				QuestionID: m.id, TextMessage: m.text, Author: m.author, Status: m.status,
				Replies: m.replies, Timestamp: m.at.Format("2006-01-02T15:04:05.000Z"),
			}
			if m.event != "" {
				item.EventData = map[string]string{"event": m.event}
			}
			items = append(items, item)
		}
	})
	writeJSON(w, http.StatusOK, struct {
		TotalCount int             `json:"totalCount"`
		Messages   []alHistoryItem `json:"messages"`
	}{total, items})
}

// alInt reads a non-negative whole number from q, or def when it is
// absent; ok is false for anything else.
func alInt(q url.Values, key string, def int64) (n int64, ok bool) {
	s := q.Get(key)
	if s == "" {
		return def, true
	}
	n, err := strconv.ParseInt(s, 10, 64)
	return n, err == nil && n >= 0 && n <= 1<<40
}

// saveState is POST {root}/{token}/client/{clientId}/state (the path is an
// assumption). It keeps a JSON object as it was sent and answers 200 with
// no body (assumed); anything but an object gets the documented 400
// "Invalid state format".
func (a *Aimylogic) saveState(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body) // the core read it already, within the limit
	body = bytes.TrimSpace(body)
	if len(body) == 0 || body[0] != '{' || !json.Valid(body) {
		alText(w, http.StatusBadRequest, alBadState)
		return
	}
	a.mu.Lock()
	a.state.client(r.PathValue("clientId")).state = body
	a.mu.Unlock()
	w.WriteHeader(http.StatusOK)
}

// loadState is GET {root}/{token}/client/{clientId}/state: the object as
// it was saved, or (an assumption) 200 with an empty body when nothing
// was.
func (a *Aimylogic) loadState(w http.ResponseWriter, r *http.Request) {
	var state json.RawMessage
	a.withClient(r.PathValue("clientId"), func(c *alClient) { state = c.state })
	if state == nil {
		w.WriteHeader(http.StatusOK)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	_, _ = w.Write(state)
}

// alKnownStatus reports the statuses the fake accepts: the documented four
// and the platform's NOT_DELIVERED.
func alKnownStatus(s string) bool {
	switch s {
	case "SENT", "DELIVERED", "READ", "NOT_SENT", "NOT_DELIVERED":
		return true
	}
	return false
}

// alStatusUpdate is a status change on the wire; the batch items' field
// names are an assumption.
type alStatusUpdate struct {
	QuestionID string `json:"questionId"`
	Status     string `json:"status"`
}

// getStatus is GET …/client/{clientId}/message/{questionId}/status. It
// answers {"questionId", "status"} (assumed); an ID the client's history
// does not have gets 404 (assumed, with the fake's own text).
func (a *Aimylogic) getStatus(w http.ResponseWriter, r *http.Request) {
	a.mu.Lock()
	m := a.state.message(r.PathValue("clientId"), r.PathValue("questionId"))
	var out alStatusUpdate
	if m != nil {
		out = alStatusUpdate{m.id, m.status}
	}
	a.mu.Unlock()
	if m == nil {
		alText(w, http.StatusNotFound, alNoMessage)
		return
	}
	writeJSON(w, http.StatusOK, out)
}

// setStatus is POST …/client/{clientId}/message/{questionId}/status with
// {"status"}.
func (a *Aimylogic) setStatus(w http.ResponseWriter, r *http.Request) {
	var in struct {
		Status string `json:"status"`
	}
	if !alDecode(w, r, &in) {
		return
	}
	a.applyStatuses(w, r.PathValue("clientId"), []alStatusUpdate{{r.PathValue("questionId"), in.Status}})
}

// setStatuses is POST …/client/{clientId}/message-statuses with
// {"statuses": [{"questionId", "status"}, …]}.
func (a *Aimylogic) setStatuses(w http.ResponseWriter, r *http.Request) {
	var in struct {
		Statuses []alStatusUpdate `json:"statuses"`
	}
	if !alDecode(w, r, &in) {
		return
	}
	a.applyStatuses(w, r.PathValue("clientId"), in.Statuses)
}

// applyStatuses sets all the statuses or none: an empty list or a status
// the fake does not know is 400 "Invalid request payload", an ID the
// history does not have is 404 (both assumed), and success is 200 with no
// body (assumed).
func (a *Aimylogic) applyStatuses(w http.ResponseWriter, clientID string, updates []alStatusUpdate) {
	if len(updates) == 0 {
		alText(w, http.StatusBadRequest, alBadPayload)
		return
	}
	for _, u := range updates {
		if u.QuestionID == "" || !alKnownStatus(u.Status) {
			alText(w, http.StatusBadRequest, alBadPayload)
			return
		}
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	msgs := make([]*alMessage, len(updates))
	for i, u := range updates {
		if msgs[i] = a.state.message(clientID, u.QuestionID); msgs[i] == nil {
			alText(w, http.StatusNotFound, alNoMessage)
			return
		}
	}
	for i, m := range msgs {
		m.status = updates[i].Status
	}
	w.WriteHeader(http.StatusOK)
}

// unreadCount is GET …/client/{clientId}/message-not-read-count. It
// answers {"count": N} (assumed), counting the bot's and live agents'
// messages whose status is not READ.
func (a *Aimylogic) unreadCount(w http.ResponseWriter, r *http.Request) {
	n := 0
	a.withClient(r.PathValue("clientId"), func(c *alClient) {
		for _, m := range c.messages {
			if m.author != alAuthorClient && m.status != "READ" {
				n++
			}
		}
	})
	writeJSON(w, http.StatusOK, struct {
		Count int `json:"count"`
	}{n})
}

// message finds a message of a client's history; nil when there is none.
func (s *aimylogicState) message(clientID, id string) *alMessage {
	if c := s.clients[clientID]; c != nil {
		return c.byID[id]
	}
	return nil
}

// alDecode reads a JSON body into v, answering 400 "Invalid request
// payload" itself when it cannot.
func alDecode(w http.ResponseWriter, r *http.Request, v any) bool {
	body, _ := io.ReadAll(r.Body) // the core read it already, within the limit
	if json.Unmarshal(body, v) != nil {
		alText(w, http.StatusBadRequest, alBadPayload)
		return false
	}
	return true
}

package chatbottest_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/chatbot-sdk/chatbot-go/chatbottest"
)

// alEvent is an event as a test reads it.
type alEvent struct {
	Type  string   `json:"type"`
	Event alResult `json:"event"`
}

// alPoll polls the fake's events with query and returns them.
func alPoll(t *testing.T, fake *chatbottest.Aimylogic, query string) []alEvent {
	t.Helper()
	ans := alCall(t, fake, http.MethodGet, "/events?"+query, "")
	require.Equal(t, http.StatusOK, ans.Status, ans.Body)
	var page struct {
		Events []alEvent `json:"events"`
	}
	require.NoError(t, json.Unmarshal([]byte(ans.Body), &page))
	require.NotNil(t, page.Events, "no events is [], not null: %s", ans.Body)
	return page.Events
}

// alTS is the ts of an event: its timestamp in epoch milliseconds.
func alTS(t *testing.T, ev alEvent) string {
	t.Helper()
	ts, err := time.Parse("2006-01-02T15:04:05.000", ev.Event.Timestamp)
	require.NoError(t, err)
	return fmt.Sprint(ts.UnixMilli())
}

// alAnswers returns the answers of events, in order.
func alAnswers(events []alEvent) []string {
	out := make([]string, len(events))
	for i, ev := range events {
		out[i] = ev.Event.Data.Answer
	}
	return out
}

func TestAimylogicFakeEventsTS(t *testing.T) {
	fake := chatbottest.StartAimylogic(t, chatbottest.WithAimylogicEventsHold(0))
	ids := fake.AddEvents("c", 3)
	require.Len(t, ids, 3)

	first := alPoll(t, fake, "clientId=c&all=true")
	require.Len(t, first, 3)
	assert.Equal(t, []string{"You said: message 1", "You said: message 2", "You said: message 3"}, alAnswers(first))
	for i, ev := range first {
		assert.Equal(t, "botResponse", ev.Type)
		assert.Equal(t, ids[i], ev.Event.QuestionID)
		assert.Equal(t, "c", ev.Event.ClientID)
		assert.Regexp(t, alWireTime, ev.Event.Timestamp)
	}
	assert.Less(t, alTS(t, first[0]), alTS(t, first[1]), "timestamps strictly increase")

	assert.Empty(t, alPoll(t, fake, "clientId=c&all=true"), "without ts, a poll starts after what the last one saw")
	assert.Equal(t, []string{"You said: message 2", "You said: message 3"},
		alAnswers(alPoll(t, fake, "clientId=c&all=true&ts="+alTS(t, first[1]))), "ts is inclusive")
	assert.Len(t, alPoll(t, fake, "clientId=c&all=true&ts=0"), 3)
	assert.Len(t, alPoll(t, fake, "clientId=c&all=true&ts="+first[0].Event.Timestamp), 3, "a date-time ts works too")
	assert.Empty(t, alPoll(t, fake, "clientId=other&all=true&ts=0"), "events belong to one client")
	assert.Empty(t, alPoll(t, fake, "all=true&ts=0"), "no client, no events")

	for _, bad := range []string{"yesterday", "-5", "1e3"} {
		ans := alCall(t, fake, http.MethodGet, "/events?clientId=c&ts="+bad, "")
		assert.Equal(t, http.StatusInternalServerError, ans.Status, bad)
		assert.Equal(t, "Internal server error", ans.Body, bad)
	}
}

func TestAimylogicFakeEventsAllAndCID(t *testing.T) {
	fake := chatbottest.StartAimylogic(t, chatbottest.WithAimylogicEventsHold(0))
	alSend(t, fake, `{"clientId":"c","query":"from tab 1","cid":"tab-1"}`)
	agentID := fake.AddAgentReply("c", "An agent here.")

	agentOnly := alPoll(t, fake, "clientId=c&ts=0")
	require.Len(t, agentOnly, 1, "by default only live agents' replies come")
	assert.Equal(t, "operatorReply", agentOnly[0].Type)
	assert.Equal(t, agentID, agentOnly[0].Event.QuestionID)
	assert.Equal(t, "An agent here.", agentOnly[0].Event.Data.Answer)
	assert.JSONEq(t, `{"type":"text","text":"An agent here."}`, string(agentOnly[0].Event.Data.Replies[0]))

	all := alPoll(t, fake, "clientId=c&all=true&ts=0")
	assert.Equal(t, []string{"botResponse", "operatorReply"}, []string{all[0].Type, all[1].Type})
	assert.Equal(t, "tab-1", all[0].Event.CID)

	own := alPoll(t, fake, "clientId=c&all=true&cid=tab-1&ts=0")
	assert.Equal(t, []string{"An agent here."}, alAnswers(own), "a connection does not get back its own requests")
	assert.Len(t, alPoll(t, fake, "clientId=c&all=true&cid=tab-2&ts=0"), 2, "another connection sees them")
}

func TestAimylogicFakeEventsCapAt250(t *testing.T) {
	fake := chatbottest.StartAimylogic(t, chatbottest.WithAimylogicEventsHold(0))
	fake.AddEvents("c", 300)

	page := alPoll(t, fake, "clientId=c&all=true")
	require.Len(t, page, 250, "at most 250 events in one answer")
	assert.Equal(t, "You said: message 1", page[0].Event.Data.Answer, "oldest first")
	assert.Equal(t, "You said: message 250", page[249].Event.Data.Answer)

	rest := alPoll(t, fake, "clientId=c&all=true")
	require.Len(t, rest, 50, "the next poll without ts goes on where the full one stopped")
	assert.Equal(t, "You said: message 251", rest[0].Event.Data.Answer)

	fromTS := alPoll(t, fake, "clientId=c&all=true&ts="+alTS(t, page[249]))
	require.Len(t, fromTS, 51)
	assert.Equal(t, page[249].Event.QuestionID, fromTS[0].Event.QuestionID, "the event at ts comes again")
}

func TestAimylogicFakeEventsLongPoll(t *testing.T) {
	fake := chatbottest.StartAimylogic(t) // the default hold is long
	got := make(chan string, 1)
	go func() {
		resp, err := http.Get(fake.URL + "/chatapi/" + fake.Token + "/events?clientId=c")
		if err != nil {
			got <- err.Error()
			return
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		got <- string(b)
	}()
	fake.AddEvents("c", 2) // the bot's answers: not for a poll without all
	id := fake.AddAgentReply("c", "Still there?")
	var page struct{ Events []alEvent }
	body := <-got
	require.NoError(t, json.Unmarshal([]byte(body), &page), body)
	require.Len(t, page.Events, 1, "the held poll answers with the agent's reply")
	assert.Equal(t, id, page.Events[0].Event.QuestionID)
}

func TestAimylogicFakeEventsHoldEnds(t *testing.T) {
	fake := chatbottest.StartAimylogic(t, chatbottest.WithAimylogicEventsHold(5*time.Millisecond))
	ans := alCall(t, fake, http.MethodGet, "/events?clientId=c&all=true", "")
	assert.Equal(t, http.StatusOK, ans.Status)
	assert.JSONEq(t, `{"events":[]}`, ans.Body, "an empty poll is the envelope with no events")
	assert.Equal(t, "application/json", ans.Header.Get("Content-Type"))

	fake.Faults.FailNext(1, http.StatusRequestTimeout, chatbottest.OnPath("/events"))
	ans = alCall(t, fake, http.MethodGet, "/events?clientId=c", "")
	assert.Equal(t, http.StatusRequestTimeout, ans.Status, "a 408 is injected through Faults")
	assert.Equal(t, 2, fake.CountRequests(http.MethodGet, "/chatapi/{token}/events"))
}

func TestAimylogicFakeEventsClientLeaves(t *testing.T) {
	fake := chatbottest.StartAimylogic(t)
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, fake.URL+"/chatapi/"+fake.Token+"/events?clientId=c", nil)
	require.NoError(t, err)
	resp, err := http.DefaultClient.Do(req)
	if resp != nil {
		resp.Body.Close()
	}
	assert.ErrorIs(t, err, context.DeadlineExceeded, "the poll holds until the client gives up")
}

func TestAimylogicFakeCloseEndsHeldPoll(t *testing.T) {
	fake := chatbottest.NewAimylogic()
	done := make(chan error, 1)
	go func() {
		resp, err := http.Get(fake.URL + "/chatapi/" + fake.Token + "/events?clientId=c")
		if err == nil {
			resp.Body.Close()
		}
		done <- err
	}()
	fake.Close()
	<-done // answered empty, or cut off with the connection: either way it returns
	fake.Close()
}

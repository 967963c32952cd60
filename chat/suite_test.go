package chat_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	chatbot "github.com/chatbot-sdk/chatbot-go"
	"github.com/chatbot-sdk/chatbot-go/chat"
)

// caps is what a platform is expected to implement.
type caps struct{ opener, sender, streamer, history, lister bool }

// fixture is one platform under test, running against its fake. Adding a
// platform to the suite means writing a factory that fills one.
type fixture struct {
	platform chat.Platform
	name     string
	caps     caps
	// reply is what the fake's bot answers to text.
	reply func(text string) string
	// seed stores a conversation of n exchanges on the fake (a user text,
	// then the bot's reply) and returns its ID and its messages as History
	// must yield them (only Role and Text are compared).
	seed func(t *testing.T, n int) (string, []chat.Message)
	// hang makes the bot's next reply never complete: it calls received
	// once the fake has the user's text, and for a streaming platform it
	// sends one delta and then stalls.
	hang func(received func())
	// unknownID is a well-formed ID the fake has no conversation for.
	unknownID string
	// anyID says that every well-formed ID names a conversation, an empty
	// one until something is sent (Aimylogic's client IDs): an unknown ID
	// is then no error.
	anyID bool
	// requests counts the requests the fake has received.
	requests func() int
}

// factory starts a fake and returns the fixture on it; the fake ends with
// the test.
type factory func(t *testing.T) *fixture

// runSuite runs the behaviour every platform shares through the chat
// interfaces, each capability's tests only where the platform has it.
func runSuite(t *testing.T, newFixture factory) {
	t.Run("capabilities", func(t *testing.T) { testCapabilities(t, newFixture(t)) })
	t.Run("bad input sends nothing", func(t *testing.T) { testBadInput(t, newFixture(t)) })
	t.Run("history", func(t *testing.T) { testHistory(t, newFixture(t)) })
	t.Run("history stops on break", func(t *testing.T) { testHistoryBreak(t, newFixture(t)) })
	t.Run("conversations", func(t *testing.T) { testConversations(t, newFixture(t)) })
	t.Run("resume", func(t *testing.T) { testResume(t, newFixture(t)) })
	t.Run("send", func(t *testing.T) { testSend(t, newFixture(t)) })
	t.Run("stream", func(t *testing.T) { testStream(t, newFixture(t)) })
	t.Run("cancel a reply", func(t *testing.T) { testCancel(t, newFixture(t)) })
}

func testCapabilities(t *testing.T, f *fixture) {
	p := f.platform
	assert.Equal(t, f.name, p.Name())
	_, opener := p.(chat.Opener)
	_, sender := p.(chat.Sender)
	_, streamer := p.(chat.Streamer)
	_, history := p.(chat.HistoryReader)
	_, lister := p.(chat.Lister)
	assert.Equal(t, f.caps, caps{opener, sender, streamer, history, lister})
}

func testBadInput(t *testing.T, f *fixture) {
	ctx := context.Background()
	before := f.requests()
	var errs []error
	if o, ok := f.platform.(chat.Opener); ok {
		_, err := o.Resume(ctx, "")
		errs = append(errs, err)
		_, err = o.Resume(ctx, "../x")
		errs = append(errs, err)
	}
	if s, ok := f.platform.(chat.Sender); ok {
		_, err := s.Send(ctx, "", "hi")
		errs = append(errs, err)
		_, err = s.Send(ctx, f.unknownID, " \n")
		errs = append(errs, err)
	}
	if s, ok := f.platform.(chat.Streamer); ok {
		for _, err := range s.Stream(ctx, "", "hi") {
			errs = append(errs, err)
		}
	}
	if h, ok := f.platform.(chat.HistoryReader); ok {
		for _, err := range h.History(ctx, "a/b") {
			errs = append(errs, err)
		}
	}
	for _, err := range errs {
		var verr *chatbot.ValidationError
		assert.ErrorAs(t, err, &verr)
	}
	assert.Equal(t, before, f.requests(), "refused before any request")
}

// history collects a whole History.
func history(t *testing.T, f *fixture, id string) []chat.Message {
	t.Helper()
	var msgs []chat.Message
	for m, err := range f.platform.(chat.HistoryReader).History(context.Background(), id) {
		require.NoError(t, err)
		msgs = append(msgs, m)
	}
	return msgs
}

// roleText keeps what the suite compares of messages.
func roleText(msgs []chat.Message) []string {
	out := make([]string, len(msgs))
	for i, m := range msgs {
		out[i] = fmt.Sprintf("%s: %s", m.Role, m.Text)
	}
	return out
}

func testHistory(t *testing.T, f *fixture) {
	if !f.caps.history {
		t.Skip("no HistoryReader")
	}
	// More than one page of every platform's page size.
	id, want := f.seed(t, 60)
	got := history(t, f, id)
	require.Equal(t, roleText(want), roleText(got))
	seen := map[string]bool{}
	for _, m := range got {
		assert.Equal(t, id, m.ConversationID)
		assert.NotEmpty(t, m.ID)
		assert.False(t, seen[m.ID], "message %s yielded twice", m.ID)
		seen[m.ID] = true
		assert.False(t, m.Time.IsZero(), "history messages carry their time")
		assert.NotNil(t, m.Raw)
	}

	n, err := collectErr(f.platform.(chat.HistoryReader).History(context.Background(), f.unknownID))
	if f.anyID {
		assert.NoError(t, err)
		assert.Zero(t, n, "a conversation with nothing in it yet")
		return
	}
	assert.ErrorIs(t, err, chatbot.ErrNotFound)
}

// collectErr drains seq and returns how many items it had and its error.
func collectErr[T any](seq func(func(T, error) bool)) (int, error) {
	n := 0
	for _, err := range seq {
		if err != nil {
			return n, err
		}
		n++
	}
	return n, nil
}

func testHistoryBreak(t *testing.T, f *fixture) {
	if !f.caps.history {
		t.Skip("no HistoryReader")
	}
	// Several pages even where the last request may fetch two pages.
	id, _ := f.seed(t, 150)
	h := f.platform.(chat.HistoryReader)

	before := f.requests()
	n, err := collectErr(h.History(context.Background(), id))
	require.NoError(t, err)
	whole := f.requests() - before

	before = f.requests()
	for range h.History(context.Background(), id) {
		break
	}
	broken := f.requests() - before
	assert.Greater(t, n, 300-1)
	assert.Less(t, broken, whole, "a loop left at the first message fetches fewer pages")
}

func testConversations(t *testing.T, f *fixture) {
	if !f.caps.lister {
		t.Skip("no Lister")
	}
	a, _ := f.seed(t, 1)
	b, _ := f.seed(t, 2)
	var ids []string
	for c, err := range f.platform.(chat.Lister).Conversations(context.Background()) {
		require.NoError(t, err)
		assert.NotNil(t, c.Raw)
		ids = append(ids, c.ID)
	}
	assert.Subset(t, ids, []string{a, b})
	assert.Len(t, ids, len(uniq(ids)), "no conversation listed twice")
}

func uniq(s []string) map[string]bool {
	m := map[string]bool{}
	for _, v := range s {
		m[v] = true
	}
	return m
}

func testResume(t *testing.T, f *fixture) {
	if !f.caps.opener {
		t.Skip("no Opener")
	}
	o := f.platform.(chat.Opener)
	id, _ := f.seed(t, 1)
	conv, err := o.Resume(context.Background(), id)
	require.NoError(t, err)
	assert.Equal(t, id, conv.ID)

	conv, err = o.Resume(context.Background(), f.unknownID)
	if f.anyID {
		require.NoError(t, err)
		assert.Equal(t, f.unknownID, conv.ID)
		return
	}
	assert.ErrorIs(t, err, chatbot.ErrNotFound)
}

func testSend(t *testing.T, f *fixture) {
	if !f.caps.sender {
		t.Skip("no Sender")
	}
	ctx := context.Background()
	conv, err := f.platform.(chat.Opener).Start(ctx)
	require.NoError(t, err)
	require.NotEmpty(t, conv.ID)

	reply, err := f.platform.(chat.Sender).Send(ctx, conv.ID, "hello there")
	require.NoError(t, err)
	assert.Equal(t, f.reply("hello there"), reply.Text())
	for _, m := range reply.Messages {
		assert.Equal(t, chat.RoleBot, m.Role)
		assert.Equal(t, conv.ID, m.ConversationID)
	}

	// The helper takes the same path (streamed where the platform
	// streams) and hands the text over as it arrives.
	var got string
	reply, err = chat.Send(ctx, f.platform, conv.ID, "and again", func(d string) { got += d })
	require.NoError(t, err)
	assert.Equal(t, f.reply("and again"), reply.Text())
	assert.Equal(t, f.reply("and again"), got)

	if !f.caps.history {
		return
	}
	var want []chat.Message
	if conv.Greeting != nil {
		assert.Equal(t, chat.RoleBot, conv.Greeting.Role)
		want = append(want, *conv.Greeting)
	}
	for _, text := range []string{"hello there", "and again"} {
		want = append(want, chat.Message{Role: chat.RoleUser, Text: text}, chat.Message{Role: chat.RoleBot, Text: f.reply(text)})
	}
	assert.Equal(t, roleText(want), roleText(history(t, f, conv.ID)))
}

func testStream(t *testing.T, f *fixture) {
	if !f.caps.streamer {
		t.Skip("no Streamer")
	}
	ctx := context.Background()
	conv, err := f.platform.(chat.Opener).Start(ctx)
	require.NoError(t, err)
	var deltas []string
	for d, err := range f.platform.(chat.Streamer).Stream(ctx, conv.ID, "tell me a long story") {
		require.NoError(t, err)
		deltas = append(deltas, d)
	}
	assert.Greater(t, len(deltas), 1, "the reply arrives in pieces")
	joined := ""
	for _, d := range deltas {
		assert.NotEmpty(t, d, "no empty deltas")
		joined += d
	}
	assert.Equal(t, f.reply("tell me a long story"), joined)
}

func testCancel(t *testing.T, f *fixture) {
	if !f.caps.sender && !f.caps.streamer {
		t.Skip("cannot send")
	}
	conv, err := f.platform.(chat.Opener).Start(context.Background())
	require.NoError(t, err)

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	f.hang(cancel)
	var got string
	_, err = chat.Send(ctx, f.platform, conv.ID, "are you there", func(d string) {
		got += d
		cancel() // Ctrl-C while the reply arrives
	})
	assert.ErrorIs(t, err, context.Canceled)
	if f.caps.streamer {
		assert.NotEmpty(t, got, "the first delta arrived before the stall")
	}

	// The conversation goes on.
	reply, err := chat.Send(context.Background(), f.platform, conv.ID, "still there", nil)
	require.NoError(t, err)
	assert.Equal(t, f.reply("still there"), reply.Text())
}

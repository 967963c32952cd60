package botyard_test

import (
	"context"
	"fmt"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/chatbot-sdk/chatbot-go/botyard"
	"github.com/chatbot-sdk/chatbot-go/chatbottest"
)

// chatWith fills a chat of the fake with n user messages, each answered at
// once by the bot: 2n messages, alternating.
func chatWith(t *testing.T, n int) (*chatbottest.Botyard, *botyard.Client, *botyard.Chat, *botyard.User) {
	t.Helper()
	fake := chatbottest.StartBotyard(t, chatbottest.WithBotyardReplyDelay(0))
	ctx := context.Background()
	c := loggedIn(t, fake)
	me, err := c.Users.Current(ctx)
	require.NoError(t, err)
	chat, err := c.Chats.Create(ctx, fake.Bots()[0].ID)
	require.NoError(t, err)
	for i := 1; i <= n; i++ {
		_, err := c.Messages.Send(ctx, &botyard.SendParams{ChatID: chat.ID, Body: fmt.Sprintf("user %d", i)})
		require.NoError(t, err)
	}
	return fake, c, chat, me
}

// chatOnClock opens a chat on a fake whose messages are stamped by now
// (ties allowed) and answered at once.
func chatOnClock(t *testing.T, now func() time.Time) (*chatbottest.Botyard, *botyard.Client, *botyard.Chat) {
	t.Helper()
	fake := chatbottest.StartBotyard(t, chatbottest.WithBotyardReplyDelay(0), chatbottest.WithBotyardMessageClock(now))
	c := loggedIn(t, fake)
	chat, err := c.Chats.Create(context.Background(), fake.Bots()[0].ID)
	require.NoError(t, err)
	return fake, c, chat
}

func collect(t *testing.T, seq func(func(botyard.MessageItem, error) bool)) []botyard.MessageItem {
	t.Helper()
	var out []botyard.MessageItem
	for m, err := range seq {
		require.NoError(t, err)
		out = append(out, m)
	}
	return out
}

func TestAllOverFiftyMessages(t *testing.T) {
	fake, c, chat, me := chatWith(t, 25)
	ctx := context.Background()
	stored := fake.Messages(chat.ID)
	require.Len(t, stored, 50)
	botID := chat.BotID

	t.Run("everything, oldest first", func(t *testing.T) {
		for _, size := range []int{0, 2, 7, 20, 25, 26, 50, 100} {
			got := collect(t, c.Messages.ListAll(ctx, chat.ID, &botyard.HistoryParams{Limit: size}))
			require.Len(t, got, 50, "page size %d", size)
			for i, m := range got {
				assert.Equal(t, stored[i].ID, m.ID, "page size %d, item %d", size, i)
				assert.Equal(t, stored[i].Body, m.Body)
				assert.Equal(t, stored[i].SenderID, m.SenderID)
				assert.Equal(t, stored[i].Timestamp, m.Timestamp)
			}
		}
	})
	t.Run("only the bot", func(t *testing.T) {
		got := collect(t, c.Messages.ListAll(ctx, chat.ID, &botyard.HistoryParams{SenderID: botID, Limit: 6}))
		require.Len(t, got, 25)
		for i, m := range got {
			assert.Equal(t, botID, m.SenderID)
			assert.Equal(t, fmt.Sprintf("Test bot got: user %d", i+1), m.Body)
		}
	})
	t.Run("only the user, since the 10th message", func(t *testing.T) {
		since := stored[9].Timestamp // "Test bot got: user 5"
		got := collect(t, c.Messages.ListAll(ctx, chat.ID, &botyard.HistoryParams{SenderID: me.ID, Since: since, Limit: 4}))
		require.Len(t, got, 20)
		assert.Equal(t, "user 6", got[0].Body)
		assert.Equal(t, "user 25", got[19].Body)
	})
	t.Run("break stops fetching", func(t *testing.T) {
		before := len(fake.Requests())
		n := 0
		for _, err := range c.Messages.ListAll(ctx, chat.ID, &botyard.HistoryParams{Limit: 10}) {
			require.NoError(t, err)
			if n++; n == 3 {
				break
			}
		}
		assert.Equal(t, 2, len(fake.Requests())-before, "the total, then the oldest page; nothing more")
	})
	t.Run("bad arguments end the sequence at once", func(t *testing.T) {
		for _, err := range c.Messages.ListAll(ctx, "", nil) {
			assert.ErrorContains(t, err, "chatID")
		}
		for _, size := range []int{-1, 1, 1001} {
			for _, err := range c.Messages.ListAll(ctx, chat.ID, &botyard.HistoryParams{Limit: size}) {
				assert.ErrorContains(t, err, "Limit")
			}
		}
	})
}

// TestAllWhileMessagesArrive posts new messages while the walk runs: each
// message is yielded exactly once and the new ones come at the end, which
// a walk by page number (pages count from the newest) could not promise.
func TestAllWhileMessagesArrive(t *testing.T) {
	fake, c, chat, _ := chatWith(t, 23) // 46 messages
	ctx := context.Background()
	seen := map[string]int{}
	var bodies []string
	i := 0
	for m, err := range c.Messages.ListAll(ctx, chat.ID, &botyard.HistoryParams{Limit: 5}) {
		require.NoError(t, err)
		seen[m.ID]++
		bodies = append(bodies, m.Body)
		if i++; i%10 == 0 && i <= 30 {
			_, ok := fake.PostBotMessage(chat.ID, fmt.Sprintf("late %d", i/10))
			require.True(t, ok)
		}
	}
	assert.Len(t, bodies, 49)
	for id, n := range seen {
		assert.Equal(t, 1, n, "message %s yielded %d times", id, n)
	}
	assert.Equal(t, []string{"late 1", "late 2", "late 3"}, bodies[46:])
	assert.Equal(t, "user 1", bodies[0])
}

func TestAllEmptyChatAndErrors(t *testing.T) {
	fake := chatbottest.StartBotyard(t)
	ctx := context.Background()
	c := loggedIn(t, fake)
	chat, err := c.Chats.Create(ctx, fake.Bots()[0].ID)
	require.NoError(t, err)
	before := len(fake.Requests())
	assert.Empty(t, collect(t, c.Messages.ListAll(ctx, chat.ID, &botyard.HistoryParams{SenderID: chat.BotID, Since: 1795433002500})))
	reqs := fake.Requests()[before:]
	require.Len(t, reqs, 1, "an empty total ends the walk")
	assert.Equal(t, "limit=0&sender_id="+chat.BotID+"&since=1795433002500", reqs[0].Query, "the total alone, with the filters")

	var last error
	n := 0
	for _, err := range c.Messages.ListAll(ctx, "01nosuchchat", nil) {
		last = err
		n++
	}
	assert.Equal(t, 1, n)
	assert.ErrorContains(t, last, "Chat not found.")
	assert.True(t, strings.Contains(last.Error(), "404"))
}

// TestAllAcrossTiedMilliseconds uses a server clock that lets a user
// message and the bot's reply share a millisecond, as the real server
// can: a run of ties as long as a page must not stop the walk.
func TestAllAcrossTiedMilliseconds(t *testing.T) {
	var ms atomic.Int64
	ms.Store(1_800_000_000_000)
	fake, c, chat := chatOnClock(t, func() time.Time { return time.UnixMilli(ms.Load()) })
	ctx := context.Background()
	for i := 1; i <= 6; i++ {
		ms.Add(1) // each pair in its own millisecond
		_, err := c.Messages.Send(ctx, &botyard.SendParams{ChatID: chat.ID, Body: fmt.Sprintf("user %d", i)})
		require.NoError(t, err)
	}
	for i := 1; i <= 5; i++ { // five more in one millisecond
		_, ok := fake.PostBotMessage(chat.ID, fmt.Sprintf("burst %d", i))
		require.True(t, ok)
	}
	ms.Add(1)
	_, ok := fake.PostBotMessage(chat.ID, "last")
	require.True(t, ok)
	stored := fake.Messages(chat.ID)
	require.Len(t, stored, 18)

	for _, size := range []int{2, 3, 4, 5, 17} {
		got := collect(t, c.Messages.ListAll(ctx, chat.ID, &botyard.HistoryParams{Limit: size}))
		ids := map[string]bool{}
		for i, m := range got {
			assert.False(t, ids[m.ID], "page size %d: %s yielded twice", size, m.ID)
			ids[m.ID] = true
			if i > 0 {
				assert.LessOrEqual(t, got[i-1].Timestamp, m.Timestamp, "page size %d, item %d", size, i)
			}
		}
		assert.Len(t, got, 18, "page size %d", size)
		if len(got) == 18 {
			assert.Equal(t, "user 1", got[0].Body, "page size %d", size)
			assert.Equal(t, "last", got[17].Body, "page size %d", size)
		}
	}
}

// TestAllAfterABurst posts 8 messages right after the first page was
// read: the next page's guess of the total is wrong, the reader must see
// that in the answer's total and ask again, or it would take a slice of
// the wrong messages.
func TestAllAfterABurst(t *testing.T) {
	fake, c, chat, _ := chatWith(t, 10) // 20 messages
	ctx := context.Background()
	var bodies []string
	seen := map[string]bool{}
	for m, err := range c.Messages.ListAll(ctx, chat.ID, &botyard.HistoryParams{Limit: 5}) {
		require.NoError(t, err)
		require.False(t, seen[m.ID], "%s yielded twice", m.Body)
		seen[m.ID] = true
		bodies = append(bodies, m.Body)
		if len(bodies) == 1 {
			for i := 1; i <= 8; i++ {
				_, ok := fake.PostBotMessage(chat.ID, fmt.Sprintf("burst %d", i))
				require.True(t, ok)
			}
		}
	}
	want := make([]string, 0, 28)
	for _, m := range fake.Messages(chat.ID) {
		want = append(want, m.Body)
	}
	require.Len(t, want, 28)
	assert.Equal(t, want, bodies)
}

// TestAllOneRequestPerPage: in a chat that does not change, the reader's
// guess of the total is always right, so every page after the first costs
// exactly one request.
func TestAllOneRequestPerPage(t *testing.T) {
	fake, c, chat, _ := chatWith(t, 25) // 50 messages
	before := len(fake.Requests())
	got := collect(t, c.Messages.ListAll(context.Background(), chat.ID, &botyard.HistoryParams{Limit: 10}))
	require.Len(t, got, 50)
	var queries []string
	for _, r := range fake.Requests()[before:] {
		q, err := url.ParseQuery(r.Query)
		require.NoError(t, err)
		queries = append(queries, "page="+q.Get("page")+" limit="+q.Get("limit"))
	}
	// The total alone (limit=0: 50), then the oldest 10; each next page
	// starts one message early (the last one's millisecond comes again),
	// so it asks for the oldest 10 of 41, 32, 23, and the last page takes
	// all 14.
	assert.Equal(t, []string{
		"page= limit=0", "page=2 limit=40",
		"page=2 limit=31", "page=2 limit=22", "page=2 limit=13",
		"page=1 limit=14",
	}, queries)
}

// TestAllMissesMessagesStampedBehindTheWalk pins the limitation All
// documents: a message stored late with a timestamp older than one already
// yielded is not seen; one stamped later is.
func TestAllMissesMessagesStampedBehindTheWalk(t *testing.T) {
	var ms atomic.Int64
	ms.Store(1_800_000_000_000)
	fake, c, chat := chatOnClock(t, func() time.Time { return time.UnixMilli(ms.Add(10)) })
	ctx := context.Background()
	for i := 1; i <= 5; i++ {
		_, err := c.Messages.Send(ctx, &botyard.SendParams{ChatID: chat.ID, Body: fmt.Sprintf("user %d", i)})
		require.NoError(t, err)
	}
	var bodies []string
	for m, err := range c.Messages.ListAll(ctx, chat.ID, &botyard.HistoryParams{Limit: 4}) {
		require.NoError(t, err)
		bodies = append(bodies, m.Body)
		if len(bodies) == 2 { // inside the first page of 4
			now := ms.Load()
			ms.Store(1_800_000_000_000) // stamped with the first message's time
			_, ok := fake.PostBotMessage(chat.ID, "late, in the past")
			require.True(t, ok)
			ms.Store(now)
			_, ok = fake.PostBotMessage(chat.ID, "late, in the present")
			require.True(t, ok)
		}
	}
	assert.Len(t, fake.Messages(chat.ID), 12)
	assert.Len(t, bodies, 11)
	assert.NotContains(t, bodies, "late, in the past")
	assert.Equal(t, "late, in the present", bodies[10])
}

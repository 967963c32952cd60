package main

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/chatbot-sdk/chatbot-go/chat"
)

func TestParseSince(t *testing.T) {
	now := time.Date(2024, 6, 10, 12, 0, 0, 0, time.UTC)
	cases := map[string]time.Time{
		"2024-06-01T12:30:00Z":           time.Date(2024, 6, 1, 12, 30, 0, 0, time.UTC),
		"2024-06-01T12:30:00.123456789Z": time.Date(2024, 6, 1, 12, 30, 0, 123456789, time.UTC),
		" 2024-06-01 ":                   time.Date(2024, 6, 1, 0, 0, 0, 0, time.UTC),
		"36h":                            now.Add(-36 * time.Hour),
	}
	for in, want := range cases {
		got, err := parseSince(in, now)
		require.NoError(t, err, in)
		assert.True(t, want.Equal(got), "%s: %s", in, got)
	}
	for _, bad := range []string{"", "yesterday", "-5h", "0s", "2024-13-01"} {
		_, err := parseSince(bad, now)
		var usage *usageError
		assert.ErrorAs(t, err, &usage, bad)
	}
}

func TestRecordTimeIsUTC(t *testing.T) {
	r := newRecord("p", chatMessage(time.Date(2024, 6, 1, 14, 0, 0, 5e8, time.FixedZone("CEST", 2*3600))))
	assert.Equal(t, "2024-06-01T12:00:00.5Z", r.Time)
	assert.Equal(t, "", newRecord("p", chatMessage(time.Time{})).Time, "no time, no value")
}

func chatMessage(t time.Time) chat.Message { return chat.Message{Time: t} }

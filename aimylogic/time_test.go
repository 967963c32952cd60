package aimylogic

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// documentedAt is the timestamp of the documented example, read as UTC.
var documentedAt = time.Date(2022, time.September, 28, 12, 32, 13, 262_000_000, time.UTC)

func TestTimeDecoding(t *testing.T) {
	utc := func(y int, mo time.Month, d, h, mi, s, ns int) time.Time {
		return time.Date(y, mo, d, h, mi, s, ns, time.UTC)
	}
	msk := time.FixedZone("", 3*3600)
	cases := []struct {
		name, in, raw string
		want          time.Time
	}{
		{"documented, no offset = UTC", `"2022-09-28T12:32:13.262"`, "2022-09-28T12:32:13.262", documentedAt},
		{"no fraction", `"2022-09-28T12:32:13"`, "2022-09-28T12:32:13", utc(2022, 9, 28, 12, 32, 13, 0)},
		{"nanoseconds", `"2022-09-28T12:32:13.123456789"`, "2022-09-28T12:32:13.123456789", utc(2022, 9, 28, 12, 32, 13, 123456789)},
		{"space separator", `"2022-09-28 12:32:13.5"`, "2022-09-28 12:32:13.5", utc(2022, 9, 28, 12, 32, 13, 500_000_000)},
		{"RFC 3339 Z", `"2024-06-03T15:30:00Z"`, "2024-06-03T15:30:00Z", utc(2024, 6, 3, 15, 30, 0, 0)},
		{"RFC 3339 offset", `"2022-09-28T15:32:13.262+03:00"`, "2022-09-28T15:32:13.262+03:00", time.Date(2022, 9, 28, 15, 32, 13, 262_000_000, msk)},
		{"Java offset", `"2022-09-28T15:32:13.262+0300"`, "2022-09-28T15:32:13.262+0300", documentedAt},
		{"epoch seconds with fraction", `1583767519.497000000`, "1583767519.497000000", utc(2020, 3, 9, 15, 25, 19, 497_000_000)},
		{"epoch milliseconds", `1664368333262`, "1664368333262", documentedAt},
		{"epoch milliseconds in a string", `"1664368333262"`, "1664368333262", documentedAt},
		{"epoch seconds", `1664368333`, "1664368333", utc(2022, 9, 28, 12, 32, 13, 0)},
		{"escaped string", `"2022-09-28T12:32:13\u002e262"`, "2022-09-28T12:32:13.262", documentedAt},
		{"unreadable string", `"yesterday"`, "yesterday", time.Time{}},
		{"month 13", `"2022-13-28T12:32:13"`, "2022-13-28T12:32:13", time.Time{}},
		{"negative number", `-5`, "-5", time.Time{}},
		{"exponent", `1.5e9`, "1.5e9", time.Time{}},
		{"past year 9999", `99999999999999999`, "99999999999999999", time.Time{}},
		{"object", `{"a":1}`, `{"a":1}`, time.Time{}},
		{"boolean", `true`, "true", time.Time{}},
		{"empty string", `""`, "", time.Time{}},
		{"null", `null`, "", time.Time{}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var v struct {
				At Time `json:"at"`
			}
			require.NoError(t, json.Unmarshal([]byte(`{"at":`+c.in+`}`), &v), "a timestamp never fails decoding")
			assert.Equal(t, c.raw, v.At.Raw)
			assert.True(t, c.want.Equal(v.At.Time), "got %v want %v", v.At.Time, c.want)
			assert.Equal(t, !c.want.IsZero(), v.At.Valid())
		})
	}
}

func TestTimeOffsetLessIsUTC(t *testing.T) {
	var ts Time
	require.NoError(t, json.Unmarshal([]byte(`"2022-09-28T12:32:13.262"`), &ts))
	assert.Equal(t, time.UTC, ts.Location())
}

func TestTimeMarshalRoundTrip(t *testing.T) {
	for _, in := range []string{`"2022-09-28T12:32:13.262"`, `"yesterday"`, `1583767519.497000000`, `{"a":1}`, `null`, `"a\"b"`} {
		var ts Time
		require.NoError(t, json.Unmarshal([]byte(in), &ts))
		out, err := json.Marshal(ts)
		require.NoError(t, err)
		assert.Equal(t, in, string(out))
	}
}

func TestTimeMarshalBuilt(t *testing.T) {
	// A Time made in code is written the way the server writes one.
	out, err := json.Marshal(Time{Time: documentedAt.In(time.FixedZone("", 3*3600))})
	require.NoError(t, err)
	assert.Equal(t, `"2022-09-28T12:32:13.262"`, string(out))
	out, err = json.Marshal(Time{})
	require.NoError(t, err)
	assert.Equal(t, `null`, string(out))
}

func TestFormatTS(t *testing.T) {
	assert.Equal(t, "1664368333262", FormatTS(documentedAt))
	ts, ok := parseTime(FormatTS(documentedAt))
	require.True(t, ok)
	assert.Equal(t, documentedAt, ts, "a formatted TS reads back as the same instant")
}

func TestFormatTSOfZeroOrPreEpochTimeIsUnset(t *testing.T) {
	for _, at := range []time.Time{{}, time.Unix(-1, 0), time.Date(1969, 12, 31, 23, 59, 59, 999e6, time.UTC)} {
		assert.Empty(t, FormatTS(at), at)
		p := &EventsParams{ClientID: "u", TS: FormatTS(at)}
		assert.NoError(t, p.Validate(), "FormatTS(%v) = %q", at, p.TS)
	}
}

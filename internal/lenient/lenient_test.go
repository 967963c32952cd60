package lenient

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

func parseRFC(s string) time.Time {
	t, _ := time.Parse(time.RFC3339Nano, s)
	return t
}

func TestDecodeAndEncodeTimeRoundTrip(t *testing.T) {
	for in, want := range map[string]Stamp{
		`null`:                   {},
		``:                       {},
		`"2024-01-02T03:04:05Z"`: {Time: parseRFC("2024-01-02T03:04:05Z"), Raw: "2024-01-02T03:04:05Z"},
		`"x\u0041"`:              {Raw: "xA"},
		`"bad"`:                  {Raw: "bad"},
		`12`:                     {Raw: "12", IsJSON: true},
		`{"a":1}`:                {Raw: `{"a":1}`, IsJSON: true},
	} {
		got := DecodeTime([]byte(in), parseRFC, nil)
		assert.Equal(t, want, got, in)
		out, err := EncodeTime(got, func(t time.Time) string { return t.Format(time.RFC3339) })
		require.NoError(t, err)
		if in == "" || in == `"x\u0041"` {
			continue // written back in a canonical form
		}
		assert.JSONEq(t, map[bool]string{true: "null", false: in}[in == ""], string(out), in)
	}
	st := DecodeTime([]byte(`1700000000`), parseRFC, func(s string) time.Time { return time.Unix(1700000000, 0) })
	assert.Equal(t, int64(1700000000), st.Time.Unix())
	out, _ := EncodeTime(Stamp{Time: time.Unix(0, 0).UTC()}, func(t time.Time) string { return t.Format(time.RFC3339) })
	assert.Equal(t, `"1970-01-01T00:00:00Z"`, string(out))
}

func TestScalar(t *testing.T) {
	for in, want := range map[string]string{`"abc"`: "abc", `123`: "123", `-1.50`: "-1.50", ` "a\"b" `: `a"b`} {
		got, null, err := Scalar([]byte(in))
		require.NoError(t, err, in)
		assert.False(t, null)
		assert.Equal(t, want, got, in)
	}
	_, null, err := Scalar([]byte(`null`))
	assert.True(t, null)
	assert.NoError(t, err)
	for _, bad := range []string{`true`, `{}`, `[]`, `"x`, `1e`} {
		_, _, err := Scalar([]byte(bad))
		assert.Error(t, err, bad)
	}
}

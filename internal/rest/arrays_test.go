package rest

import (
	"context"
	"encoding/json"
	"github.com/chatbot-sdk/chatbot-go/internal/apierr"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestLongestArrayCountsEveryKindOfElement(t *testing.T) {
	for body, n := range map[string]int{
		`[]`: 0, `[1]`: 1, `[1,2,3]`: 3, `[ "a,b]" , {"k":[1,2]} , [] , null, true, -1.5e3 ]`: 6,
		`{"items":[{},{},{}],"total":3}`: 3, `{"a":"[[[[","b":[1,2]}`: 2, `"[1,2,3]"`: 0, `[["a","b","c"],1]`: 3,
		`["\"],[1,2,3"]`: 1,
	} {
		assert.NoError(t, longestArray([]byte(body), n), body)
		if n > 0 {
			assert.Error(t, longestArray([]byte(body), n-1), body)
		}
	}
}

// Issue: an 8 MiB page of 2.8 million "{}" items inflated the heap by
// ~600 MiB. Past the API's page maximum the page is refused undecoded.
func TestAHugePageIsRefusedBeforeDecoding(t *testing.T) {
	body := `{"items":[` + strings.Repeat(`{},`, 2_800_000) + `{}]}`
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { _, _ = w.Write([]byte(body)) }))
	defer srv.Close()
	e := newEngine(t, srv.URL, func(c *Config) { c.MaxResponseBytes = 16 << 20 }, func(p *Platform) { p.MaxItems = 100 })
	var out struct {
		Items []struct {
			A, B, C, D string
			E          [8]int64
		} `json:"items"`
	}
	runtime.GC()
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	err := e.Do(context.Background(), &Request{Op: "List", Method: http.MethodGet, Path: "/"}, &out)
	runtime.ReadMemStats(&after)
	var de *apierr.DecodeError
	require.ErrorAs(t, err, &de)
	assert.Contains(t, err.Error(), "more than 100 items")
	assert.Less(t, after.TotalAlloc-before.TotalAlloc, uint64(64<<20), "a small multiple of the 8 MiB body")
}

// BenchmarkLongestArray measures the pre-scan against the decoding it
// guards, on a page of 100 Chat Thing messages.
func BenchmarkLongestArray(b *testing.B) {
	item := `{"id":"3eda9841-9813-49a4-a75c-3758ea31b43c","message":"The average distance from the Earth to the Moon is about 238,855 miles (384,400 kilometers).","role":"assistant","createdAt":"2024-01-16T10:07:04.296Z"}`
	body := []byte(`{"success":true,"messages":[` + strings.Repeat(item+",", 99) + item + `],"pagination":{"total":1000,"last":"x"}}`)
	b.Run("scan", func(b *testing.B) {
		b.ReportAllocs()
		b.SetBytes(int64(len(body)))
		for range b.N {
			if err := longestArray(body, 100); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("baseline=json.Unmarshal", func(b *testing.B) {
		b.ReportAllocs()
		b.SetBytes(int64(len(body)))
		for range b.N {
			var out struct {
				Messages []struct{ ID, Message, Role, CreatedAt string } `json:"messages"`
			}
			if err := json.Unmarshal(body, &out); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// Review: "[[[[…" made the scan keep a counter per level (375 MiB for 8 MiB).
func TestLongestArrayRefusesDeepNesting(t *testing.T) {
	body := []byte(strings.Repeat("[", 20000) + strings.Repeat("]", 20000))
	err := longestArray(body, 100)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "nest more than 10000 deep")
	assert.NoError(t, longestArray([]byte(strings.Repeat("[", 100)+strings.Repeat("]", 100)), 100))
}

// Review: an 8 MiB error body was read whole and parsed for its message.
func TestAFailureBodyIsReadOnlyInPart(t *testing.T) {
	big := `{"message":[` + strings.Repeat(`"",`, 3<<20) + `""]}`
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusBadRequest)
		_, _ = w.Write([]byte(big))
	}))
	defer srv.Close()
	e := newEngine(t, srv.URL, func(c *Config) { c.MaxResponseBytes = 16 << 20 })
	runtime.GC()
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	err := e.Do(context.Background(), &Request{Op: "x", Method: http.MethodGet, Path: "/"}, nil)
	runtime.ReadMemStats(&after)
	var api *apierr.APIError
	require.ErrorAs(t, err, &api)
	assert.Equal(t, http.StatusBadRequest, api.StatusCode)
	assert.Less(t, after.TotalAlloc-before.TotalAlloc, uint64(64<<20), "the server side writes ~9 MiB; decoding the whole body took 271 MiB")
}

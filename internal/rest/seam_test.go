package rest_test

import (
	"context"
	"encoding/json"
	"fmt"
	"iter"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/chatbot-sdk/chatbot-go/internal/apierr"
	"github.com/chatbot-sdk/chatbot-go/internal/page"
	"github.com/chatbot-sdk/chatbot-go/internal/rest"
	"github.com/chatbot-sdk/chatbot-go/internal/testkit"
)

// --- A throwaway platform: Bearer auth, page numbers. Everything a new
// platform needs from the seam fits in these 30 lines. ---

type widget struct {
	ID int `json:"id"`
}

type widgetClient struct{ engine *rest.Engine }

func newWidgetClient(baseURL, key string) (*widgetClient, error) {
	e, err := rest.NewEngine(rest.Platform{
		Name: "widgets", BaseURL: baseURL, Prefix: []rest.Segment{rest.Lit("v1")},
		Header: http.Header{"Authorization": {"Bearer " + key}}, Secrets: []string{key},
	}, []rest.ClientOption(nil))
	return &widgetClient{e}, err
}

func (c *widgetClient) List(ctx context.Context, n, limit int) ([]widget, error) {
	var out []widget
	q := url.Values{"page": {strconv.Itoa(n)}, "per_page": {strconv.Itoa(limit)}}
	err := c.engine.Do(ctx, &rest.Request{Op: "Widgets.List", Method: http.MethodGet, Path: "/widgets", Query: q, Idempotent: true}, &out)
	return out, err
}

func (c *widgetClient) ListAll(ctx context.Context, limit int) iter.Seq2[widget, error] {
	return page.Pages(ctx, limit, func(w widget) string { return strconv.Itoa(w.ID) },
		func(ctx context.Context, n int) (page.NumberedPage[widget], error) {
			items, err := c.List(ctx, n, limit)
			return page.NumberedPage[widget]{Items: items}, err
		})
}

// --- end of the throwaway platform ---

func TestSeamCarriesABearerPageNumberedPlatform(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Authorization") != "Bearer k3y" || r.URL.Path != "/v1/widgets" {
			http.Error(w, `{"message":"no"}`, http.StatusUnauthorized)
			return
		}
		n, _ := strconv.Atoi(r.URL.Query().Get("page"))
		per, _ := strconv.Atoi(r.URL.Query().Get("per_page"))
		var items []widget
		for i := (n-1)*per + 1; i <= min(n*per, 25); i++ {
			items = append(items, widget{ID: i})
		}
		_ = json.NewEncoder(w).Encode(items)
	}))
	defer srv.Close()

	c, err := newWidgetClient(srv.URL, "k3y")
	require.NoError(t, err)
	var ids []int
	for w, err := range c.ListAll(context.Background(), 10) {
		require.NoError(t, err)
		ids = append(ids, w.ID)
	}
	assert.Len(t, ids, 25)
	assert.Equal(t, 25, ids[24])

	bad, err := newWidgetClient(srv.URL, "wrong-key")
	require.NoError(t, err)
	_, err = bad.List(context.Background(), 1, 10)
	var api *apierr.APIError
	require.ErrorAs(t, err, &api)
	assert.Equal(t, http.StatusUnauthorized, api.StatusCode)
	testkit.AssertNoSecret(t, "wrong-key", err)
	assert.Regexp(t, `^widgets: Widgets\.List: GET http://127\.0\.0\.1:\d+/v1/widgets\?page=1&per_page=10: 401 Unauthorized: no$`, err.Error())
}

// A token that escapes differently in a path and a query never shows, in
// any form, in an error (to the bottom of its chain), a URL or a log.
func TestSecretPathSegmentIsShownAsAPlaceholder(t *testing.T) {
	const token = "tok en:ü+1"
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		// A server that echoes everything it got, in every spelling.
		w.WriteHeader(http.StatusNotFound)
		fmt.Fprintf(w, `{"message":"ChannelChat config not found for token %s %s %s"}`, r.URL.Path, r.URL.EscapedPath(), r.URL.RawQuery)
	}))
	defer srv.Close()
	logger, logs := testkit.Logger()
	e, err := rest.NewEngine(rest.Platform{
		Name: "aimy", BaseURL: srv.URL, Prefix: []rest.Segment{rest.Lit("chatapi"), rest.SecretSegment("token", token)},
	}, []rest.ClientOption{logOption{logger}})
	require.NoError(t, err)

	err = e.Do(context.Background(), &rest.Request{Op: "Events.Get", Method: http.MethodGet, Path: "/events",
		Query: url.Values{"echo": {token}}}, nil)
	api := new(apierr.APIError)
	require.ErrorAs(t, err, &api)
	assert.Contains(t, api.URL, "/chatapi/{token}/events")
	testkit.AssertNoSecret(t, token, err, api.URL, api.Body, api.Message, logs.String())

	// A connection that fails: the TransportError's path has the placeholder.
	srv.Close()
	err = e.Do(context.Background(), &rest.Request{Op: "Events.Get", Method: http.MethodGet, Path: "/events"}, nil)
	var te *apierr.TransportError
	require.ErrorAs(t, err, &te)
	assert.Equal(t, "/chatapi/{token}/events", te.Path)
	testkit.AssertNoSecret(t, token, err, logs.String())
}

type logOption struct{ l *slog.Logger }

func (o logOption) ApplyClient(c *rest.Config) error { c.Logger = o.l; return nil }

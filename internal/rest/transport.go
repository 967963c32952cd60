package rest

import (
	"errors"
	"net/http"
	"net/url"
	"strings"
)

// guardedClient returns a copy of hc, the caller's client, for the engine
// to send with. Two things differ from hc:
//
//   - Redirects stay on the base URL's scheme and host. Go drops only
//     Authorization and cookies when a redirect leaves the host; custom
//     credential headers such as X-API-Secret-Key (and a 307's body) would
//     follow it. A redirect elsewhere is not followed: the 3xx comes back as
//     an error response.
//   - The engine never closes the client's idle connections. go-retryablehttp
//     does so whenever a call gives up, which would empty the pool of a
//     client the application shares.
func guardedClient(hc *http.Client, base *url.URL) *http.Client {
	cp := *hc
	next := cp.Transport
	if next == nil {
		next = http.DefaultTransport
	}
	cp.Transport = keepIdleConns{next}
	userCheck := cp.CheckRedirect
	cp.CheckRedirect = func(req *http.Request, via []*http.Request) error {
		if !sameOrigin(req.URL, base) {
			return http.ErrUseLastResponse
		}
		if userCheck != nil {
			return userCheck(req, via)
		}
		if len(via) >= 10 {
			return errors.New("stopped after 10 redirects")
		}
		return nil
	}
	return &cp
}

// sameOrigin reports whether u has base's scheme and host.
func sameOrigin(u, base *url.URL) bool {
	return strings.EqualFold(u.Scheme, base.Scheme) && strings.EqualFold(u.Host, base.Host)
}

// keepIdleConns hides the transport's CloseIdleConnections from
// http.Client.CloseIdleConnections (see guardedClient).
type keepIdleConns struct{ http.RoundTripper }

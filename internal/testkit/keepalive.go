package testkit

import (
	"context"
	"net"
	"net/http"
	"net/http/httptest"
	"net/http/httptrace"
	"sync"
	"testing"
	"time"
)

// KeepAliveServer answers every request with one JSON body and, like the
// real Botyard server, never closes an idle connection by itself: what a
// client's Close must release. It is closed when the test ends.
type KeepAliveServer struct {
	*httptest.Server
	closed chan struct{}

	mu   sync.Mutex
	open int
}

// KeepAlive starts a KeepAliveServer answering body.
func KeepAlive(t testing.TB, body string) *KeepAliveServer {
	s := &KeepAliveServer{closed: make(chan struct{}, 16)}
	s.Server = httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(body))
	}))
	s.Config.IdleTimeout = time.Hour
	s.Config.ConnState = func(_ net.Conn, state http.ConnState) {
		s.mu.Lock()
		defer s.mu.Unlock()
		switch state {
		case http.StateNew:
			s.open++
		case http.StateClosed, http.StateHijacked:
			s.open--
			s.closed <- struct{}{}
		}
	}
	s.Start()
	t.Cleanup(s.Close)
	return s
}

// OpenConns counts the connections the server holds open.
func (s *KeepAliveServer) OpenConns() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.open
}

// WaitClosed waits (10 s at most) for the server to see a connection end.
func (s *KeepAliveServer) WaitClosed(t testing.TB) {
	t.Helper()
	select {
	case <-s.closed:
	case <-time.After(10 * time.Second):
		t.Fatal("the connection was never closed")
	}
}

// Reuses reports whether a request through tr to url reuses an idle
// connection: whether a client's Close left tr's pool alone.
func Reuses(t testing.TB, tr http.RoundTripper, method, url string) bool {
	t.Helper()
	var reused bool
	ctx := httptrace.WithClientTrace(context.Background(), &httptrace.ClientTrace{
		GotConn: func(info httptrace.GotConnInfo) { reused = info.Reused },
	})
	req, err := http.NewRequestWithContext(ctx, method, url, nil)
	if err != nil {
		t.Fatal(err)
	}
	resp, err := (&http.Client{Transport: tr}).Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return reused
}

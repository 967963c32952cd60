package chatbot_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"

	chatbot "github.com/chatbot-sdk/chatbot-go"
)

// benchServer answers every request with body.
func benchServer(b *testing.B, body []byte) *httptest.Server {
	b.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write(body)
	}))
	b.Cleanup(srv.Close)
	return srv
}

// BenchmarkSend compares Messages.Send with the least a hand-written client
// does: one net/http POST and one encoding/json decode.
func BenchmarkSend(b *testing.B) {
	body := []byte(`{"success":true,"conversationId":"ea74ba3d-6645-4a88-92d1-7f78b1f83688","response":"The average distance from the Earth to the Moon is about 238,855 miles (384,400 kilometers)."}`)
	srv := benchServer(b, body)
	ctx := context.Background()

	b.Run("baseline=net/http+encoding/json", func(b *testing.B) {
		hc := srv.Client()
		url := srv.URL + "/api/public/channels/c/1.0/message"
		b.ReportAllocs()
		for i := 0; i < b.N; i++ {
			payload, _ := json.Marshal(map[string]string{"message": "hi"})
			req, _ := http.NewRequestWithContext(ctx, http.MethodPost, url, bytes.NewReader(payload))
			req.Header.Set("X-API-Secret-Key", "k")
			req.Header.Set("Content-Type", "application/json")
			resp, err := hc.Do(req)
			if err != nil {
				b.Fatal(err)
			}
			var out struct {
				Success        bool   `json:"success"`
				ConversationID string `json:"conversationId"`
				Response       string `json:"response"`
			}
			err = json.NewDecoder(resp.Body).Decode(&out)
			resp.Body.Close()
			if err != nil || !out.Success {
				b.Fatal(err)
			}
		}
	})
	b.Run("chatbot", func(b *testing.B) {
		c, err := chatbot.NewClient("c", "k", chatbot.WithBaseURL(srv.URL), chatbot.WithHTTPClient(srv.Client()))
		if err != nil {
			b.Fatal(err)
		}
		p := &chatbot.SendParams{Message: "hi"}
		b.ReportAllocs()
		for i := 0; i < b.N; i++ {
			if _, err := c.Messages.Send(ctx, p); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// BenchmarkListAll walks 1,000 messages in pages of 100 with the auto-pager
// and with a hand-written cursor loop.
func BenchmarkListAll(b *testing.B) {
	const total, limit = 1000, 100
	pages := make(map[string][]byte)
	cursor := ""
	for start := 0; start < total; start += limit {
		var items []map[string]string
		for i := start; i < start+limit; i++ {
			items = append(items, map[string]string{"id": fmt.Sprintf("m%04d", i), "message": "some text of a message", "role": "user", "createdAt": "2024-01-27T15:02:51.970Z"})
		}
		last := items[len(items)-1]["id"]
		pages[cursor], _ = json.Marshal(map[string]any{"success": true, "messages": items, "pagination": map[string]any{"total": total, "last": last}})
		cursor = last
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var req struct {
			Cursor string `json:"cursor"`
		}
		_ = json.NewDecoder(r.Body).Decode(&req)
		_, _ = w.Write(pages[req.Cursor])
	}))
	b.Cleanup(srv.Close)
	ctx := context.Background()

	b.Run("baseline=net/http+encoding/json", func(b *testing.B) {
		hc := srv.Client()
		b.ReportAllocs()
		for i := 0; i < b.N; i++ {
			n, cursor := 0, ""
			for {
				payload, _ := json.Marshal(map[string]any{"conversationId": "c", "limit": limit, "cursor": cursor})
				resp, err := hc.Post(srv.URL+"/messages", "application/json", bytes.NewReader(payload))
				if err != nil {
					b.Fatal(err)
				}
				var out struct {
					Messages []struct {
						ID, Message, Role, CreatedAt string
					}
					Pagination struct {
						Total int
						Last  string
					}
				}
				err = json.NewDecoder(resp.Body).Decode(&out)
				resp.Body.Close()
				if err != nil {
					b.Fatal(err)
				}
				n += len(out.Messages)
				if len(out.Messages) == 0 || n >= out.Pagination.Total {
					break
				}
				cursor = out.Pagination.Last
			}
			if n != total {
				b.Fatalf("got %d", n)
			}
		}
	})
	b.Run("chatbot", func(b *testing.B) {
		c, err := chatbot.NewClient("c", "k", chatbot.WithBaseURL(srv.URL), chatbot.WithHTTPClient(srv.Client()))
		if err != nil {
			b.Fatal(err)
		}
		b.ReportAllocs()
		for i := 0; i < b.N; i++ {
			n := 0
			for _, err := range c.Messages.ListAll(ctx, "c", &chatbot.ListParams{Limit: limit}) {
				if err != nil {
					b.Fatal(err)
				}
				n++
			}
			if n != total {
				b.Fatalf("got %d", n)
			}
		}
	})
}

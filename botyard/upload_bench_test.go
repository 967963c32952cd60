package botyard_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"runtime"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/chatbot-sdk/chatbot-go"
	"github.com/chatbot-sdk/chatbot-go/botyard"
)

const bigUpload = 50 << 20

// sinkServer reads uploads part by part without keeping them and answers
// like Botyard, with each part's size.
func sinkServer(tb testing.TB) *httptest.Server {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mr, err := r.MultipartReader()
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		var out []botyard.File
		for {
			part, err := mr.NextPart()
			if err == io.EOF {
				break
			}
			if err != nil {
				http.Error(w, err.Error(), http.StatusBadRequest)
				return
			}
			n, err := io.Copy(io.Discard, part)
			if err != nil {
				http.Error(w, err.Error(), http.StatusBadRequest)
				return
			}
			out = append(out, botyard.File{ID: "f", Name: part.FileName(), Size: n, MimeType: part.Header.Get("Content-Type")})
		}
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(out)
	}))
	tb.Cleanup(srv.Close)
	return srv
}

// peakHeapGrowth runs f and returns how far the live heap rose above its
// level before f, sampled every millisecond.
func peakHeapGrowth(f func()) uint64 {
	var ms runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&ms)
	base := ms.HeapAlloc
	var peak uint64
	stop := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		t := time.NewTicker(time.Millisecond)
		defer t.Stop()
		var s runtime.MemStats
		for {
			runtime.ReadMemStats(&s)
			if s.HeapAlloc > base && s.HeapAlloc-base > peak {
				peak = s.HeapAlloc - base
			}
			select {
			case <-stop:
				return
			case <-t.C:
			}
		}
	}()
	f()
	close(stop)
	wg.Wait()
	return peak
}

func uploadClient(tb testing.TB, url string) *botyard.Client {
	c, err := botyard.NewClient(url, botyard.WithSession(sessionJWT), botyard.WithSizeLimits(botyard.SizeLimits{}), chatbot.WithMaxAttempts(1))
	require.NoError(tb, err)
	return c
}

// TestUploadFiftyMiBKeepsHeapSmall streams 50 MiB from a reader: the heap
// grows by a small, constant amount, not by the file's size.
func TestUploadFiftyMiBKeepsHeapSmall(t *testing.T) {
	if testing.Short() {
		t.Skip("moves 50 MiB")
	}
	srv := sinkServer(t)
	c := uploadClient(t, srv.URL)
	var files []botyard.File
	var err error
	growth := peakHeapGrowth(func() {
		files, err = c.Files.Upload(context.Background(), []botyard.Upload{botyard.Upload{Name: "big.mp4", ContentType: "video/mp4", Reader: io.LimitReader(zeros{}, bigUpload)}})
	})
	require.NoError(t, err)
	require.Len(t, files, 1)
	require.Equal(t, int64(bigUpload), files[0].Size)
	t.Logf("50 MiB upload: peak heap growth %.2f MiB", float64(growth)/(1<<20))
	require.Less(t, growth, uint64(8<<20), "the upload must not be held in memory")
}

// BenchmarkUpload50MiB compares the SDK's streamed upload with a plain
// net/http upload streamed the same way and with one built in memory.
func BenchmarkUpload50MiB(b *testing.B) {
	srv := sinkServer(b)
	ctx := context.Background()
	run := func(b *testing.B, upload func() error) {
		b.SetBytes(bigUpload)
		b.ReportAllocs()
		var peak uint64
		for i := 0; i < b.N; i++ {
			var err error
			g := peakHeapGrowth(func() { err = upload() })
			if err != nil {
				b.Fatal(err)
			}
			peak = max(peak, g)
		}
		b.ReportMetric(float64(peak)/(1<<20), "peak-heap-MiB")
	}
	b.Run("sdk-stream", func(b *testing.B) {
		c := uploadClient(b, srv.URL)
		run(b, func() error {
			_, err := c.Files.Upload(ctx, []botyard.Upload{botyard.Upload{Name: "big.mp4", ContentType: "video/mp4", Reader: io.LimitReader(zeros{}, bigUpload)}})
			return err
		})
	})
	b.Run("baseline-nethttp-pipe", func(b *testing.B) {
		run(b, func() error {
			pr, pw := io.Pipe()
			mw := multipart.NewWriter(pw)
			go func() {
				part, err := mw.CreateFormFile("file", "big.mp4")
				if err == nil {
					_, err = io.Copy(part, io.LimitReader(zeros{}, bigUpload))
				}
				if err == nil {
					err = mw.Close()
				}
				pw.CloseWithError(err)
			}()
			return post(srv.URL, mw.FormDataContentType(), pr)
		})
	})
	b.Run("baseline-nethttp-buffered", func(b *testing.B) {
		run(b, func() error {
			var buf bytes.Buffer
			mw := multipart.NewWriter(&buf)
			part, err := mw.CreateFormFile("file", "big.mp4")
			if err != nil {
				return err
			}
			if _, err := io.Copy(part, io.LimitReader(zeros{}, bigUpload)); err != nil {
				return err
			}
			if err := mw.Close(); err != nil {
				return err
			}
			return post(srv.URL, mw.FormDataContentType(), &buf)
		})
	})
}

func post(url, contentType string, body io.Reader) error {
	resp, err := http.Post(url, contentType, body)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	var out []botyard.File
	if err := json.NewDecoder(resp.Body).Decode(&out); err != nil {
		return err
	}
	if len(out) != 1 || out[0].Size != bigUpload {
		return fmt.Errorf("server saw %+v", out)
	}
	return nil
}

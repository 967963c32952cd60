package sse_test

import (
	"bytes"
	"io"
	"strings"
	"testing"

	"github.com/chatbot-sdk/chatbot-go/internal/sse"
	"github.com/chatbot-sdk/chatbot-go/internal/testkit"
)

// BenchmarkReaderSplits reads one 1 MiB event arriving a byte at a time,
// and a stream of CR-terminated lines: both stay linear in the input.
func BenchmarkReaderSplits(b *testing.B) {
	for name, input := range map[string][]byte{
		"1MiB-line-1-byte-reads": []byte("data: " + strings.Repeat("x", 1<<20-100) + "\n\n"),
		"CR-lines-1-64-reads":    bytes.Repeat([]byte("data: abc\r\r"), 100_000),
	} {
		b.Run(name, func(b *testing.B) {
			b.SetBytes(int64(len(input)))
			b.ReportAllocs()
			for i := 0; i < b.N; i++ {
				var r io.Reader = testkit.ChunkyReader(input)
				if strings.HasPrefix(name, "1MiB") {
					r = testkit.SplitReader(input, []int{1}...)
				}
				sr := sse.NewReader(r)
				for {
					if _, err := sr.Next(); err != nil {
						if err != io.EOF {
							b.Fatal(err)
						}
						break
					}
				}
			}
		})
	}
}

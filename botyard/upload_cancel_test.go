package botyard_test

import (
	"context"
	"errors"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/chatbot-sdk/chatbot-go/botyard"
)

// stalledUpload runs an upload whose source never produces a byte, under
// a 300ms deadline, and returns its error. It fails the test if the call
// is still running 3s later, which only a hang would explain.
func stalledUpload(t *testing.T, u botyard.Upload) error {
	t.Helper()
	c := uploadClient(t, sinkServer(t).URL)
	ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
	defer cancel()
	done := make(chan error, 1)
	go func() {
		_, err := c.Files.Upload(ctx, []botyard.Upload{u})
		done <- err
	}()
	select {
	case err := <-done:
		return err
	case <-time.After(3 * time.Second):
		t.Fatal("Upload is still blocked 3s after its 300ms deadline")
		return nil
	}
}

// TestUploadBlockedReaderEndsWithItsContext: a plain Reader that blocks
// cannot be closed by the SDK, so the call returns without waiting for
// it, with the context's error.
func TestUploadBlockedReaderEndsWithItsContext(t *testing.T) {
	pr, pw := io.Pipe()
	// The writer goroutine exits once this Read returns: unblock it before
	// the test ends, as an application's source eventually would.
	defer pw.Close()
	err := stalledUpload(t, botyard.Upload{Name: "stuck.bin", Reader: pr})
	assert.ErrorIs(t, err, context.DeadlineExceeded)
}

// TestUploadBlockedOpenSourceIsClosed: a source from Open belongs to the
// SDK, which closes it to end the blocked Read.
func TestUploadBlockedOpenSourceIsClosed(t *testing.T) {
	pr, pw := io.Pipe()
	defer pw.Close()
	err := stalledUpload(t, botyard.Upload{Name: "stuck.bin", Open: func() (io.ReadCloser, error) { return pr, nil }})
	assert.ErrorIs(t, err, context.DeadlineExceeded)
	_, werr := pw.Write([]byte("x"))
	assert.True(t, errors.Is(werr, io.ErrClosedPipe), "the source was closed: %v", werr)
}

// TestUploadSourceFailingWithClosedPipe: a source whose own error is
// io.ErrClosedPipe (its reader was closed by someone else) fails the call
// with that error; it is not mistaken for the SDK stopping the body.
func TestUploadSourceFailingWithClosedPipe(t *testing.T) {
	pr, pw := io.Pipe()
	require.NoError(t, pr.Close())
	defer pw.Close()
	c := uploadClient(t, sinkServer(t).URL)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	_, err := c.Files.Upload(ctx, []botyard.Upload{botyard.Upload{Name: "a.bin", Reader: pr}})
	assert.ErrorIs(t, err, io.ErrClosedPipe)
	assert.NoError(t, ctx.Err(), "the call ended on the source's error, not on the deadline")
}

// closeSignal is a ReadCloser whose Close closes closed.
type closeSignal struct {
	io.Reader
	closed chan struct{}
}

func (c *closeSignal) Close() error {
	close(c.closed)
	return nil
}

// TestUploadBlockedOpenEndsWithItsContext: an Open that blocks (a FIFO, a
// fetch that takes no context) cannot be interrupted, so the call returns
// with its context without waiting for it; what Open returns afterwards
// is closed, as nobody reads it.
func TestUploadBlockedOpenEndsWithItsContext(t *testing.T) {
	release := make(chan struct{})
	src := &closeSignal{Reader: strings.NewReader("x"), closed: make(chan struct{})}
	err := stalledUpload(t, botyard.Upload{Name: "slow.bin", Open: func() (io.ReadCloser, error) {
		<-release
		return src, nil
	}})
	assert.ErrorIs(t, err, context.DeadlineExceeded)

	close(release) // Open returns now, after the call
	select {
	case <-src.closed:
	case <-time.After(3 * time.Second):
		t.Fatal("the source Open returned after the call was never closed")
	}
}

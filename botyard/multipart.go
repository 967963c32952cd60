package botyard

import (
	"errors"
	"fmt"
	"io"
	"mime/multipart"
	"net/textproto"
	"strings"
	"sync"
)

// multipartBody produces the upload's multipart body, streamed through an
// io.Pipe by one goroutine per attempt. No goroutine outlives the call:
// finish stops and waits for every one that was started.
type multipartBody struct {
	files    []Upload
	limits   SizeLimits
	boundary string

	mu       sync.Mutex
	streams  []*partStream
	owner    *partStream // the attempt that has read the one-shot Readers
	finished bool
}

func newMultipartBody(files []Upload, limits SizeLimits) *multipartBody {
	return &multipartBody{files: files, limits: limits, boundary: newBoundary()}
}

func (b *multipartBody) contentType() string {
	return "multipart/form-data; boundary=" + b.boundary
}

// errSourceUsed is what a second attempt would get from a one-shot Reader;
// OneShot requests are not retried, so it is a guard, not a path.
var errSourceUsed = errors.New("botyard: upload source is an io.Reader that was already read; use Upload.Open to allow retries")

// errCallDone stops a writer whose call has returned.
var errCallDone = errors.New("botyard: upload call finished")

// open is the rest.Request Body function. It must be cheap: the engine
// calls it once up front only to probe the length, so nothing starts until
// the transport first reads.
func (b *multipartBody) open() (io.Reader, error) {
	return &partStream{body: b}, nil
}

// finish stops every writer still running, waits for it, and returns the
// first writer error that is not a consequence of the stop itself.
func (b *multipartBody) finish() error {
	b.mu.Lock()
	b.finished = true
	streams := b.streams
	b.mu.Unlock()
	var first error
	for _, s := range streams {
		s.pr.CloseWithError(errCallDone)
		<-s.done
		if s.err != nil && first == nil && !errors.Is(s.err, errCallDone) && !errors.Is(s.err, io.ErrClosedPipe) {
			first = s.err
		}
	}
	return first
}

// partStream is one attempt's body: it starts its writer on first Read.
type partStream struct {
	body *multipartBody
	once sync.Once
	pr   *io.PipeReader
	done chan struct{}
	err  error // the writer's result, set before done is closed
}

// Read starts the writer on first use and reads what it produces.
func (s *partStream) Read(p []byte) (int, error) {
	s.once.Do(s.start)
	if s.pr == nil {
		return 0, errCallDone // closed before it was read
	}
	return s.pr.Read(p)
}

// Close ends the attempt: the writer sees a closed pipe and stops. It does
// not wait (the transport may call it from its own goroutine); finish does.
func (s *partStream) Close() error {
	s.once.Do(func() { s.pr, s.done = nil, nil })
	if s.pr != nil {
		s.pr.CloseWithError(errCallDone)
	}
	return nil
}

// start launches the writer, unless the call is over.
func (s *partStream) start() {
	b := s.body
	pr, pw := io.Pipe()
	s.pr, s.done = pr, make(chan struct{})
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.finished {
		pr.CloseWithError(errCallDone)
		close(s.done)
		return
	}
	b.streams = append(b.streams, s)
	go func() {
		defer close(s.done)
		s.err = b.write(pw, s)
		pw.CloseWithError(s.err)
	}()
}

// write produces the whole multipart body into w.
func (b *multipartBody) write(w io.Writer, attempt *partStream) error {
	cw := &cappedWriter{w: w, limit: b.limits.Request}
	mw := multipart.NewWriter(cw)
	if err := mw.SetBoundary(b.boundary); err != nil {
		return err
	}
	for i := range b.files {
		if err := b.writePart(mw, &b.files[i], attempt); err != nil {
			return err
		}
	}
	return mw.Close()
}

var quoteEscaper = strings.NewReplacer(`\`, `\\`, `"`, `\"`)

// writePart writes one file as a part named "file", always with a
// Content-Type (a part without one crashes the real server).
func (b *multipartBody) writePart(mw *multipart.Writer, u *Upload, attempt *partStream) error {
	src, err := b.source(u, attempt)
	if err != nil {
		return err
	}
	defer src.Close()
	h := textproto.MIMEHeader{}
	h.Set("Content-Disposition", fmt.Sprintf(`form-data; name="file"; filename="%s"`, quoteEscaper.Replace(u.Name)))
	h.Set("Content-Type", u.ContentType)
	part, err := mw.CreatePart(h)
	if err != nil {
		return err
	}
	limit := b.limits.forType(u.ContentType)
	if limit <= 0 {
		_, err = io.Copy(part, src)
		return err
	}
	n, err := io.Copy(part, io.LimitReader(src, limit+1))
	if err != nil {
		return err
	}
	if n > limit {
		return &FileTooLargeError{Name: u.Name, ContentType: u.ContentType, Size: n, Limit: limit}
	}
	return nil
}

// source opens u's content for one attempt. One-shot Readers belong to
// the first attempt that reads them.
func (b *multipartBody) source(u *Upload, attempt *partStream) (io.ReadCloser, error) {
	if u.Open != nil {
		rc, err := u.Open()
		if err != nil {
			return nil, fmt.Errorf("botyard: opening %q: %w", u.Name, err)
		}
		return rc, nil
	}
	b.mu.Lock()
	if b.owner == nil {
		b.owner = attempt
	}
	owned := b.owner == attempt
	b.mu.Unlock()
	if !owned {
		return nil, errSourceUsed
	}
	return io.NopCloser(u.Reader), nil
}

// cappedWriter fails once more than limit bytes were written (0 = no cap),
// for the server's cap on the whole request body.
type cappedWriter struct {
	w       io.Writer
	limit   int64
	written int64
}

// Write passes p on unless it would go over the cap.
func (c *cappedWriter) Write(p []byte) (int, error) {
	if c.limit > 0 && c.written+int64(len(p)) > c.limit {
		return 0, &FileTooLargeError{Name: "(all files)", Size: c.written + int64(len(p)), Limit: c.limit}
	}
	n, err := c.w.Write(p)
	c.written += int64(n)
	return n, err
}

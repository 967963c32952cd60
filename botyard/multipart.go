package botyard

import (
	"errors"
	"fmt"
	"io"
	"mime/multipart"
	"net/textproto"
	"strings"
	"sync"
	"sync/atomic"
)

// multipartBody produces the upload's multipart body, streamed through an
// io.Pipe by one goroutine per attempt. When the call returns, finish
// stops every writer and waits for it, except one still inside a source's
// Read, which the SDK cannot be sure to interrupt: that goroutine ends as
// soon as the Read returns, without reading again.
type multipartBody struct {
	files    []Upload
	limits   SizeLimits
	boundary string

	mu       sync.Mutex
	streams  []*partStream
	owner    *partStream // the attempt that has read the one-shot Readers
	finished bool

	sent atomic.Int64 // the most bytes one attempt handed to the transport
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

// abort stops every writer without waiting, and no later attempt starts;
// the transport's reads of the body fail with cause. It runs when the
// call's context ends: the transport waits for the body to end before it
// gives up, so a writer stuck in a source's Read would otherwise hold the
// call past its context.
func (b *multipartBody) abort(cause error) {
	for _, s := range b.close() {
		s.stop(cause)
	}
}

// close marks the body finished and returns the attempts started so far.
func (b *multipartBody) close() []*partStream {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.finished = true
	return b.streams
}

// finish stops every writer, waits for those that can be waited for, and
// returns the first writer error that is not a consequence of the stop.
func (b *multipartBody) finish() error {
	var first error
	for _, s := range b.close() {
		if blocked := s.stop(errCallDone); blocked {
			continue // inside a source's Read: it exits when that returns
		}
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

	read int64 // bytes handed to the transport; Read is never concurrent

	mu      sync.Mutex
	stopped error // why the attempt was stopped; nil while it runs
	sources []*attemptSource
	opening bool // the writer is inside an Upload.Open
}

// Read starts the writer on first use and reads what it produces. After
// a stop it reports the stop's reason (the context's error on abort).
func (s *partStream) Read(p []byte) (int, error) {
	s.once.Do(s.start)
	if s.pr == nil {
		return 0, errCallDone // closed before it was read
	}
	n, err := s.pr.Read(p)
	s.read += int64(n)
	for seen := s.body.sent.Load(); s.read > seen && !s.body.sent.CompareAndSwap(seen, s.read); seen = s.body.sent.Load() {
	}
	if err == io.ErrClosedPipe { // closed by stop, or too late to start
		s.mu.Lock()
		if s.stopped != nil {
			err = s.stopped
		}
		s.mu.Unlock()
	}
	return n, err
}

// Close ends the attempt without waiting (the transport may call it from
// its own goroutine); finish waits.
func (s *partStream) Close() error {
	s.once.Do(func() { s.pr, s.done = nil, nil })
	s.stop(errCallDone)
	return nil
}

// stop closes the pipe and stops the attempt's sources; the first stop's
// cause is the one reported. It reports whether the writer may still be
// inside a source's Read.
func (s *partStream) stop(cause error) (blocked bool) {
	s.mu.Lock()
	if s.stopped == nil {
		s.stopped = cause
	}
	sources := s.sources
	blocked = s.opening
	s.mu.Unlock()
	if s.pr != nil {
		s.pr.CloseWithError(cause)
	}
	for _, src := range sources {
		if src.stop() {
			blocked = true
		}
	}
	return blocked
}

// opened runs open (an Upload.Open) marked as such, so that a stop in the
// meantime knows the writer is blocked there and does not wait for it.
// After a stop it does not call open at all.
func (s *partStream) opened(open func() (io.ReadCloser, error)) (io.ReadCloser, error) {
	s.mu.Lock()
	if s.stopped != nil {
		s.mu.Unlock()
		return nil, errCallDone
	}
	s.opening = true
	s.mu.Unlock()
	defer func() {
		s.mu.Lock()
		s.opening = false
		s.mu.Unlock()
	}()
	return open()
}

// track registers a source the writer opened, so that stop reaches it; a
// source opened after the stop is closed at once.
func (s *partStream) track(src *attemptSource) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.stopped != nil {
		_ = src.Close()
		return errCallDone
	}
	s.sources = append(s.sources, src)
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
func (b *multipartBody) source(u *Upload, attempt *partStream) (*attemptSource, error) {
	var src *attemptSource
	if u.Open != nil {
		// track closes what an Open that outlived the call returns.
		rc, err := attempt.opened(u.Open)
		if errors.Is(err, errCallDone) {
			return nil, err
		}
		if err != nil {
			return nil, fmt.Errorf("botyard: opening %q: %w", u.Name, err)
		}
		src = &attemptSource{r: rc, closer: rc}
	} else {
		b.mu.Lock()
		if b.owner == nil {
			b.owner = attempt
		}
		owned := b.owner == attempt
		b.mu.Unlock()
		if !owned {
			return nil, errSourceUsed
		}
		src = &attemptSource{r: u.Reader}
	}
	if err := attempt.track(src); err != nil {
		return nil, err
	}
	return src, nil
}

// attemptSource is one file's content during one attempt. Once stopped it
// starts no new Read, and a source from Upload.Open is closed, which ends
// a Read in progress on files, pipes and connections. A caller's plain
// Reader (closer nil) is not the SDK's to close.
type attemptSource struct {
	r         io.Reader
	closer    io.Closer
	closeOnce sync.Once

	mu      sync.Mutex
	stopped bool
	reading bool
}

// Read reads from the source unless the attempt is over. A Read that
// returns after the stop reports errCallDone: its result, or the error
// the close caused, no longer matters.
func (a *attemptSource) Read(p []byte) (int, error) {
	a.mu.Lock()
	if a.stopped {
		a.mu.Unlock()
		return 0, errCallDone
	}
	a.reading = true
	a.mu.Unlock()
	n, err := a.r.Read(p)
	a.mu.Lock()
	defer a.mu.Unlock()
	a.reading = false
	if a.stopped {
		return 0, errCallDone
	}
	return n, err
}

// Close closes a source from Upload.Open, once.
func (a *attemptSource) Close() error {
	var err error
	if a.closer != nil {
		a.closeOnce.Do(func() { err = a.closer.Close() })
	}
	return err
}

// stop ends the source's use, closing it when it came from Upload.Open,
// and reports whether a Read was still in progress. Nobody waits for such
// a Read: a caller's Reader cannot be interrupted, and a Close is not
// promised to interrupt every ReadCloser.
func (a *attemptSource) stop() (blocked bool) {
	a.mu.Lock()
	a.stopped = true
	reading := a.reading
	a.mu.Unlock()
	_ = a.Close()
	return reading
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

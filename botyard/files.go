package botyard

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"unicode"

	"github.com/chatbot-sdk/chatbot-go"
	"github.com/chatbot-sdk/chatbot-go/internal/rest"
)

// FileService uploads files to attach to messages.
type FileService struct{ client *Client }

// Upload is one file to upload. Give it either Open, which lets a failed
// upload be retried, or Reader, which is read once. A call with a Reader
// among its files is never retried, not even after a connection error
// that came before anything was sent (a refused connection, a failed
// DNS lookup): the first failure is returned as it is, and the caller
// decides whether the Reader can be offered again.
type Upload struct {
	// Name is the file name the server records; required.
	Name string
	// ContentType is the declared type; it decides the server's size limit
	// (images 2 MiB, audio 5 MiB, video 25 MiB, other 10 MiB by default)
	// and the stored file's extension. "" sends application/octet-stream:
	// every part must have a type, or the real server crashes.
	ContentType string
	// Size, when known (> 0), is checked against the limits before
	// anything is sent. Unknown sizes are checked while streaming.
	Size int64
	// Open returns a fresh reader over the whole content; it is called
	// once per attempt and the reader is closed after it (possibly while
	// a Read is in progress, when the call's context ends).
	Open func() (io.ReadCloser, error)
	// Reader is the content, for sources that cannot be reopened.
	Reader io.Reader
}

// FileFromPath describes the file at path: its base name, the type its
// extension maps to (application/octet-stream when unknown) and its size.
// The file is opened only when uploaded, once per attempt.
func FileFromPath(path string) (Upload, error) {
	st, err := os.Stat(path)
	if err != nil {
		return Upload{}, err
	}
	if !st.Mode().IsRegular() {
		return Upload{}, fmt.Errorf("botyard: %s is not a regular file", path)
	}
	ct := "application/octet-stream"
	if t, _, err := mime.ParseMediaType(mime.TypeByExtension(filepath.Ext(path))); err == nil {
		ct = t // without parameters: the server compares the type exactly
	}
	return Upload{
		Name:        filepath.Base(path),
		ContentType: ct,
		Size:        st.Size(),
		Open:        func() (io.ReadCloser, error) { return os.Open(path) },
	}, nil
}

// FileFromBytes describes an in-memory file; it can be retried. data is
// read, not copied, so it must not change until the upload returns.
func FileFromBytes(name, contentType string, data []byte) Upload {
	return Upload{
		Name: name, ContentType: contentType, Size: int64(len(data)),
		Open: func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(data)), nil },
	}
}

// Upload sends 1 to MaxAttachments files in one request and returns them
// as stored, in the same order; pass their IDs in SendParams.AttachmentIDs.
// The content is streamed: no file is held in memory whole. A file over
// the size limits (see WithSizeLimits) fails with a *FileTooLargeError,
// before sending when its Size is known, else as soon as the limit is
// passed; the server's own size errors match ErrFileTooLarge too. The
// server is not atomic: when one file fails, the ones before it may have
// been stored anyway. The client's timeout (chatbot.WithTimeout, 2 minutes
// by default) covers the whole upload: raise it for large files on slow
// links.
//
// Upload returns as soon as ctx ends (with ctx's error), even when a source
// is stuck in Read. A reader from Open is then closed, possibly while that
// Read is in progress, which ends it for files, pipes and connections. A
// plain Reader cannot be interrupted: the goroutine reading it exits when
// its Read returns, and it is not read again.
func (s *FileService) Upload(ctx context.Context, files []Upload, opts ...chatbot.CallOption) ([]File, error) {
	if len(files) == 0 || len(files) > MaxAttachments {
		return nil, invalid("files", fmt.Sprintf("%d given; upload 1 to %d files per call", len(files), MaxAttachments))
	}
	files = append([]Upload(nil), files...) // check fills in defaults: not in the caller's slice
	var total int64
	oneShot := false
	for i := range files {
		if err := s.check(i, &files[i]); err != nil {
			return nil, err
		}
		total += files[i].Size
		oneShot = oneShot || files[i].Open == nil
	}
	if l := s.client.settings.limits.Request; l > 0 && total > l {
		return nil, &FileTooLargeError{Name: "(all files)", Size: total, Limit: l}
	}
	body := newMultipartBody(files, s.client.settings.limits)
	req := &rest.Request{
		Op: "Files.Upload", Method: http.MethodPost, Path: "/files",
		Header: http.Header{"Content-Type": {body.contentType()}},
		Body:   body.open,
	}
	if oneShot {
		// A plain io.Reader can be read once: the engine never retries it.
		req.Body, _ = body.open()
	}
	// The engine bounds the call inside Do; the same deadline is applied
	// here so that the body sees the call end (see abort).
	ctx, dl := rest.WithDeadline(ctx, s.client.engine.Timeout(req, rest.Calls(opts)...))
	defer dl.Release()
	defer context.AfterFunc(ctx, func() { body.abort(context.Cause(ctx)) })()
	var out []File
	err := s.client.do(ctx, req, &out, opts)
	// Once ctx has ended, its error is the answer, whatever the writer saw.
	if werr := body.finish(); werr != nil && ctx.Err() == nil {
		// The writer's reason (a file over the limit, a source that failed
		// to open) explains a cut connection better than the cut itself;
		// an answer the server managed to send still wins over the rest.
		var tooLarge *FileTooLargeError
		var api *chatbot.APIError
		if err == nil || errors.As(werr, &tooLarge) || !errors.As(err, &api) {
			return nil, werr
		}
	}
	if err != nil {
		return nil, serverSizeError(err, max(total, body.sent.Load()))
	}
	return out, nil
}

// check validates one Upload and fills in its default type.
func (s *FileService) check(i int, u *Upload) error {
	field := func(f string) string { return fmt.Sprintf("files[%d].%s", i, f) }
	name, err := baseName(field("Name"), u.Name)
	if err != nil {
		return err
	}
	u.Name = name
	if (u.Open == nil) == (u.Reader == nil) {
		return invalid(field("Open"), "set exactly one of Open and Reader")
	}
	if u.ContentType == "" {
		u.ContentType = "application/octet-stream"
	}
	if _, _, err := mime.ParseMediaType(u.ContentType); err != nil || strings.ContainsAny(u.ContentType, "\r\n") {
		return invalid(field("ContentType"), fmt.Sprintf("%q is not a MIME type", u.ContentType))
	}
	if u.Size < 0 {
		return invalid(field("Size"), "must not be negative")
	}
	if l := s.client.settings.limits.forType(u.ContentType); l > 0 && u.Size > l {
		return &FileTooLargeError{Name: u.Name, ContentType: u.ContentType, Size: u.Size, Limit: l}
	}
	return nil
}

// ErrFileTooLarge is matched by *FileTooLargeError and by the server's own
// "too large" answers (a 400 naming the limit, or the 500 it sends for a
// request over its body limit).
var ErrFileTooLarge = errors.New("botyard: file too large")

// FileTooLargeError is an upload the client stopped because a file, or the
// whole request, is over the configured limit.
type FileTooLargeError struct {
	// Name is the file's name, or "(all files)" for the request limit.
	Name        string
	ContentType string
	// Size is the file's size, or how much of it had been read when the
	// limit was passed.
	Size  int64
	Limit int64
}

// Error names the file, its type and the limit it passed.
func (e *FileTooLargeError) Error() string {
	if e.ContentType == "" {
		return fmt.Sprintf("botyard: upload of %s is over the %d-byte request limit (at least %d bytes)", e.Name, e.Limit, e.Size)
	}
	return fmt.Sprintf("botyard: file %q (%s) is over the %d-byte limit for its type (at least %d bytes)", e.Name, e.ContentType, e.Limit, e.Size)
}

// Is matches ErrFileTooLarge.
func (e *FileTooLargeError) Is(target error) bool { return target == ErrFileTooLarge }

// serverBodyLimit is the documented cap on a request body (the server's
// default "limits.file.request").
const serverBodyLimit = 25 << 20

// serverSizeError marks the server's size refusals with ErrFileTooLarge,
// keeping the *chatbot.APIError (or the transport error) reachable with
// errors.As. The server answers a body over its limit before reading it
// and closes the connection, so the client may see its own write fail
// (a reset, a broken pipe) instead of the answer: when an upload of more
// than the documented limit fails that way, the size is the reason.
func serverSizeError(err error, size int64) error {
	var te *chatbot.TransportError
	if errors.As(err, &te) && size > serverBodyLimit && !errors.Is(err, context.Canceled) && !errors.Is(err, context.DeadlineExceeded) {
		return &tooLargeAPIError{err: err}
	}
	var api *chatbot.APIError
	if !errors.As(err, &api) {
		return err
	}
	if strings.HasPrefix(api.Message, "Max allowed size") || api.Message == "Request Entity Too Large" {
		return &tooLargeAPIError{err: err}
	}
	return err
}

// tooLargeAPIError is a failure whose reason is the upload's size.
type tooLargeAPIError struct{ err error }

// Error is the failure's own text, with the reason when it is not there.
func (e *tooLargeAPIError) Error() string {
	var te *chatbot.TransportError
	if errors.As(e.err, &te) {
		return e.err.Error() + fmt.Sprintf(" (the upload is over the server's %d-byte request limit)", serverBodyLimit)
	}
	return e.err.Error()
}

// Unwrap exposes the APIError (or transport error) and ErrFileTooLarge.
func (e *tooLargeAPIError) Unwrap() []error { return []error{e.err, ErrFileTooLarge} }

// forType returns the limit for a declared Content-Type, following the
// server's categories (exact type strings).
func (l SizeLimits) forType(ct string) int64 {
	switch ct {
	case "image/gif", "image/jpeg", "image/png", "image/svg+xml", "image/webp":
		return l.Image
	case "audio/mpeg", "audio/ogg", "audio/wav", "audio/aac":
		return l.Audio
	case "video/mp4", "video/webm", "video/ogg", "video/quicktime", "video/x-flv":
		return l.Video
	}
	return l.Other
}

// newBoundary picks the multipart boundary once per call, so every attempt
// matches the Content-Type header.
func newBoundary() string { return multipart.NewWriter(io.Discard).Boundary() }

// baseName is the file name an upload is sent with: the last element of
// name, whether it uses "/" or "\" (a Windows path), as browsers send
// it. The server stores it as given, so "../../etc/passwd" would reach
// it, and through it other clients, whole. A name that is nothing but
// separators and dots, or that holds a control character, is refused.
func baseName(field, name string) (string, error) {
	if i := strings.LastIndexAny(name, `/\`); i >= 0 {
		name = name[i+1:]
	}
	switch {
	case strings.TrimSpace(name) == "" || name == "." || name == "..":
		return "", invalid(field, "must name a file, not a directory")
	case len(name) > rest.MaxIDBytes:
		return "", invalid(field, fmt.Sprintf("is longer than %d bytes", rest.MaxIDBytes))
	case strings.IndexFunc(name, unicode.IsControl) >= 0:
		return "", invalid(field, "must not contain control characters")
	}
	return name, nil
}

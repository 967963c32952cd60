package chatbottest

import (
	"fmt"
	"io"
	"mime"
	"net/http"
)

// byFileCategory gives the real server's directory and default size limit
// for a declared Content-Type (compared as an exact string).
func byFileCategory(ct string) (dir string, limit int64) {
	switch ct {
	case "image/gif", "image/jpeg", "image/png", "image/svg+xml", "image/webp":
		return "images", 2 << 20
	case "audio/mpeg", "audio/ogg", "audio/wav", "audio/aac":
		return "audios", 5 << 20
	case "video/mp4", "video/webm", "video/ogg", "video/quicktime", "video/x-flv":
		return "videos", 25 << 20
	}
	return "files", 10 << 20
}

// byPart is an uploaded part, read (and its content dropped) before the
// checks run, as the real server reads the whole form first.
type byPart struct {
	name, contentType string
	size              int64
}

// uploadFiles stores metadata only: the content is counted and dropped.
func (b *Botyard) uploadFiles(w http.ResponseWriter, r *http.Request, _ *byCall) {
	mr, err := r.MultipartReader()
	if err != nil {
		b.writeError(w, http.StatusBadRequest, "request has no multipart/form-data Content-Type")
		return
	}
	var parts []byPart
	for {
		p, err := mr.NextPart()
		if err == io.EOF {
			break
		}
		if err != nil {
			b.writeError(w, http.StatusBadRequest, err.Error())
			return
		}
		if p.FormName() != "file" || p.FileName() == "" {
			continue // NextPart skips what is left of it
		}
		ct := p.Header.Get("Content-Type")
		if ct == "" {
			// The real server panics here and its process exits: the client
			// sees the connection close without an answer.
			panic(http.ErrAbortHandler)
		}
		n, err := io.Copy(io.Discard, p)
		if err != nil {
			b.writeError(w, http.StatusBadRequest, err.Error())
			return
		}
		parts = append(parts, byPart{name: p.FileName(), contentType: ct, size: n})
	}
	switch {
	case len(parts) == 0:
		b.writeError(w, http.StatusBadRequest, "No files found to upload.")
		return
	case len(parts) > byMaxAttachments:
		b.writeError(w, http.StatusBadRequest, "Too many files, max allowed amount is 10.")
		return
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	out := make([]byFile, 0, len(parts))
	for _, p := range parts {
		dir, limit := byFileCategory(p.contentType)
		exts, _ := mime.ExtensionsByType(p.contentType)
		if len(exts) == 0 {
			b.writeError(w, http.StatusInternalServerError, "no file extension found for Content-Type: "+p.contentType)
			return
		}
		if p.size > limit {
			// Files before this one stay stored: the real server is not atomic.
			b.writeError(w, http.StatusBadRequest, fmt.Sprintf("Max allowed size for %s are %d bytes, but got %d.", dir, limit, p.size))
			return
		}
		f := byFile{ID: b.state.newID(), Name: p.name, Size: p.size, MimeType: p.contentType}
		f.Path = "static/" + dir + "/" + b.state.newID() + exts[0]
		b.state.files = append(b.state.files, f)
		out = append(out, f)
	}
	writeJSON(w, http.StatusOK, out)
}

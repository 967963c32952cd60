package chatbottest

import (
	"fmt"
	"io"
	"mime"
	"net/http"
	"path"
	"strconv"
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

// byPart is an uploaded part, read whole before the checks run, as the
// real server reads the whole form first.
type byPart struct {
	name, contentType string
	data              []byte
}

// uploadFiles stores the files of a multipart upload, content included,
// so that they can be fetched under /static. The core has already held
// the request to the 25 MiB body limit, which bounds what one upload
// costs.
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
		data, err := io.ReadAll(p)
		if err != nil {
			b.writeError(w, http.StatusBadRequest, err.Error())
			return
		}
		parts = append(parts, byPart{name: p.FileName(), contentType: ct, data: data})
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
		if size := int64(len(p.data)); size > limit {
			// Files before this one stay stored: the real server is not atomic.
			b.writeError(w, http.StatusBadRequest, fmt.Sprintf("Max allowed size for %s are %d bytes, but got %d.", dir, limit, size))
			return
		}
		f := byFile{ID: b.state.newID(), Name: p.name, Size: int64(len(p.data)), MimeType: p.contentType}
		f.Path = "static/" + dir + "/" + b.state.newID() + exts[0]
		b.state.files = append(b.state.files, f)
		b.state.content[f.Path] = byContent{mimeType: p.contentType, data: p.data}
		out = append(out, f)
	}
	writeJSON(w, http.StatusOK, out)
}

// staticFile serves an uploaded file, without a session, as the real
// server's static mount does: 200 with the type its extension stands for
// and the bytes (the headers alone for HEAD); a file that is not there is
// an unknown route.
func (b *Botyard) staticFile(w http.ResponseWriter, r *http.Request) {
	name := "static/" + r.PathValue("file")
	b.mu.Lock()
	f, ok := b.state.content[name]
	b.mu.Unlock()
	if !ok {
		b.noRoute(w, r, http.StatusNotFound)
		return
	}
	ct := mime.TypeByExtension(path.Ext(name))
	if ct == "" {
		ct = f.mimeType
	}
	w.Header().Set("Content-Type", ct)
	w.Header().Set("Content-Length", strconv.Itoa(len(f.data)))
	w.WriteHeader(http.StatusOK)
	if r.Method != http.MethodHead {
		_, _ = w.Write(f.data)
	}
}

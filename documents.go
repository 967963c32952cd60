package chatbot

import (
	"fmt"
	"io/fs"
	"path"
	"strings"
	"unicode/utf8"
)

// MaxDocumentBytes bounds one file DocumentsFromFS reads: a knowledge-base
// row is text for a bot to learn, and a stray huge file is a mistake to
// report rather than upload.
const MaxDocumentBytes = 4 << 20

// DocumentsFromFS reads every file of fsys whose name ends with ext (".md",
// compared without regard to case), in lexical order, as Documents named
// by their slash-separated path in fsys: the input Mirror wants for a
// folder (use os.DirFS(dir)). Hidden files and folders (a name starting
// with ".") are left out. Chat Thing learns UTF-8 text, so a file in
// another encoding, or over MaxDocumentBytes, is an error naming it, and
// so is a tree without any matching file (Mirror would refuse it anyway).
func DocumentsFromFS(fsys fs.FS, ext string) ([]Document, error) {
	var docs []Document
	err := fs.WalkDir(fsys, ".", func(name string, d fs.DirEntry, err error) error {
		switch {
		case err != nil:
			return err
		case name != "." && strings.HasPrefix(d.Name(), "."):
			if d.IsDir() {
				return fs.SkipDir
			}
			return nil
		case !d.Type().IsRegular() || !strings.EqualFold(path.Ext(name), ext):
			return nil
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		if info.Size() > MaxDocumentBytes {
			return fmt.Errorf("%s is larger than %d MiB", name, MaxDocumentBytes>>20)
		}
		b, err := fs.ReadFile(fsys, name)
		if err != nil {
			return err
		}
		if !utf8.Valid(b) {
			return fmt.Errorf("%s is not UTF-8", name)
		}
		docs = append(docs, Document{Name: name, Content: string(b)})
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("chatbot: %w", err)
	}
	if len(docs) == 0 {
		return nil, fmt.Errorf("chatbot: no %s files", ext)
	}
	return docs, nil
}

package main

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"unicode/utf8"
)

// doc is one Markdown file: its row name (the slash-separated path
// relative to the folder) and content.
type doc struct {
	name    string
	content string
}

// readFolder reads every .md file under dir, in lexical order, skipping
// hidden files and folders. Chat Thing trains on UTF-8 Markdown, so any
// other encoding is an error naming the file.
func readFolder(dir string) ([]doc, error) {
	var docs []doc
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if path != dir && strings.HasPrefix(d.Name(), ".") {
			if d.IsDir() {
				return filepath.SkipDir
			}
			return nil
		}
		if d.IsDir() || !strings.EqualFold(filepath.Ext(path), ".md") {
			return nil
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		if !utf8.Valid(b) {
			return fmt.Errorf("%s is not UTF-8", path)
		}
		rel, err := filepath.Rel(dir, path)
		if err != nil {
			return err
		}
		docs = append(docs, doc{name: filepath.ToSlash(rel), content: string(b)})
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("reading the folder: %w", err)
	}
	if len(docs) == 0 {
		return nil, fmt.Errorf("no .md files in %s", dir)
	}
	return docs, nil
}

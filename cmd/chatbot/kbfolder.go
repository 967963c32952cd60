package main

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"unicode/utf8"

	chatbot "github.com/chatbot-sdk/chatbot-go"
)

// maxDocBytes bounds one Markdown file: a knowledge-base row is text for a
// bot to learn, and a stray huge file is a mistake to report, not upload.
const maxDocBytes = 4 << 20

// readFolder reads every .md file under dir, in lexical order, leaving out
// hidden files and folders, as documents named by their path relative to
// dir, with slashes. Chat Thing learns UTF-8 Markdown, so a file in another
// encoding is an error naming it.
func readFolder(dir string) ([]chatbot.Document, error) {
	var docs []chatbot.Document
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
		if !d.Type().IsRegular() || !strings.EqualFold(filepath.Ext(path), ".md") {
			return nil
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		if info.Size() > maxDocBytes {
			return fmt.Errorf("%s is larger than %d MiB", path, maxDocBytes>>20)
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
		docs = append(docs, chatbot.Document{Name: filepath.ToSlash(rel), Content: string(b)})
		return nil
	})
	if err != nil {
		return nil, err
	}
	if len(docs) == 0 {
		return nil, fmt.Errorf("no .md files in %s", dir)
	}
	return docs, nil
}

package botyard

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// FileSessionStore is a SessionStore that keeps the tokens in the file at
// this path, the way http.Dir names a folder:
//
//	botyard.WithSessionStore(botyard.FileSessionStore("/home/me/.config/myapp/botyard-session"))
//
// The file holds one line per server, its origin and its token separated
// by a tab ("http://localhost:7007\t<token>"), so that one file can serve
// clients of several servers and a token is never sent to a server it was
// not issued by. Lines Save does not own (another origin, or not of that
// form) are kept as they are. The file is readable and writable by its
// owner only (mode 0600). Save writes a temporary file next to it and
// renames it over the old one, so a crash never leaves half a token;
// saving "" drops the origin's line, and removes the file once no line is
// left. The folder must exist. A missing file loads as "" (no session
// yet). Two processes saving into one file at the same moment may lose
// one of the writes.
type FileSessionStore string

// maxSessionFile bounds what Load reads: a session token is a JWT of a few
// hundred bytes, and a large file is not a session file.
const maxSessionFile = 64 << 10

// Load returns the token saved for origin, or "" when there is none.
func (f FileSessionStore) Load(origin string) (string, error) {
	lines, err := f.read()
	if err != nil {
		return "", err
	}
	for _, line := range lines {
		if o, token, ok := strings.Cut(line, "\t"); ok && o == origin {
			return strings.TrimSpace(token), nil
		}
	}
	return "", nil
}

// Save writes origin's token to the file atomically, or drops origin's
// line when token is "".
func (f FileSessionStore) Save(origin, token string) error {
	lines, err := f.read()
	if err != nil {
		return err
	}
	kept := lines[:0]
	for _, line := range lines {
		if o, _, ok := strings.Cut(line, "\t"); !ok || o != origin {
			kept = append(kept, line)
		}
	}
	if token != "" {
		kept = append(kept, origin+"\t"+token)
	}
	if len(kept) == 0 {
		if err := os.Remove(string(f)); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return fmt.Errorf("botyard: removing the session file: %w", err)
		}
		return nil
	}
	if len(kept) == len(lines) && token == "" {
		return nil // nothing of origin's was there
	}
	return f.write(strings.Join(kept, "\n") + "\n")
}

// read returns the file's non-blank lines; none when there is no file.
func (f FileSessionStore) read() ([]string, error) {
	file, err := os.Open(string(f))
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("botyard: reading the session file: %w", err)
	}
	defer file.Close()
	b, err := io.ReadAll(io.LimitReader(file, maxSessionFile+1))
	if err != nil {
		return nil, fmt.Errorf("botyard: reading the session file: %w", err)
	}
	if len(b) > maxSessionFile {
		return nil, fmt.Errorf("botyard: the session file %s is over %d bytes: not a session file", string(f), maxSessionFile)
	}
	var lines []string
	for _, line := range strings.Split(string(b), "\n") {
		if line = strings.TrimRight(line, "\r"); strings.TrimSpace(line) != "" {
			lines = append(lines, line)
		}
	}
	return lines, nil
}

// write replaces the file with content atomically.
func (f FileSessionStore) write(content string) error {
	path := string(f)
	// CreateTemp makes the file with mode 0600: the token is never
	// readable by others, not even for a moment.
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*")
	if err != nil {
		return fmt.Errorf("botyard: saving the session: %w", err)
	}
	_, err = tmp.WriteString(content)
	if err == nil {
		err = tmp.Sync()
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp.Name(), path)
	}
	if err != nil {
		os.Remove(tmp.Name())
		return fmt.Errorf("botyard: saving the session: %w", err)
	}
	return nil
}

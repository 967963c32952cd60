package botyard

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync"

	"github.com/chatbot-sdk/chatbot-go"
)

// SessionStore keeps a client's session token between runs, so that an
// app stays the same user without remembering to save the token on exit.
// Give one to NewClient with WithSessionStore: the client loads the token
// from it once, in NewClient, and saves every new token the moment it has
// it.
type SessionStore interface {
	// Load returns the saved token, or "" when there is none. An error
	// makes NewClient fail.
	Load() (string, error)
	// Save replaces the saved token. "" means the session is gone (the
	// server rejected it, or SetSession("") logged out): forget it. It
	// runs inside the call that changed the token, so it must not use the
	// client itself.
	Save(token string) error
}

// WithSessionStore makes the client keep its session in store. NewClient
// restores the token store.Load returns (unless WithSession gives one,
// which wins), and the client calls store.Save whenever the token changes:
// after every authenticated call (the server re-issues the token each
// time), after Users.Create and SetSession, and with "" once the server
// has rejected the token.
//
// Save is called once for every change, in the order the changes were
// made, never twice at the same time, and before the call that made the
// change returns: once a call has returned, the store holds its token or
// a newer one, and the last Save is always of the client's current token.
// Concurrent calls that change the token wait for each other's Saves, so
// Save should be quick. A failed Save does not fail the call (the server
// has already done its work); it is logged with the logger given to
// chatbot.WithLogger, and the next change saves again.
func WithSessionStore(store SessionStore) chatbot.Option {
	return chatbot.PlatformOption("botyard.WithSessionStore", func(s *settings) error {
		switch st := store.(type) {
		case nil:
			return errors.New("must not be nil")
		case FileSessionStore:
			if st == "" {
				return errors.New("the file path must not be empty")
			}
		}
		s.store = store
		return nil
	})
}

// sessionSaver passes token changes to a SessionStore one at a time, in
// the order they were made. Each change carries its number (session.changes
// at the time); the saver stores change n only after change n-1, so a
// change whose caller was overtaken on its way here still lands before the
// newer one.
type sessionSaver struct {
	store  SessionStore
	failed func(error) // reports a failed Save

	mu   sync.Mutex
	turn *sync.Cond // signalled when next moves on
	next uint64     // number of the change to save next
}

func newSessionSaver(store SessionStore, failed func(error)) *sessionSaver {
	s := &sessionSaver{store: store, failed: failed, next: 1}
	s.turn = sync.NewCond(&s.mu)
	return s
}

// save stores token, the change numbered change, once every earlier
// change is stored. A nil saver does nothing.
func (s *sessionSaver) save(change uint64, token string) {
	if s == nil {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	for s.next != change {
		s.turn.Wait()
	}
	// Even a panicking Save must let the later changes through.
	defer func() {
		s.next++
		s.turn.Broadcast()
	}()
	if err := s.store.Save(token); err != nil {
		s.failed(err)
	}
}

// FileSessionStore is a SessionStore that keeps the token in the file at
// this path, the way http.Dir names a folder:
//
//	botyard.WithSessionStore(botyard.FileSessionStore("/home/me/.config/myapp/botyard-session"))
//
// The file holds the token alone on one line, readable and writable by its
// owner only (mode 0600). Save writes a temporary file next to it and
// renames it over the old one, so a crash never leaves half a token;
// saving "" removes the file. The folder must exist. A missing file loads
// as "" (no session yet).
type FileSessionStore string

// maxSessionFile bounds what Load reads: a session token is a JWT of a few
// hundred bytes, and a large file is not a session file.
const maxSessionFile = 64 << 10

// Load returns the token in the file, or "" when there is no file.
func (f FileSessionStore) Load() (string, error) {
	file, err := os.Open(string(f))
	if errors.Is(err, fs.ErrNotExist) {
		return "", nil
	}
	if err != nil {
		return "", fmt.Errorf("botyard: reading the session file: %w", err)
	}
	defer file.Close()
	b, err := io.ReadAll(io.LimitReader(file, maxSessionFile+1))
	if err != nil {
		return "", fmt.Errorf("botyard: reading the session file: %w", err)
	}
	if len(b) > maxSessionFile {
		return "", fmt.Errorf("botyard: the session file %s is over %d bytes: not a session token", string(f), maxSessionFile)
	}
	return strings.TrimSpace(string(b)), nil
}

// Save writes token to the file atomically, or removes the file when
// token is "".
func (f FileSessionStore) Save(token string) error {
	path := string(f)
	if token == "" {
		if err := os.Remove(path); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return fmt.Errorf("botyard: removing the session file: %w", err)
		}
		return nil
	}
	// CreateTemp makes the file with mode 0600: the token is never
	// readable by others, not even for a moment.
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*")
	if err != nil {
		return fmt.Errorf("botyard: saving the session: %w", err)
	}
	_, err = tmp.WriteString(token + "\n")
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

package botyard

import (
	"errors"
	"sync"

	"github.com/chatbot-sdk/chatbot-go"
)

// SessionStore keeps a client's session token between runs, so that an
// app stays the same user without remembering to save the token on exit.
// Give one to NewClient with WithSessionStore: the client loads the token
// from it once, in NewClient, and saves every new token the moment it has
// it.
//
// A token is only good on the server that issued it, so every token is
// kept per server: origin is the client's base URL cut to
// "scheme://host[:port]", in lower case (for example
// "http://localhost:7007"). A client never sees, sends or replaces a token
// saved for another origin.
type SessionStore interface {
	// Load returns the token saved for origin, or "" when there is none.
	// An error makes NewClient fail.
	Load(origin string) (string, error)
	// Save replaces the token saved for origin. "" means the session is
	// gone (the server rejected it, or SetSession("") logged out): forget
	// it. It runs inside the call that changed the token, so it must not
	// use the client itself.
	Save(origin, token string) error
}

// WithSessionStore makes the client keep its session in store, under the
// origin of its base URL. NewClient restores the token store.Load returns
// for that origin (unless WithSession gives one, which wins), and the
// client calls store.Save whenever the token changes: after every
// authenticated call (the server re-issues the token each time), after
// Users.Create and SetSession, and with "" once the server has rejected
// the token. That "" is only saved when the store holds the token being
// dropped (the client loaded it or saved it): a token the store did not
// give, such as one from WithSession, never deletes the store's own.
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
	origin string      // the server the tokens are for
	failed func(error) // reports a failed Save

	mu   sync.Mutex
	turn *sync.Cond // signalled when next moves on
	next uint64     // number of the change to save next
}

func newSessionSaver(store SessionStore, origin string, failed func(error)) *sessionSaver {
	s := &sessionSaver{store: store, origin: origin, failed: failed, next: 1}
	s.turn = sync.NewCond(&s.mu)
	return s
}

// save stores token, the change numbered change, once every earlier
// change is stored; with persist false it only takes its turn, so that the
// later changes go on. A nil saver does nothing.
func (s *sessionSaver) save(change uint64, token string, persist bool) {
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
	if !persist {
		return
	}
	if err := s.store.Save(s.origin, token); err != nil {
		s.failed(err)
	}
}

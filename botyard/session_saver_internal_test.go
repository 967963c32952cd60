package botyard

import (
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
)

// orderStore records the tokens it is given, in order.
type orderStore struct {
	mu    sync.Mutex
	saves []string
}

func (s *orderStore) Load(string) (string, error) { return "", nil }

func (s *orderStore) Save(_, token string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.saves = append(s.saves, token)
	return nil
}

// TestSessionSaverKeepsTheOrderOfChanges: a change that reaches the saver
// before an older one (its caller was faster after leaving the session's
// lock) waits for it, so the store never ends on an older token.
func TestSessionSaverKeepsTheOrderOfChanges(t *testing.T) {
	for range 50 {
		store := &orderStore{}
		saver := newSessionSaver(store, "http://h", func(err error) { t.Error(err) })
		var wg sync.WaitGroup
		for _, c := range []struct {
			n     uint64
			token string
		}{{3, "c"}, {2, "b"}} {
			wg.Add(1)
			go func() {
				defer wg.Done()
				saver.save(c.n, c.token, true)
			}()
		}
		saver.save(1, "a", true)
		wg.Wait()
		assert.Equal(t, []string{"a", "b", "c"}, store.saves)
	}
}

func TestSessionSaverNil(t *testing.T) {
	var saver *sessionSaver
	assert.NotPanics(t, func() { saver.save(1, "a", true) }, "a client without a store saves nothing")
}

package testkit

import (
	"encoding/json"
	"errors"
	"os"
	"path"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

// Fixture returns the content of a file under the module's testdata
// folder. name is relative to the module root and slash-separated, such
// as "testdata/botyard/client_get_bot.json", so a test in any package
// names a fixture the same way. A missing file fails the test at once.
//
// Recorded fixtures (testdata/botyard/*.json, and those of the platforms
// after it) hold a response body only, as the server sent it; the status
// that came with it is the test's to state, in its Reply.
func Fixture(t testing.TB, name string) []byte {
	t.Helper()
	if path.IsAbs(name) || path.Clean(name) != name || !strings.HasPrefix(name, "testdata/") {
		t.Fatalf("testkit: fixture %q: name a file under testdata/, relative to the module root", name)
		return nil
	}
	root, err := moduleRoot()
	if err != nil {
		t.Fatalf("testkit: fixture %s: %v", name, err)
		return nil
	}
	b, err := os.ReadFile(filepath.Join(root, filepath.FromSlash(name)))
	if err != nil {
		t.Fatalf("testkit: fixture: %v", err)
		return nil
	}
	return b
}

// DecodeFixture decodes a JSON fixture into a T.
func DecodeFixture[T any](t testing.TB, name string) T {
	t.Helper()
	var v T
	if err := json.Unmarshal(Fixture(t, name), &v); err != nil {
		t.Fatalf("testkit: fixture %s: %v", name, err)
	}
	return v
}

// ToJSON encodes v the way a server would send it, for a Reply.Body built
// in the test.
func ToJSON(t testing.TB, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatalf("testkit: encoding %T: %v", v, err)
	}
	return string(b)
}

// moduleRoot is the nearest folder at or above the working directory (a
// test's package folder) that holds go.mod.
var moduleRoot = sync.OnceValues(func() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errors.New("no go.mod at or above the working directory")
		}
		dir = parent
	}
})

package testkit_test

import (
	"go/parser"
	"go/token"
	"io/fs"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestImportedOnlyByTests keeps testkit (and testify with it) out of the
// SDK's build: only _test.go files may import it.
func TestImportedOnlyByTests(t *testing.T) {
	const self = "github.com/chatbot-sdk/chatbot-go/internal/testkit"
	root, err := filepath.Abs("../..")
	require.NoError(t, err)
	importers := 0
	err = filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && (d.Name() == "testdata" || strings.HasPrefix(d.Name(), ".")) && path != root {
			return filepath.SkipDir
		}
		if d.IsDir() || !strings.HasSuffix(path, ".go") {
			return nil
		}
		f, err := parser.ParseFile(token.NewFileSet(), path, nil, parser.ImportsOnly)
		if err != nil {
			return err
		}
		for _, imp := range f.Imports {
			if p, _ := strconv.Unquote(imp.Path.Value); p == self {
				importers++
				assert.True(t, strings.HasSuffix(path, "_test.go"), "%s imports testkit", path)
			}
		}
		return nil
	})
	require.NoError(t, err)
	assert.Positive(t, importers, "the walk found the tests that use testkit")
}

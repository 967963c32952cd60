// Package examples holds the tests that keep the example programs and the
// README's code what users can copy: each example is one main.go that
// imports only public packages and builds alone in a module of its own,
// and the README's Go blocks compile as pasted.
package examples

import (
	"bufio"
	"fmt"
	"go/parser"
	"go/token"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// modulePath is the SDK's module path.
const modulePath = "github.com/chatbot-sdk/chatbot-go"

// exampleDirs returns the example programs: the folders here with a main.go.
func exampleDirs(t *testing.T) []string {
	t.Helper()
	mains, err := filepath.Glob("*/main.go")
	require.NoError(t, err)
	require.NotEmpty(t, mains)
	dirs := make([]string, len(mains))
	for i, m := range mains {
		dirs[i] = filepath.Dir(m)
	}
	return dirs
}

// TestExamplesImportOnlyPublicPackages: an example copied into a user's
// module cannot import an internal package nor another example's code, and
// main.go must be the whole program.
func TestExamplesImportOnlyPublicPackages(t *testing.T) {
	for _, dir := range exampleDirs(t) {
		files, err := filepath.Glob(filepath.Join(dir, "*.go"))
		require.NoError(t, err)
		for _, file := range files {
			if strings.HasSuffix(file, "_test.go") {
				continue
			}
			assert.Equal(t, "main.go", filepath.Base(file), "%s: the program must be main.go alone", dir)
			f, err := parser.ParseFile(token.NewFileSet(), file, nil, parser.ImportsOnly)
			require.NoError(t, err)
			for _, imp := range f.Imports {
				path, err := strconv.Unquote(imp.Path.Value)
				require.NoError(t, err)
				assert.False(t, isInternal(path), "%s imports %s", file, path)
				assert.False(t, strings.HasPrefix(path, modulePath+"/examples"), "%s imports %s", file, path)
			}
		}
	}
}

func isInternal(path string) bool {
	return path == "internal" || strings.HasPrefix(path, "internal/") ||
		strings.Contains(path, "/internal/") || strings.HasSuffix(path, "/internal")
}

func TestIsInternal(t *testing.T) {
	assert.True(t, isInternal(modulePath+"/internal/rest"))
	assert.True(t, isInternal(modulePath+"/examples/internal"))
	assert.False(t, isInternal(modulePath+"/chatbottest"))
	assert.False(t, isInternal("github.com/someone/internalize"))
}

// readmeBlock is a Go block of the README marked with a line
// "<!-- compile: KEY -->" just before its fence.
type readmeBlock struct {
	key, code string
	line      int // of the opening fence
}

var compileMark = regexp.MustCompile(`^<!-- compile: ([a-z]+) -->$`)

func readmeBlocks(t *testing.T) []readmeBlock {
	t.Helper()
	f, err := os.Open("../README.md")
	require.NoError(t, err)
	defer f.Close()
	var blocks []readmeBlock
	var cur *readmeBlock
	key := ""
	sc := bufio.NewScanner(f)
	for n := 1; sc.Scan(); n++ {
		line := sc.Text()
		switch {
		case cur != nil && line == "```":
			blocks = append(blocks, *cur)
			cur = nil
		case cur != nil:
			cur.code += line + "\n"
		case key != "" && line == "```go":
			cur = &readmeBlock{key: key, line: n}
			key = ""
		default:
			key = ""
			if m := compileMark.FindStringSubmatch(line); m != nil {
				key = m[1]
			}
		}
	}
	require.NoError(t, sc.Err())
	return blocks
}

// TestReadmeQuickstarts: each platform's quickstart, the first marked
// block of its key, is at most 15 lines.
func TestReadmeQuickstarts(t *testing.T) {
	blocks := readmeBlocks(t)
	seen := map[string]bool{}
	for _, b := range blocks {
		if seen[b.key] {
			continue
		}
		seen[b.key] = true
		lines := strings.Count(b.code, "\n")
		assert.LessOrEqual(t, lines, 15, "README.md:%d: the first %q block has %d lines", b.line, b.key, lines)
	}
	assert.True(t, seen["chatthing"] && seen["botyard"] && seen["botuj"] && seen["aimylogic"], "quickstarts found: %v", seen)
}

// readmeImports are the packages a README block may use without saying
// so, as if pasted into a main function of a file that imports them.
var readmeImports = []struct{ path, use string }{
	{"context", "context.Background"},
	{"errors", "errors.Is"},
	{"fmt", "fmt.Println"},
	{"log", "log.Fatal"},
	{"os", "os.Getenv"},
	{"time", "time.Second"},
	{modulePath, "chatbot.NewClient"},
	{modulePath + "/botyard", "botyard.NewClient"},
	{modulePath + "/botuj", "botuj.NewClient"},
	{modulePath + "/aimylogic", "aimylogic.NewClient"},
	{modulePath + "/chatbottest", "chatbottest.NewChatThing"},
}

// readmeProgram is the blocks of one key, one after the other, pasted
// into main.
func readmeProgram(blocks []readmeBlock) string {
	var b strings.Builder
	b.WriteString("package main\n\nimport (\n")
	for _, imp := range readmeImports {
		name := ""
		if imp.path == modulePath {
			name = "chatbot "
		}
		fmt.Fprintf(&b, "\t%s%q\n", name, imp.path)
	}
	b.WriteString(")\n\n")
	for _, imp := range readmeImports {
		fmt.Fprintf(&b, "var _ = %s\n", imp.use)
	}
	b.WriteString("\nfunc main() {\n")
	for _, block := range blocks {
		fmt.Fprintf(&b, "//line README.md:%d\n%s", block.line+1, block.code)
	}
	b.WriteString("}\n")
	return b.String()
}

// TestCopiedCodeBuilds copies each example's main.go, alone, into a
// module of its own that requires this one (with a replace), and the
// README's blocks into another, and builds them all: what a user gets
// when they copy them. It runs the go command, so -short skips it.
func TestCopiedCodeBuilds(t *testing.T) {
	if testing.Short() {
		t.Skip("builds programs with the go command")
	}
	goCmd, err := exec.LookPath("go")
	if err != nil {
		t.Skip("no go command on PATH")
	}
	root, err := filepath.Abs("..")
	require.NoError(t, err)
	sum, err := os.ReadFile(filepath.Join(root, "go.sum"))
	require.NoError(t, err)

	mod := t.TempDir()
	write := func(name, content string) {
		path := filepath.Join(mod, filepath.FromSlash(name))
		require.NoError(t, os.MkdirAll(filepath.Dir(path), 0o755))
		require.NoError(t, os.WriteFile(path, []byte(content), 0o644))
	}
	write("go.mod", "module example.com/copied\n\ngo 1.23\n\nrequire "+modulePath+" v0.0.0\n\nreplace "+modulePath+" => "+root+"\n")
	write("go.sum", string(sum)) // the same dependencies, so nothing is downloaded
	for _, dir := range exampleDirs(t) {
		src, err := os.ReadFile(filepath.Join(dir, "main.go"))
		require.NoError(t, err)
		write(dir+"/main.go", string(src))
	}
	byKey := map[string][]readmeBlock{}
	for _, b := range readmeBlocks(t) {
		byKey[b.key] = append(byKey[b.key], b)
	}
	for key, blocks := range byKey {
		write("readme-"+key+"/main.go", readmeProgram(blocks))
	}

	cmd := exec.Command(goCmd, "build", "-o", os.DevNull, "./...")
	cmd.Dir = mod
	cmd.Env = append(os.Environ(), "GOFLAGS=-mod=mod", "GOPROXY=off", "GOWORK=off", "GOTOOLCHAIN=local")
	out, err := cmd.CombinedOutput()
	require.NoError(t, err, "copied code does not build:\n%s", out)
}

package main

import (
	"errors"
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestHelpListsTheSubcommands(t *testing.T) {
	h := newHarness(t, "")
	assert.Equal(t, exitOK, h.run("--help"))
	for _, sub := range []string{"chat", "export", "kb", "fake"} {
		assert.Regexp(t, `(?m)^  `+sub+` +\S`, h.stdout.String())
	}
	assert.Empty(t, h.stderr.String())

	h = newHarness(t, "")
	assert.Equal(t, exitOK, h.run("kb"))
	assert.Contains(t, h.stdout.String(), "sync        Make a Chat Thing data source mirror")
}

func TestUsageErrorsExitWithTwo(t *testing.T) {
	cases := []struct {
		args []string
		want string
	}{
		{[]string{"nope"}, `unknown command "nope"`},
		{[]string{"chat", "--no-such-flag"}, "unknown flag: --no-such-flag"},
		{[]string{"chat", "--platform", "slack"}, `unknown platform "slack": use one of chatthing, botyard, aimylogic, botuj`},
		{[]string{"chat", "-p", "botuj", "hi"}, "botuj is read-only: chat works on chatthing, botyard, aimylogic"},
		{[]string{"export", "-p", "slack"}, `unknown platform "slack"`},
		{[]string{"chat", "--timeout", "0s"}, "--timeout must be positive"},
		{[]string{"export", "--format", "xml"}, `unknown --format "xml"`},
		{[]string{"export", "--since", "yesterday"}, `--since "yesterday": want an RFC 3339 time`},
		{[]string{"export", "--append"}, "--append needs an output file"},
		{[]string{"export", "extra"}, `unknown command "extra"`},
		{[]string{"kb", "sync"}, "kb sync takes one folder, got 0 arguments"},
		{[]string{"kb", "snyc", "docs"}, `unknown command "snyc" for "chatbot kb"`},
		{[]string{"kb", "sync", "/no/such/folder"}, "no such file or directory"},
		{[]string{"fake", "--addr", "nonsense"}, `--addr "nonsense"`},
		{[]string{"fake", "--platform", "slack"}, `unknown platform "slack"`},
	}
	for _, c := range cases {
		h := newHarness(t, "")
		assert.Equal(t, exitUsage, h.run(c.args...), "%v", c.args)
		assert.Contains(t, h.stderr.String(), c.want, "%v", c.args)
		assert.Contains(t, h.stderr.String(), "--help' for usage.", "%v", c.args)
		assert.Empty(t, h.stdout.String(), "%v", c.args)
		assert.NotContains(t, h.stderr.String(), "embedded fake", "%v: refused before connecting", c.args)
	}
}

func TestOnPlatformNamesThePlatformOnce(t *testing.T) {
	assert.EqualError(t, onPlatform("chatthing", errors.New("chatbot: Chats.List: boom")), "chatthing: chatbot: Chats.List: boom")
	assert.EqualError(t, onPlatform("botyard", errors.New("botyard: Chats.List: boom")), "botyard: Chats.List: boom")
	usage := usagef("bad flag")
	assert.Same(t, usage, onPlatform("botyard", usage), "usage errors say nothing of platforms")
	assert.NoError(t, onPlatform("botyard", nil))
}

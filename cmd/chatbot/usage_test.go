package main

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

// A malformed ID on the command line is refused by the SDK before any
// request (a *chatbot.ValidationError): a usage error, exit status 2, not
// a failure of the API (1).
func TestMalformedIDIsAUsageError(t *testing.T) {
	h := newHarness(t, "")
	assert.Equal(t, exitUsage, h.run("export", "-p", "botuj", "-c", "abc"), h.stderr.String())
	assert.Contains(t, h.stderr.String(), "Run 'chatbot export --help' for usage.")
}

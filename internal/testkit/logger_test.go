package testkit_test

import (
	"encoding/json"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/chatbot-sdk/chatbot-go/internal/testkit"
)

func TestLoggerConcurrentWritesAndReads(t *testing.T) {
	logger, logs := testkit.Logger()
	assert.Nil(t, logs.Lines())
	const writers, each = 8, 50
	var wg sync.WaitGroup
	for w := range writers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range each {
				logger.Debug("attempt", "writer", w, "i", i)
				_ = logs.String() // a read while others write
			}
		}()
	}
	wg.Wait()
	lines := logs.Lines()
	require.Len(t, lines, writers*each)
	for _, line := range lines {
		var rec map[string]any
		require.NoError(t, json.Unmarshal([]byte(line), &rec), line)
		assert.Equal(t, "DEBUG", rec["level"])
		assert.Equal(t, "attempt", rec["msg"])
	}
}

func TestTextLogger(t *testing.T) {
	logger, logs := testkit.TextLogger()
	logger.Debug("sent", "path", "/a b")
	require.Len(t, logs.Lines(), 1)
	assert.Contains(t, logs.Lines()[0], `level=DEBUG msg=sent path="/a b"`)
}

package testkit_test

import (
	"os"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/chatbot-sdk/chatbot-go/internal/testkit"
)

func TestFixtureReadsFromTheModuleRoot(t *testing.T) {
	// This package sits two folders below the root; the name is the same
	// as from the root package.
	want, err := os.ReadFile("../../testdata/botyard/client_get_bot.json")
	require.NoError(t, err)
	assert.Equal(t, want, testkit.Fixture(t, "testdata/botyard/client_get_bot.json"))
}

func TestFixtureRefusesNamesOutsideTestdata(t *testing.T) {
	for _, name := range []string{
		"go.mod", "/etc/hostname", "../testdata/botyard/client_get_bot.json", "testdata/../go.mod",
		"testdata/botyard/./client_get_bot.json", "testdata//botyard/client_get_bot.json",
	} {
		ft := newFakeTB(t)
		assert.False(t, ft.run(func() { testkit.Fixture(ft, name) }), name)
		assert.Contains(t, ft.report(), "name a file under testdata/", name)
	}
	ft := newFakeTB(t)
	assert.False(t, ft.run(func() { testkit.Fixture(ft, "testdata/botyard/missing.json") }))
	assert.Contains(t, ft.report(), "missing.json: no such file or directory")
}

func TestDecodeFixture(t *testing.T) {
	type bot struct {
		ID, Name, Description string
	}
	got := testkit.DecodeFixture[bot](t, "testdata/botyard/client_get_bot.json")
	assert.Equal(t, bot{ID: "01m842a8g83wvv3hz4v0fhwbm8", Name: "Test bot", Description: "Just testing bot (edited)."}, got)

	list := testkit.DecodeFixture[[]bot](t, "testdata/botyard/client_get_bots.json")
	assert.Len(t, list, 3)

	ft := newFakeTB(t)
	// The documented body with a trailing comma is not JSON.
	assert.False(t, ft.run(func() { testkit.DecodeFixture[map[string]any](ft, "testdata/chatthing/rows_create_documented.txt") }))
	assert.Contains(t, ft.report(), "testdata/chatthing/rows_create_documented.txt")
}

func TestToJSON(t *testing.T) {
	assert.Equal(t, `{"chatId":"c","messages":[]}`, testkit.ToJSON(t, map[string]any{"chatId": "c", "messages": []string{}}))
	ft := newFakeTB(t)
	assert.False(t, ft.run(func() { testkit.ToJSON(ft, make(chan int)) }))
	assert.Contains(t, ft.report(), "encoding chan int")
}

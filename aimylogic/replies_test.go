package aimylogic

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// everyKind holds one reply of each kind with every field set, as JSON and
// as the value it decodes to.
var everyKind = []struct {
	json string
	want Reply
}{
	{`{"type":"text","text":"Hi","markup":"markdown","tts":"Hello","state":"/Start"}`,
		&TextReply{Text: "Hi", Markup: MarkupMarkdown, TTS: "Hello", State: "/Start"}},
	{`{"type":"buttons","buttons":[{"text":"Yes","transition":"/Yes"},{"text":"No"}],"state":"/Ask"}`,
		&ButtonsReply{Buttons: []Button{{Text: "Yes", Transition: "/Yes"}, {Text: "No"}}, State: "/Ask"}},
	{`{"type":"inlineButtons","buttons":[{"text":"Site","url":"https://example.com"},{"text":"Pick","callback_data":"pick-1"}],"state":"/Menu"}`,
		&InlineButtonsReply{Buttons: []InlineButton{{Text: "Site", URL: "https://example.com"}, {Text: "Pick", CallbackData: "pick-1"}}, State: "/Menu"}},
	{`{"type":"image","imageUrl":"https://example.com/a.png","text":"A cat","state":"/Cat"}`,
		&ImageReply{ImageURL: "https://example.com/a.png", Text: "A cat", State: "/Cat"}},
	{`{"type":"audio","audioUrl":"https://example.com/a.mp3","audioName":"Song","state":"/Play"}`,
		&AudioReply{AudioURL: "https://example.com/a.mp3", AudioName: "Song", State: "/Play"}},
	{`{"type":"file","fileUrl":"https://example.com/f.pdf","fileName":"f.pdf","mimeType":"application/pdf","state":"/Doc"}`,
		&FileReply{FileURL: "https://example.com/f.pdf", FileName: "f.pdf", MimeType: "application/pdf", State: "/Doc"}},
	{`{"type":"carousel","text":"Pick one","content":[{"title":"A","btnText":"Open A","description":"first","image":"https://example.com/a.png","url":"https://example.com/a"},{"title":"B","btnText":"Open B"}],"state":"/Shop"}`,
		&CarouselReply{Text: "Pick one", Content: []CarouselItem{
			{Title: "A", BtnText: "Open A", Description: "first", Image: "https://example.com/a.png", URL: "https://example.com/a"},
			{Title: "B", BtnText: "Open B"},
		}, State: "/Shop"}},
	{`{"type":"location","lat":-33.5,"lon":151.25,"state":"/Where"}`,
		&LocationReply{Lat: -33.5, Lon: 151.25, State: "/Where"}},
	{`{"type":"timeout","interval":30,"targetState":"/Idle","state":"/Wait"}`,
		&TimeoutReply{Interval: 30, TargetState: "/Idle", State: "/Wait"}},
}

func TestRepliesEveryKind(t *testing.T) {
	for _, k := range everyKind {
		t.Run(string(k.want.ReplyType()), func(t *testing.T) {
			var rs Replies
			require.NoError(t, json.Unmarshal([]byte("["+k.json+"]"), &rs))
			require.Len(t, rs, 1)
			assert.Equal(t, k.want, rs[0])
			out, err := json.Marshal(rs[0])
			require.NoError(t, err)
			assert.JSONEq(t, k.json, string(out), "written back with its type")
		})
	}
}

func TestRepliesKeepOrder(t *testing.T) {
	var all []byte
	want := make(Replies, 0, len(everyKind))
	for i, k := range everyKind {
		if i > 0 {
			all = append(all, ',')
		}
		all = append(all, k.json...)
		want = append(want, k.want)
	}
	var rs Replies
	require.NoError(t, json.Unmarshal(append(append([]byte("["), all...), ']'), &rs))
	assert.Equal(t, want, rs)
}

func TestRepliesValueMarshalHasType(t *testing.T) {
	// A reply value (not a pointer) still writes its discriminator.
	out, err := json.Marshal(TextReply{Text: "x"})
	require.NoError(t, err)
	assert.JSONEq(t, `{"type":"text","text":"x"}`, string(out))
	out, err = json.Marshal(LocationReply{})
	require.NoError(t, err)
	assert.JSONEq(t, `{"type":"location","lat":0,"lon":0}`, string(out))
	out, err = json.Marshal(Replies{&ButtonsReply{}})
	require.NoError(t, err)
	assert.JSONEq(t, `[{"type":"buttons","buttons":null}]`, string(out))
}

func TestRepliesNameAliases(t *testing.T) {
	var rs Replies
	require.NoError(t, json.Unmarshal([]byte(`[
		{"type":"audio","audioUrl":"u1","text":"From text"},
		{"type":"audio","audioUrl":"u2","caption":"From caption"},
		{"type":"audio","audioUrl":"u3","audioName":"Name","text":"ignored"},
		{"type":"file","fileUrl":"f1","caption":"c.pdf"},
		{"type":"file","fileUrl":"f2","text":"t.pdf","caption":"c.pdf"},
		{"type":"file","fileUrl":"f3","fileName":"n.pdf","text":"t.pdf"}
	]`), &rs))
	assert.Equal(t, Replies{
		&AudioReply{AudioURL: "u1", AudioName: "From text"},
		&AudioReply{AudioURL: "u2", AudioName: "From caption"},
		&AudioReply{AudioURL: "u3", AudioName: "Name"},
		&FileReply{FileURL: "f1", FileName: "c.pdf"},
		&FileReply{FileURL: "f2", FileName: "t.pdf"},
		&FileReply{FileURL: "f3", FileName: "n.pdf"},
	}, rs)
}

func TestRepliesRawFallback(t *testing.T) {
	in := `[
		{"type":"hangup","state":"/Bye"},
		{"type":"switch","firstMessage":"Connecting","closeChatPhrases":["/close"],"attributes":{"vip":true}},
		{"type":"text","text":5},
		{"type":"location","lat":"north"},
		{"text":"no type"},
		{"type":7,"text":"type not a string"},
		"just a string",
		42,
		null,
		{"type":"TEXT","text":"case matters"}
	]`
	var rs Replies
	require.NoError(t, json.Unmarshal([]byte(in), &rs), "odd replies never fail the list")
	want := []struct {
		kind ReplyType
		json string
	}{
		{"hangup", `{"type":"hangup","state":"/Bye"}`},
		{"switch", `{"type":"switch","firstMessage":"Connecting","closeChatPhrases":["/close"],"attributes":{"vip":true}}`},
		{"text", `{"type":"text","text":5}`},
		{"location", `{"type":"location","lat":"north"}`},
		{"", `{"text":"no type"}`},
		{"", `{"type":7,"text":"type not a string"}`},
		{"", `"just a string"`},
		{"", `42`},
		{"", `null`},
		{"TEXT", `{"type":"TEXT","text":"case matters"}`},
	}
	require.Len(t, rs, len(want))
	for i, w := range want {
		raw, ok := rs[i].(*RawReply)
		require.True(t, ok, "reply %d is %T", i, rs[i])
		assert.Equal(t, w.kind, raw.Type)
		assert.Equal(t, w.kind, raw.ReplyType())
		assert.Equal(t, w.json, string(raw.JSON))
	}
	out, err := json.Marshal(rs)
	require.NoError(t, err)
	assert.JSONEq(t, in, string(out), "raw replies are written back unchanged")
}

func TestRawReplyBuiltByHand(t *testing.T) {
	out, err := json.Marshal(&RawReply{Type: "hangup"})
	require.NoError(t, err)
	assert.JSONEq(t, `{"type":"hangup"}`, string(out))
}

func TestRepliesContainerShapes(t *testing.T) {
	var rs Replies
	require.NoError(t, json.Unmarshal([]byte(`null`), &rs))
	assert.Nil(t, rs)
	require.NoError(t, json.Unmarshal([]byte(`[]`), &rs))
	assert.Equal(t, Replies{}, rs)
	require.NoError(t, json.Unmarshal([]byte(` {"type":"text","text":"one"} `), &rs))
	assert.Equal(t, Replies{&TextReply{Text: "one"}}, rs, "a lone object is a list of one")

	for _, bad := range []string{`"text"`, `5`, `true`} {
		err := json.Unmarshal([]byte(bad), &rs)
		require.Error(t, err, bad)
		assert.Contains(t, err.Error(), "want an array of reply objects")
	}
}

package aimylogic

import (
	"bytes"
	"encoding/json"
)

// Markup says how a text reply's Text is formatted. The set is open; the
// documented values are the constants.
type Markup string

// Documented markup values.
const (
	MarkupHTML     Markup = "html"
	MarkupMarkdown Markup = "markdown"
	MarkupPlain    Markup = "plain"
)

// TextReply is a text message.
type TextReply struct {
	Text string `json:"text"`
	// Markup is how Text is formatted; empty when the bot did not say.
	Markup Markup `json:"markup,omitempty"`
	// TTS is the text for speech synthesis, when it differs from Text.
	TTS string `json:"tts,omitempty"`
	// State is the script state that produced the reply, such as
	// "/CatchAll"; every reply kind may carry it.
	State string `json:"state,omitempty"`
}

// ButtonsReply offers buttons that send their text back as the next query.
type ButtonsReply struct {
	Buttons []Button `json:"buttons"`
	State   string   `json:"state,omitempty"`
}

// Button is one button of a ButtonsReply.
type Button struct {
	Text string `json:"text"`
	// Transition is the script state a press leads to, when the button
	// has one.
	Transition string `json:"transition,omitempty"`
}

// InlineButtonsReply offers buttons attached to the message: each opens a
// URL or sends callback data.
type InlineButtonsReply struct {
	Buttons []InlineButton `json:"buttons"`
	State   string         `json:"state,omitempty"`
}

// InlineButton is one button of an InlineButtonsReply; it has a URL or
// callback data.
type InlineButton struct {
	Text         string `json:"text"`
	URL          string `json:"url,omitempty"`
	CallbackData string `json:"callback_data,omitempty"`
}

// ImageReply is a picture with an optional caption.
type ImageReply struct {
	ImageURL string `json:"imageUrl"`
	// Text is the caption.
	Text  string `json:"text,omitempty"`
	State string `json:"state,omitempty"`
}

// AudioReply is a sound file.
type AudioReply struct {
	AudioURL string `json:"audioUrl"`
	// AudioName is the title to show. Bots may send it as "text" or
	// "caption" instead; decoding takes the first that is set.
	AudioName string `json:"audioName,omitempty"`
	State     string `json:"state,omitempty"`
}

// FileReply is a document to download.
type FileReply struct {
	FileURL string `json:"fileUrl"`
	// FileName is the name to show. Bots may send it as "text" or
	// "caption" instead; decoding takes the first that is set.
	FileName string `json:"fileName,omitempty"`
	MimeType string `json:"mimeType,omitempty"`
	State    string `json:"state,omitempty"`
}

// CarouselReply is a titled row of cards.
type CarouselReply struct {
	// Text is the carousel's title.
	Text    string         `json:"text"`
	Content []CarouselItem `json:"content"`
	State   string         `json:"state,omitempty"`
}

// CarouselItem is one card of a CarouselReply.
type CarouselItem struct {
	Title string `json:"title"`
	// BtnText is the label of the card's button.
	BtnText     string `json:"btnText"`
	Description string `json:"description,omitempty"`
	// Image is the card's picture URL.
	Image string `json:"image,omitempty"`
	// URL is where the card's button leads.
	URL string `json:"url,omitempty"`
}

// LocationReply is a point on a map.
type LocationReply struct {
	Lat   float64 `json:"lat"`
	Lon   float64 `json:"lon"`
	State string  `json:"state,omitempty"`
}

// TimeoutReply asks the client to move the dialogue to TargetState when the
// user says nothing for Interval seconds.
type TimeoutReply struct {
	Interval    float64 `json:"interval"`
	TargetState string  `json:"targetState"`
	State       string  `json:"state,omitempty"`
}

// ReplyType returns ReplyText.
func (*TextReply) ReplyType() ReplyType { return ReplyText }

// ReplyType returns ReplyButtons.
func (*ButtonsReply) ReplyType() ReplyType { return ReplyButtons }

// ReplyType returns ReplyInlineButtons.
func (*InlineButtonsReply) ReplyType() ReplyType { return ReplyInlineButtons }

// ReplyType returns ReplyImage.
func (*ImageReply) ReplyType() ReplyType { return ReplyImage }

// ReplyType returns ReplyAudio.
func (*AudioReply) ReplyType() ReplyType { return ReplyAudio }

// ReplyType returns ReplyFile.
func (*FileReply) ReplyType() ReplyType { return ReplyFile }

// ReplyType returns ReplyCarousel.
func (*CarouselReply) ReplyType() ReplyType { return ReplyCarousel }

// ReplyType returns ReplyLocation.
func (*LocationReply) ReplyType() ReplyType { return ReplyLocation }

// ReplyType returns ReplyTimeout.
func (*TimeoutReply) ReplyType() ReplyType { return ReplyTimeout }

func (*TextReply) isReply()          {}
func (*ButtonsReply) isReply()       {}
func (*InlineButtonsReply) isReply() {}
func (*ImageReply) isReply()         {}
func (*AudioReply) isReply()         {}
func (*FileReply) isReply()          {}
func (*CarouselReply) isReply()      {}
func (*LocationReply) isReply()      {}
func (*TimeoutReply) isReply()       {}

// The plain twins below have the same fields and no methods, so that the
// MarshalJSON methods can encode the fields without calling themselves.
type (
	textReply          TextReply
	buttonsReply       ButtonsReply
	inlineButtonsReply InlineButtonsReply
	imageReply         ImageReply
	audioReply         AudioReply
	fileReply          FileReply
	carouselReply      CarouselReply
	locationReply      LocationReply
	timeoutReply       TimeoutReply
)

// MarshalJSON writes the reply with its "type".
func (r TextReply) MarshalJSON() ([]byte, error) { return withType(ReplyText, textReply(r)) }

// MarshalJSON writes the reply with its "type".
func (r ButtonsReply) MarshalJSON() ([]byte, error) {
	return withType(ReplyButtons, buttonsReply(r))
}

// MarshalJSON writes the reply with its "type".
func (r InlineButtonsReply) MarshalJSON() ([]byte, error) {
	return withType(ReplyInlineButtons, inlineButtonsReply(r))
}

// MarshalJSON writes the reply with its "type".
func (r ImageReply) MarshalJSON() ([]byte, error) { return withType(ReplyImage, imageReply(r)) }

// MarshalJSON writes the reply with its "type".
func (r AudioReply) MarshalJSON() ([]byte, error) { return withType(ReplyAudio, audioReply(r)) }

// MarshalJSON writes the reply with its "type".
func (r FileReply) MarshalJSON() ([]byte, error) { return withType(ReplyFile, fileReply(r)) }

// MarshalJSON writes the reply with its "type".
func (r CarouselReply) MarshalJSON() ([]byte, error) {
	return withType(ReplyCarousel, carouselReply(r))
}

// MarshalJSON writes the reply with its "type".
func (r LocationReply) MarshalJSON() ([]byte, error) {
	return withType(ReplyLocation, locationReply(r))
}

// MarshalJSON writes the reply with its "type".
func (r TimeoutReply) MarshalJSON() ([]byte, error) {
	return withType(ReplyTimeout, timeoutReply(r))
}

// withType encodes v, a struct, as an object whose first member is "type".
func withType(kind ReplyType, v any) ([]byte, error) {
	fields, err := json.Marshal(v)
	if err != nil {
		return nil, err
	}
	head, err := json.Marshal(kind)
	if err != nil {
		return nil, err
	}
	var b bytes.Buffer
	b.Grow(len(fields) + len(head) + 9)
	b.WriteString(`{"type":`)
	b.Write(head)
	if len(fields) > 2 { // more than "{}"
		b.WriteByte(',')
		b.Write(fields[1:])
	} else {
		b.WriteByte('}')
	}
	return b.Bytes(), nil
}

// UnmarshalJSON reads the reply, taking the name from "text" or "caption"
// when "audioName" is absent.
func (r *AudioReply) UnmarshalJSON(b []byte) error {
	var w struct {
		audioReply
		Text    *string `json:"text"`
		Caption *string `json:"caption"`
	}
	if err := json.Unmarshal(b, &w); err != nil {
		return err
	}
	*r = AudioReply(w.audioReply)
	r.AudioName = firstSet(r.AudioName, w.Text, w.Caption)
	return nil
}

// UnmarshalJSON reads the reply, taking the name from "text" or "caption"
// when "fileName" is absent.
func (r *FileReply) UnmarshalJSON(b []byte) error {
	var w struct {
		fileReply
		Text    *string `json:"text"`
		Caption *string `json:"caption"`
	}
	if err := json.Unmarshal(b, &w); err != nil {
		return err
	}
	*r = FileReply(w.fileReply)
	r.FileName = firstSet(r.FileName, w.Text, w.Caption)
	return nil
}

// firstSet returns name when it is set, else the first non-empty alias.
func firstSet(name string, aliases ...*string) string {
	for _, a := range aliases {
		if name != "" {
			break
		}
		if a != nil {
			name = *a
		}
	}
	return name
}

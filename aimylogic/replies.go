package aimylogic

import (
	"bytes"
	"encoding/json"
	"errors"
)

// ReplyType is the "type" discriminator of a bot reply. The set is open:
// the constants name the types the SDK decodes into their own Go types;
// every other value arrives as a *RawReply.
type ReplyType string

// Reply types with their own Go type.
const (
	ReplyText          ReplyType = "text"          // *TextReply
	ReplyButtons       ReplyType = "buttons"       // *ButtonsReply
	ReplyInlineButtons ReplyType = "inlineButtons" // *InlineButtonsReply
	ReplyImage         ReplyType = "image"         // *ImageReply
	ReplyAudio         ReplyType = "audio"         // *AudioReply
	ReplyFile          ReplyType = "file"          // *FileReply
	ReplyCarousel      ReplyType = "carousel"      // *CarouselReply
	ReplyLocation      ReplyType = "location"      // *LocationReply
	ReplyTimeout       ReplyType = "timeout"       // *TimeoutReply
)

// Reply is one bot message of a response. Its dynamic type is one of
// *TextReply, *ButtonsReply, *InlineButtonsReply, *ImageReply, *AudioReply,
// *FileReply, *CarouselReply, *LocationReply, *TimeoutReply or *RawReply;
// read it with a type switch:
//
//	for _, r := range resp.Data.Replies {
//		switch r := r.(type) {
//		case *aimylogic.TextReply:
//			fmt.Println(r.Text)
//		case *aimylogic.RawReply:
//			log.Printf("reply of type %q not handled", r.Type)
//		}
//	}
//
// An interface rather than one struct with a Type field and accessors,
// because the kinds share almost no fields: a type switch gives each case
// exactly its own fields, checked by the compiler, and an unknown kind is
// one more case instead of a struct whose every accessor may be empty. The
// set is closed (only this package's types implement Reply) so that a
// switch over it can be complete.
type Reply interface {
	// ReplyType returns the reply's "type".
	ReplyType() ReplyType
	isReply()
}

// RawReply is a reply of a type the SDK has no Go type for ("hangup",
// "switch", a future kind), or a reply whose fields do not have the types
// its kind documents. It keeps the JSON exactly as received and writes the
// same value back.
type RawReply struct {
	// Type is the reply's "type", or "" when it had none (or not a
	// string).
	Type ReplyType
	// JSON is the reply object as received.
	JSON json.RawMessage
}

// ReplyType returns Type.
func (r *RawReply) ReplyType() ReplyType { return r.Type }
func (*RawReply) isReply()               {}

// MarshalJSON returns JSON as it came (encoding/json may still escape
// "<", ">" and "&" inside its strings, which does not change the value). A
// RawReply built by hand with no JSON is written as {"type": Type}.
func (r RawReply) MarshalJSON() ([]byte, error) {
	if len(r.JSON) == 0 {
		return json.Marshal(struct {
			Type ReplyType `json:"type"`
		}{r.Type})
	}
	return r.JSON, nil
}

// Replies is the list of a response's bot messages, in order. Decoding
// never fails because of one reply: an unknown kind, or a known kind with
// odd fields, becomes a *RawReply in its place.
type Replies []Reply

// UnmarshalJSON accepts an array of reply objects, null (no replies) or a
// single reply object (a list of one). Anything else is an error.
func (rs *Replies) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	if isNull(b) {
		*rs = nil
		return nil
	}
	var items []json.RawMessage
	switch b[0] {
	case '{':
		items = []json.RawMessage{b}
	case '[':
		if err := json.Unmarshal(b, &items); err != nil {
			return err
		}
	default:
		return errors.New("replies: want an array of reply objects")
	}
	out := make(Replies, 0, len(items))
	for _, item := range items {
		out = append(out, decodeReply(item))
	}
	*rs = out
	return nil
}

// decodeReply reads one reply. It never fails: what it cannot read as its
// kind's Go type it keeps as a *RawReply.
func decodeReply(b json.RawMessage) Reply {
	raw := &RawReply{JSON: append(json.RawMessage(nil), bytes.TrimSpace(b)...)}
	var head struct {
		Type json.RawMessage `json:"type"`
	}
	if json.Unmarshal(raw.JSON, &head) != nil {
		return raw // not an object
	}
	var kind string
	if json.Unmarshal(head.Type, &kind) != nil {
		return raw // "type" absent or not a string
	}
	raw.Type = ReplyType(kind)
	var r Reply
	switch raw.Type {
	case ReplyText:
		r = new(TextReply)
	case ReplyButtons:
		r = new(ButtonsReply)
	case ReplyInlineButtons:
		r = new(InlineButtonsReply)
	case ReplyImage:
		r = new(ImageReply)
	case ReplyAudio:
		r = new(AudioReply)
	case ReplyFile:
		r = new(FileReply)
	case ReplyCarousel:
		r = new(CarouselReply)
	case ReplyLocation:
		r = new(LocationReply)
	case ReplyTimeout:
		r = new(TimeoutReply)
	default:
		return raw
	}
	if json.Unmarshal(raw.JSON, r) != nil {
		return raw
	}
	return r
}

package chatbottest

import (
	"strings"
)

// AimylogicQuery is a client request as the fake's bot sees it: the
// fields of a send call.
type AimylogicQuery struct {
	ClientID string
	// Query is the user's text; Event the name of an event. Exactly one
	// is set.
	Query, Event string
	// CID is the connection ID the request carried, if any.
	CID string
	// Data is the request's "data" object, if it had one.
	Data map[string]any
}

// AimylogicReply is one reply object of a bot answer: its "type" and the
// fields of that type, as they go on the wire ({"type": "text", "text":
// "Hi"}).
type AimylogicReply map[string]any

// AimylogicAnswer is a bot's answer to one request, the "data" of the
// response. Its "answer" text is made from the text replies, joined by
// blank lines, as Just AI's bot framework does.
type AimylogicAnswer struct {
	// NLPClass is the script state the request matched ("/CatchAll").
	NLPClass string
	// Confidence is the classifier's score; it may be negative.
	Confidence float64
	// Replies are the bot's messages, in order.
	Replies []AimylogicReply
	// EndSession closes the client's session: the next request starts a
	// new one (its response says "newSessionStarted": true).
	EndSession bool
}

// AimylogicBot answers one client request. The fake calls it without
// holding its lock, possibly from several goroutines at once.
type AimylogicBot func(req AimylogicQuery) AimylogicAnswer

// The default bot's fixed texts and links.
const (
	aimylogicGreeting   = "Hello! I am a test bot. Say hello, image or file."
	aimylogicHello      = "Hello! What would you like to see?"
	aimylogicImageURL   = "https://example.com/images/cat.png"
	aimylogicFileURL    = "https://example.com/files/report.pdf"
	aimylogicCatchAll   = "/CatchAll"
	aimylogicCatchScore = -0.010999999999999979 // the documented example's score
)

// DefaultAimylogicBot is the fake's bot unless WithAimylogicBot replaces
// it. It is deterministic; the query is compared without case or
// surrounding space:
//
//   - the event "start": a greeting (text);
//   - any other event: "Event <name> received." (text);
//   - "hello": a text and two buttons, "image" and "file";
//   - "image": an image with a caption;
//   - "file": a PDF file;
//   - "bye": "Goodbye!" (text), ending the session;
//   - anything else: "You said: <query>" (text), matched to "/CatchAll"
//     with the documented example's negative confidence.
func DefaultAimylogicBot(req AimylogicQuery) AimylogicAnswer {
	if req.Event != "" {
		if req.Event == "start" {
			return aimylogicTextAnswer("/Start", aimylogicGreeting)
		}
		return aimylogicTextAnswer("/Events", "Event "+req.Event+" received.")
	}
	switch strings.ToLower(strings.TrimSpace(req.Query)) {
	case "hello":
		a := aimylogicTextAnswer("/Hello", aimylogicHello)
		a.Replies = append(a.Replies, AimylogicReply{
			"type":    "buttons",
			"buttons": []map[string]string{{"text": "image"}, {"text": "file"}},
			"state":   "/Hello",
		})
		return a
	case "image":
		return AimylogicAnswer{NLPClass: "/Image", Confidence: 1, Replies: []AimylogicReply{{
			"type": "image", "imageUrl": aimylogicImageURL, "text": "A cat", "state": "/Image",
		}}}
	case "file":
		return AimylogicAnswer{NLPClass: "/File", Confidence: 1, Replies: []AimylogicReply{{
			"type": "file", "fileUrl": aimylogicFileURL, "fileName": "report.pdf",
			"mimeType": "application/pdf", "state": "/File",
		}}}
	case "bye":
		a := aimylogicTextAnswer("/Bye", "Goodbye!")
		a.EndSession = true
		return a
	}
	a := aimylogicTextAnswer(aimylogicCatchAll, "You said: "+req.Query)
	a.Confidence = aimylogicCatchScore
	return a
}

// aimylogicTextAnswer is an answer of one text reply from state.
func aimylogicTextAnswer(state, text string) AimylogicAnswer {
	return AimylogicAnswer{NLPClass: state, Confidence: 1, Replies: []AimylogicReply{aimylogicText(text, state)}}
}

// aimylogicText is a text reply.
func aimylogicText(text, state string) AimylogicReply {
	r := AimylogicReply{"type": "text", "text": text}
	if state != "" {
		r["state"] = state
	}
	return r
}

// answerText joins the texts of the text replies with blank lines: the
// response's "answer".
func answerText(replies []AimylogicReply) string {
	var texts []string
	for _, r := range replies {
		if r["type"] == "text" {
			if s, ok := r["text"].(string); ok {
				texts = append(texts, s)
			}
		}
	}
	return strings.Join(texts, "\n\n")
}

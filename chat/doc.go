// Package chat is one conversation interface over the chat-bot platforms of
// this module. It models what those platforms share and what completion
// libraries leave out: the conversation lives on the server, has an ID, and
// holds a history that can be read back page by page.
//
// A platform is a Platform value with some of these capabilities, each a
// small interface, so that a platform implements only what it can:
//
//   - Opener: start a conversation, or resume one by its ID;
//   - Sender: send a text and get the bot's reply;
//   - Streamer: get the reply as it is written, delta by delta;
//   - HistoryReader: read a conversation's messages, oldest first;
//   - Lister: list the conversations.
//
// Ask for a capability with a type assertion:
//
//	p, err := chat.FromEnv("chatthing")
//	if err != nil { ... }
//	defer p.Close()
//	if l, ok := p.(chat.Lister); ok {
//		for conv, err := range l.Conversations(ctx) { ... }
//	}
//
// Send sends through whichever of Streamer and Sender a platform has.
//
// What each platform supports:
//
//	platform    Opener  Sender  Streamer  HistoryReader  Lister
//	chatthing   yes     yes     yes       yes            yes
//	botyard     yes     yes     -         yes            yes
//	aimylogic   yes     yes     -         yes            -
//	botuj       -       -       -         yes            yes
//
// Botyard's Send waits for the bot to post its reply; Aimylogic's waits
// for the answer in the response, or on the channel's webhook when the
// adapter has one (AimylogicOptions). An Aimylogic conversation is an end
// user's client ID, which Start makes up: the platform has no list of
// them. botuj.pl's API only reads.
//
// Errors are those of the platform packages (*chatbot.APIError and its
// sentinels, *chatbot.ValidationError, …), so that they still name the
// platform and the call: "botyard: Messages.Send: …". Input this package
// refuses itself, such as an empty conversation ID, is a
// *chatbot.ValidationError before any request.
package chat

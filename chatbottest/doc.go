// Package chatbottest has in-memory fake servers for the platforms this
// module supports, for tests and for the examples that run without an
// account:
//
//   - ChatThing (NewChatThing, StartChatThing): the whole Chat Thing API
//     channel, with a scriptable bot and streamed replies;
//   - Botyard (NewBotyard, StartBotyard): the Botyard Client API with its
//     JWT cookie session, paging, uploads and the files under /static,
//     plus bots that answer;
//   - Aimylogic (NewAimylogic, StartAimylogic): the Aimylogic (Just AI)
//     Chat API of one channel, with a deterministic bot, events, history
//     and deliveries to a webhook;
//   - Botuj (NewBotuj, StartBotuj): the read-only botuj.pl API, its
//     conversations and their messages, paged by page number and seeded
//     deterministically.
//
// Each fake is stateful, safe for concurrent use, served on a loopback port
// by net/http/httptest, and follows the API references in status codes,
// error shapes, pagination and validation limits.
//
// # Lifecycle
//
// Every fake comes with two constructors. NewX builds the fake and starts
// serving it, and leaves its end to the caller, who calls Close: use it in
// a program (an example that runs with no account), in an Example
// function, or for a server shared by several tests (from TestMain, say).
// StartX does the same for one test and registers Close with the test's
// Cleanup, so that a test never has to close it: use it in a test. Close
// leaves nothing behind: work the fake scheduled for later (a bot's
// delayed reply) is dropped, stalled responses end, open connections are
// closed, and no goroutine outlives it.
//
// # A client of a fake
//
// In a test, one line gives a client wired to a fake, closed when the test
// ends:
//
//	fake := chatbottest.StartChatThing(t)
//	client := fake.Client(t) // a *chatbot.Client for the fake's channel, key and URL
//
// Botyard.Client does the same for package botyard. Outside a test, it
// takes three lines: NewClient with the fake's credentials and URL, as
// the examples of NewChatThing and NewBotyard show. (This package imports
// the client packages for it, so a test of those packages that uses a
// fake is an external test, in package chatbot_test or botyard_test.)
//
// # What every fake shares
//
// Every fake carries a *Faults, to make a test's next requests fail, slow
// down or break, and a request log: Requests returns each request it
// received (method, path, query, headers with credentials redacted, the
// start of the body, and the status it got, injected faults included),
// and CountRequests counts them by method and path. Errors come in the
// shape of the platform's reference (JSON, or plain text for Aimylogic). Handler returns the whole
// server as an http.Handler, to serve a fake on an address of your choice
// (the chatbot command's "fake" does).
package chatbottest

// Package chatbottest has in-memory fake servers for the platforms this
// module supports, for tests and for the examples that run without an
// account:
//
//   - ChatThing (NewChatThing, StartChatThing): the whole Chat Thing API
//     channel, with a scriptable bot and streamed replies;
//   - Botyard (NewBotyard, StartBotyard): the Botyard Client API with its
//     JWT cookie session, paging, uploads and the files under /static,
//     plus bots that answer;
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
// serving it, and leaves its end to the caller, who calls Close: for a
// program (an example that runs with no account) or a server shared by
// several tests. StartX does the same for one test and registers Close
// with the test's Cleanup, so that a test never has to close it. Close
// leaves nothing behind: work the fake scheduled for later (a bot's
// delayed reply) is dropped, stalled responses end, open connections are
// closed, and no goroutine outlives it.
//
// # What every fake shares
//
// Every fake carries a *Faults, to make a test's next requests fail, slow
// down or break, and a request log: Requests returns each request it
// received (method, path, query, headers with credentials redacted, the
// start of the body, and the status it got, injected faults included),
// and CountRequests counts them by method and path. Errors come as JSON
// in the shape of the platform's reference.
package chatbottest

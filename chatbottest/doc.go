// Package chatbottest has in-memory fake servers for the platforms this
// module supports, for tests and for the examples that run without an
// account:
//
//   - ChatThing (NewChatThing, StartChatThing): the whole Chat Thing API
//     channel, with a scriptable bot and streamed replies;
//   - Botyard (NewBotyard, StartBotyard): the Botyard Client API with its
//     cookie session, paging and uploads, plus bots that answer;
//   - Botuj (NewBotuj, StartBotuj): the read-only botuj.pl API, its
//     conversations and their messages, paged by page number and seeded
//     deterministically.
//
// Each fake is stateful, safe for concurrent use, served on a loopback port
// by net/http/httptest, and follows the API references in status codes,
// error shapes, pagination and validation limits. Every fake carries a
// *Faults, to make a test's next requests fail, slow down or break.
package chatbottest

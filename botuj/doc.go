// Package botuj reads the conversations of a botuj.pl account and the
// messages inside each of them, through botuj.pl's public API (base URL
// https://botuj.pl, paths under /v1/api/).
//
// The API is read-only and paged by page number: ListParams.Page counts
// from 1 and ListParams.Limit (the API's per_page) is 1..MaxPageLimit,
// DefaultPageLimit when left at 0. Identifiers are integers (ID);
// timestamps carry microseconds (Time); a conversation's first bot reply
// arrives as a JSON document inside a string (see
// Conversation.DecodeFirstBotMessage).
//
// The documentation shows the shape of one item but not the response that
// holds a page of them, so this package reads a page leniently: a bare
// JSON array, an object with the array under "data", "items", "results"
// or the resource's own name, or a single object.
package botuj

// Package botuj reads the conversations of a botuj.pl account and the
// messages inside each of them, through botuj.pl's public API (base URL
// https://botuj.pl, paths under /v1/api/), authenticated with the
// account's API key:
//
//	client, err := botuj.NewClient(apiKey) // or botuj.NewClientFromEnv()
//	if err != nil { … }
//	defer client.Close()
//	for conv, err := range client.Conversations.ListAll(ctx, &botuj.ListParams{Limit: 100}) {
//		if err != nil { … }
//		for msg, err := range client.Messages.ListAll(ctx, conv.ID, nil) { … }
//	}
//
// The API is read-only and paged by page number: ListParams.Page counts
// from 1 and ListParams.Limit (the API's per_page) is 1..MaxPageLimit,
// DefaultPageLimit when left at 0. Each list has List, for one page, and
// ListAll, which walks every page lazily and stops on an empty or short
// page. Identifiers are integers (ID); timestamps carry microseconds
// (Time); a conversation's first bot reply arrives as a JSON document
// inside a string (see Conversation.DecodeFirstBotMessage).
//
// # Pages
//
// The documentation shows the shape of one item but not the response that
// holds a page of them, so this package reads a page leniently: a bare
// JSON array; an object with the array under "data", "items", "results"
// or the resource's own name ("conversations", "messages"), possibly with
// paging metadata beside it (total, page, per_page, last_page, has_more,
// next, in their usual spellings), and possibly inside one more such
// object; or a single object with an "id", taken as a page of one. Any
// other body is a *chatbot.DecodeError. When the metadata is there,
// Pagination holds it and ListAll stops where it says the list ends.
//
// Errors are the module's usual ones: *chatbot.APIError for an error
// status (errors.Is(err, chatbot.ErrNotFound) for an unknown conversation,
// chatbot.ErrUnauthorized for a bad key), *chatbot.ValidationError for bad
// input caught before sending, and *chatbot.TransportError and
// *chatbot.DecodeError. Every call is a read, so it is retried on
// connection errors and on 408, 429, 502, 503 and 504, honouring
// Retry-After (the README's retry policy). The API key never shows in an
// error, a log record or a URL.
package botuj

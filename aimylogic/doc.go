// Package aimylogic holds the types of the Chat API of Aimylogic, Just AI's
// visual bot builder, which JAICP and Tovie Platform serve under the same
// paths: the request parameters of its calls, the results they return, and
// the payload its webhook delivers.
//
// # Requests and results
//
// Request parameters are structs with json or url tags; each has a
// Validate method that catches bad input before anything is sent and
// reports it as a *chatbot.ValidationError naming the field:
//
//   - SendParams: the synchronous and the asynchronous send;
//   - SimpleSendParams: the simplified send, whose parameters travel in
//     the query string;
//   - EventsParams: one long poll of the chat's events;
//   - HistoryParams: part of a client's message history;
//   - SaveStateParams: the chat application state to store for a client;
//   - SetStatusParams and SetStatusesParams: message statuses.
//
// Results decode from the API's JSON: Response (with ResponseData and its
// Replies), AsyncResult, EventsPage (of Event), History (of
// HistoryMessage), ClientState, StatusResult and UnreadCount. A
// WebhookResult is one object of a webhook delivery.
//
// # Decoding is lenient where the documentation is unsure
//
// The vendor's formal specification is not public, and its help pages
// contradict each other in places. The decoders accept every shape the
// available sources disagree about, and keep raw JSON where the SDK cannot
// know the fields:
//
//   - a bot reply is a Reply: one Go type per documented kind, and a
//     *RawReply, which keeps the JSON intact, for every other kind;
//   - timestamps are Time values: the server writes UTC without an offset,
//     and a value that cannot be read never fails the response;
//   - result shapes the documentation leaves open (the asynchronous send's
//     ID, the status and the unread count) are read from a bare value or
//     from an object;
//   - string types for open sets (ReplyType, EventType, MessageStatus,
//     Author, Markup) pass unknown values through.
//
// # Identifiers
//
// A client ID is chosen by the integrator and identifies one end user. The
// SDK holds it to path-segment rules everywhere (non-empty, at most
// MaxIDBytes, no "/", "?", "#", "%" or control characters), because the
// same ID appears in the paths of the history, state and status calls.
//
// The channel token that addresses the API is a secret. No type in this
// package keeps it: a WebhookResult remembers only its SHA-256 digest, so
// that HasToken can check a delivery's origin.
package aimylogic

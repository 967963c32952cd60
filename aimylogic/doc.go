// Package aimylogic is a client for the Chat API of Aimylogic, Just AI's
// visual bot builder, which JAICP, Tovie Platform and SaluteBot serve
// under the same paths: it sends users' messages to a bot, follows the
// chat's events, reads the history, keeps a chat application's state,
// tracks message statuses, and receives the results the platform posts to
// a webhook.
//
//	c, err := aimylogic.NewClient(token) // or NewClientFromEnv: AIMYLOGIC_TOKEN
//	resp, err := c.Messages.Send(ctx, &aimylogic.SendParams{ClientID: "user-42", Query: "Hello"})
//	for _, r := range resp.Data.Replies { … }
//
// # Calls
//
//   - Client.Messages: Send (waits for the bot), SendSimple (the GET
//     form), SendAsync (the answer goes to the webhook) and SendAndWait
//     (SendAsync paired with its webhook result);
//   - Client.Events: Poll (one long poll) and Follow (an iter.Seq2 that
//     polls for ever, each event once);
//   - Client.History: List (one page) and ListAll (an iter.Seq2);
//   - Client.State: Save and Load;
//   - Client.Statuses: Get, Set, SetMany and UnreadCount.
//
// Every call takes a context first and chatbot.CallOption values last,
// checks its parameters before sending (a *chatbot.ValidationError naming
// the field), and fails with the module's usual errors:
// *chatbot.APIError (a wrong token is a 404, matching chatbot.ErrNotFound),
// *chatbot.TransportError and *chatbot.DecodeError.
//
// # Hosts and paths
//
// The host is the one setting that differs per product: AimylogicURL (the
// default), JAICPURL, JAICPAppURL or TovieURL, given with
// chatbot.WithBaseURL. SaluteBot puts "/bot" before the token:
// WithPathRoot("chatapi/bot").
//
// # The token
//
// The channel token addresses the API as a path segment, so it is a secret
// that would otherwise end up in every URL. The client shows it as
// "{token}" in every URL, error and log record, raw or escaped, including
// in the error text the server echoes for a wrong token. No result keeps
// it: every answer and webhook delivery is read with the token shown as
// "{token}" wherever it appears, since bots repeat it deep in their data
// (JAICF bots forward the raw request), so raw JSON fields such as
// Data.Raw, Data.DebugData and RawReply.JSON hold "{token}" too. A
// WebhookResult remembers only the token's SHA-256 digest, so that
// HasToken can check a delivery's origin.
//
// # The webhook
//
// WebhookHandler is the http.Handler for the channel's webhook URL. It
// accepts an array or a single result, checks each result's token, and
// hands results to the SendAndWait call waiting for them or to a callback
// or a channel with backpressure. Results no request is waiting for
// (agent replies) are normal. SendAndWait pairs in memory, so it needs the
// webhook to reach the same process that sent the request, not one of
// several instances behind a load balancer.
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
package aimylogic

// Package chatbottest has in-memory fake servers for the platforms this
// module supports, for tests and for the examples that run without an
// account. Each fake is stateful, safe for concurrent use, served by
// net/http/httptest, and follows the API references: status codes, error
// shapes, pagination and validation limits. Every fake carries Faults, to
// make a test's next requests fail, slow down or break.
package chatbottest

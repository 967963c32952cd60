// Package testkit is the one test harness every platform package of the
// SDK uses: a replay server, a fixture loader and the no-secret-anywhere
// assertion. Only _test.go files import it.
//
// A replay server is a script of exchanges: each names the request the
// client must send (method, path, query, headers, body) and the answer it
// gets. The server answers them in order, fails the test on any request
// the script does not expect, records every request for later assertions,
// and at the end of the test fails it if part of the script was never
// played. A platform's tests usually wrap it once, with the headers every
// request of that platform carries:
//
//	var wire = testkit.Defaults{Header: map[string]string{"Accept": "application/json"}}
//
//	srv := wire.Serve(t, testkit.Exchange{
//		Method: http.MethodGet, Path: "/v1/bots",
//		Reply:  testkit.Reply{File: "testdata/botyard/client_get_bots.json"},
//	})
//
// Fixture paths are relative to the module root, so a test reads
// testdata/<platform>/<name>.json the same way from any package.
//
// AssertNoSecret checks an error, its whole errors.Unwrap tree and any
// other text (URLs, log output) for a secret in every form it could leak
// in: as it is, path-escaped, query-escaped, JSON-escaped or Go-quoted.
package testkit

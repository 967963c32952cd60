package testkit

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"testing"
)

// maxErrors bounds the walk of an error tree, so that an Unwrap cycle
// fails the test instead of hanging it.
const maxErrors = 1000

// AssertNoSecret fails t if secret shows, in any of the forms it could
// leak in (as it is, path-escaped, query-escaped, JSON-escaped with and
// without HTML escapes, Go-quoted), in:
//
//   - err.Error(), and err printed with %v, %+v and %#v;
//   - the same for every error below err, reached through Unwrap() error
//     and Unwrap() []error, down to the bottom of every branch;
//   - each of extras: URLs, log output, anything else the test holds.
//
// err may be nil, to check extras alone. It returns whether nothing was
// found, like the assert package's functions.
func AssertNoSecret(t testing.TB, secret string, err error, extras ...string) bool {
	t.Helper()
	if secret == "" {
		t.Errorf("testkit: AssertNoSecret needs a secret to look for")
		return false
	}
	forms := secretForms(secret)
	clean := true
	look := func(where, text string) {
		for _, f := range forms {
			if strings.Contains(text, f.text) {
				clean = false
				t.Errorf("testkit: the secret (%s) shows in %s:\n%s", f.name, where, strings.ReplaceAll(text, f.text, "«SECRET»"))
			}
		}
	}
	n := 0
	walkErrors(err, "err", func(where string, e error) bool {
		if n++; n > maxErrors {
			clean = false
			t.Errorf("testkit: more than %d errors under err: an Unwrap cycle?", maxErrors)
			return false
		}
		look(where+".Error()", errorText(e))
		for _, verb := range []string{"%v", "%+v", "%#v"} {
			look(where+" as "+verb, fmt.Sprintf(verb, e))
		}
		return true
	})
	for i, s := range extras {
		look(fmt.Sprintf("extras[%d]", i), s)
	}
	return clean
}

// form is one way a secret can be written.
type form struct{ name, text string }

// secretForms lists the distinct ways secret can be written, each named
// by all the escapings that give it.
func secretForms(secret string) []form {
	all := []form{
		{"as it is", secret},
		{"path-escaped", url.PathEscape(secret)},
		{"query-escaped", url.QueryEscape(secret)},
		{"JSON-escaped", jsonEscape(secret, true)},
		{"JSON-escaped without HTML escapes", jsonEscape(secret, false)},
		{"Go-quoted", strings.TrimSuffix(strings.TrimPrefix(strconv.Quote(secret), `"`), `"`)},
	}
	var out []form
	at := map[string]int{} // text → index in out
	for _, f := range all {
		if i, ok := at[f.text]; ok {
			out[i].name += ", or " + f.name
			continue
		}
		at[f.text] = len(out)
		out = append(out, f)
	}
	return out
}

// jsonEscape is s as it stands inside a JSON string.
func jsonEscape(s string, html bool) string {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(html)
	_ = enc.Encode(s) // a string always encodes
	return strings.TrimSuffix(strings.TrimPrefix(strings.TrimSuffix(b.String(), "\n"), `"`), `"`)
}

// walkErrors calls visit for err and every error below it, depth first,
// naming each by its route from err. visit returns false to stop.
func walkErrors(err error, where string, visit func(where string, err error) bool) bool {
	if err == nil {
		return true
	}
	if !visit(where, err) {
		return false
	}
	switch u := err.(type) {
	case interface{ Unwrap() []error }:
		for i, e := range u.Unwrap() {
			if !walkErrors(e, fmt.Sprintf("%s.Unwrap()[%d]", where, i), visit) {
				return false
			}
		}
	case interface{ Unwrap() error }:
		return walkErrors(u.Unwrap(), where+".Unwrap()", visit)
	}
	return true
}

// errorText is e.Error(), or what it panicked with: a typed nil pointer
// in a chain is a bug to report, not a reason to crash the test binary.
func errorText(e error) (text string) {
	defer func() {
		if r := recover(); r != nil {
			text = fmt.Sprintf("(Error() panicked: %v)", r)
		}
	}()
	return e.Error()
}

// Package redact removes secrets from text that may be shown (errors,
// URLs, log records, body excerpts) and seals error chains that quote one.
// The engine uses one Redactor per client; a package that builds its own
// messages (a webhook handler) can make its own.
package redact

import (
	"encoding/json"
	"net/url"
	"sort"
	"strings"
	"unicode/utf8"
)

// Redacted is what a header secret, cookie or session token is shown as.
const Redacted = "[REDACTED]"

// Redactor removes secrets from text that may be shown: error messages,
// URLs, log records, excerpts of response bodies. A secret can reach such
// text in more than one spelling (a server echoes the raw value, a URL
// carries it path- or query-escaped, a JSON body escapes its quotes), so
// every spelling is replaced. A Redactor is immutable once built and safe
// for concurrent use.
type Redactor struct {
	forms   []form          // longest first, so a longer form wins over its prefix
	dynamic func() []string // secrets that change while the client runs
	longest int
}

type form struct{ text, shown string }

// Secret is a value to hide and what to show in its place: Redacted for
// a key or cookie, "{token}" for a token carried in a URL path.
type Secret struct{ Value, Shown string }

// New builds a redactor for secrets. dynamic, when not nil, is read at
// every use for secrets that change, such as a session token the server
// re-issues (shown as Redacted); it must be safe for concurrent use.
func New(secrets []Secret, dynamic func() []string) *Redactor {
	r := &Redactor{dynamic: dynamic}
	for _, s := range secrets {
		if s.Value != "" {
			r.add(s.Value, s.Shown)
		}
	}
	sort.SliceStable(r.forms, func(i, j int) bool { return len(r.forms[i].text) > len(r.forms[j].text) })
	return r
}

func (r *Redactor) add(secret, shown string) {
	quoted, _ := json.Marshal(secret)
	for _, f := range []string{secret, url.PathEscape(secret), url.QueryEscape(secret), string(quoted[1 : len(quoted)-1])} {
		r.forms = append(r.forms, form{f, shown})
		r.longest = max(r.longest, len(f))
	}
}

// Redact returns s with every spelling of every secret replaced.
func (r *Redactor) Redact(s string) string {
	if r == nil {
		return s
	}
	for _, f := range r.forms {
		if strings.Contains(s, f.text) {
			s = strings.ReplaceAll(s, f.text, f.shown)
		}
	}
	if r.dynamic != nil {
		for _, secret := range r.dynamic() {
			if secret != "" {
				s = strings.ReplaceAll(s, secret, Redacted)
				s = strings.ReplaceAll(s, url.QueryEscape(secret), Redacted)
			}
		}
	}
	return s
}

// longestSecret is the length of the longest spelling of any secret.
func (r *Redactor) longestSecret() int {
	n := r.longest
	if r.dynamic != nil {
		for _, s := range r.dynamic() {
			n = max(n, len(url.QueryEscape(s)))
		}
	}
	return n
}

// Excerpt returns at most n bytes of b (plus an ellipsis) with every secret
// removed. It redacts before it cuts: cutting first could leave the first
// part of a secret that straddles the cut.
//
// Redacting shortens the text, so the window it redacts grows until the
// redacted text still reaches longest bytes past n (or b ends): then any
// secret that starts before n lay wholly inside the window. A fixed window
// of n+longest would let a second copy of a key slide below n half cut.
func (r *Redactor) Excerpt(b []byte, n int) string {
	longest := r.longestSecret()
	for window := n + longest; ; window *= 2 {
		if window >= len(b) {
			return truncateUTF8([]byte(r.Redact(string(b))), n)
		}
		if red := r.Redact(string(b[:window])); len(red) >= n+longest {
			return truncateUTF8([]byte(red), n)
		}
	}
}

// truncateUTF8 cuts b to at most n bytes without splitting a rune.
func truncateUTF8(b []byte, n int) string {
	if len(b) <= n {
		return string(b)
	}
	cut := n
	for cut > 0 && !utf8.RuneStart(b[cut]) {
		cut--
	}
	return string(b[:cut]) + "…"
}

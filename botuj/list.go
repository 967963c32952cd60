package botuj

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
)

// The API documents the shape of one conversation and of one message but
// not the response that carries a page of them. decodeList reads every
// shape a page could plausibly take (the API reference's recommendation)
// and rejects the rest with an error that says what it found:
//
//   - null or a bare array of items;
//   - an object holding the array (or null for none) under "data", "items",
//     "results" or the resource's own key, with or without paging
//     metadata beside it, possibly inside one more such object;
//   - a single item: an object with an "id" and no list key.

// commonListKeys are the keys any list may arrive under; decodeList's
// callers add the resource's own name ("conversations", "messages").
var commonListKeys = []string{"data", "items", "results"}

// maxEnvelopeDepth is how many objects may wrap the array: two allow a
// paginator inside a wrapper ({"data": {"data": […], "total": 3}}).
const maxEnvelopeDepth = 2

// Errors decodeList wraps, by kind of failure.
var (
	errEmptyBody     = errors.New("empty response body")
	errNotList       = errors.New("not a list")
	errAmbiguousList = errors.New("ambiguous list")
	errTooDeep       = errors.New("list nested too deep")
	errTooManyItems  = errors.New("too many items on one page")
)

// pageMeta is the paging information an envelope carried beside the list.
// A zero or nil field was not sent, or could not be read: metadata only
// helps to stop paging early, so an odd value is dropped rather than
// failing a page whose items are fine.
type pageMeta struct {
	// Total counts the items of every page.
	Total int
	// Page is the number of the page returned.
	Page int
	// PerPage is the page size the server used.
	PerPage int
	// LastPage is the number of the last page.
	LastPage int
	// HasMore reports whether a later page exists.
	HasMore *bool
}

// decodeList reads one page of items of type T from body. keys are the
// resource's own list keys, accepted besides commonListKeys. A page with
// more than MaxPageLimit items is an error: the server was asked for at
// most that many, and the bound keeps a hostile body from growing the
// result without end. Errors are plain; the caller adds the call's name
// and a snippet of the body.
func decodeList[T any](body []byte, keys ...string) ([]T, pageMeta, error) {
	body = bytes.TrimSpace(body)
	if len(body) == 0 {
		return nil, pageMeta{}, fmt.Errorf("%w: want a JSON array or object", errEmptyBody)
	}
	if !json.Valid(body) {
		var probe struct{}
		err := json.Unmarshal(body, &probe) // reports where the syntax breaks
		return nil, pageMeta{}, fmt.Errorf("invalid JSON: %w", err)
	}
	d := listDecoder{keys: append(slices.Clip(commonListKeys), keys...)}
	return decodeValue[T](&d, body, maxEnvelopeDepth, "the body")
}

// listDecoder holds what every level of one decodeList call shares.
type listDecoder struct {
	keys []string
}

// decodeValue reads v, a valid JSON value, as a list of T. depth is how
// many more objects may wrap the list; where names v in errors.
func decodeValue[T any](d *listDecoder, v []byte, depth int, where string) ([]T, pageMeta, error) {
	switch v[0] {
	case 'n':
		return []T{}, pageMeta{}, nil
	case '[':
		items, err := decodeArray[T](v)
		return items, pageMeta{}, err
	case '{':
		return decodeObject[T](d, v, depth, where)
	}
	return nil, pageMeta{}, fmt.Errorf("%w: %s is a JSON %s; want an array, an object or null", errNotList, where, kindOf(v))
}

// decodeArray decodes the items of the array v one at a time, so that it
// stops at the first item over MaxPageLimit without reading the rest.
func decodeArray[T any](v []byte) ([]T, error) {
	dec := json.NewDecoder(bytes.NewReader(v))
	if _, err := dec.Token(); err != nil { // the '['
		return nil, err
	}
	items := []T{}
	for dec.More() {
		if len(items) == MaxPageLimit {
			return nil, fmt.Errorf("%w: more than %d, the API's maximum page size", errTooManyItems, MaxPageLimit)
		}
		var item T
		if err := dec.Decode(&item); err != nil {
			return nil, fmt.Errorf("item %d: %w", len(items), err)
		}
		items = append(items, item)
	}
	return items, nil
}

// listHit is a list key found in an object, with its value.
type listHit struct {
	key string
	raw json.RawMessage
}

// decodeObject reads the object v as an envelope or as a single item.
func decodeObject[T any](d *listDecoder, v []byte, depth int, where string) ([]T, pageMeta, error) {
	var (
		hits    []listHit // list keys holding a value other than null
		nullKey bool      // a list key holding null: an empty list
		hasID   bool
		meta    metaReader
	)
	err := eachMember(v, func(key string, raw json.RawMessage) {
		switch {
		case key == "id":
			hasID = true
		case slices.Contains(d.keys, key):
			if bytes.Equal(raw, []byte("null")) {
				nullKey = true
				return
			}
			if i := slices.IndexFunc(hits, func(h listHit) bool { return h.key == key }); i >= 0 {
				hits[i].raw = raw // a repeated key: the last one counts, as in encoding/json
				return
			}
			hits = append(hits, listHit{key, raw})
		default:
			meta.member(key, raw, true)
		}
	})
	if err != nil {
		return nil, pageMeta{}, err
	}
	switch {
	case len(hits) > 1:
		return nil, pageMeta{}, fmt.Errorf("%w: %s has both %q and %q", errAmbiguousList, where, hits[0].key, hits[1].key)
	case len(hits) == 1 && depth <= 0:
		return nil, pageMeta{}, fmt.Errorf("%w: more than %d objects wrap it", errTooDeep, maxEnvelopeDepth)
	case len(hits) == 1:
		items, inner, err := decodeValue[T](d, bytes.TrimSpace(hits[0].raw), depth-1, fmt.Sprintf("%q", hits[0].key))
		if err != nil {
			return nil, pageMeta{}, err
		}
		return items, mergeMeta(inner, meta.result()), nil
	case nullKey:
		return []T{}, meta.result(), nil
	case hasID:
		var item T
		if err := json.Unmarshal(v, &item); err != nil {
			return nil, pageMeta{}, fmt.Errorf("single item: %w", err)
		}
		return []T{item}, pageMeta{}, nil
	}
	return nil, pageMeta{}, fmt.Errorf(`%w: %s is an object with no "id" and none of the keys %s`, errNotList, where, listKeyNames(d.keys))
}

// eachMember calls fn with every member of the valid JSON object v, in
// order, reading one member at a time.
func eachMember(v []byte, fn func(key string, raw json.RawMessage)) error {
	dec := json.NewDecoder(bytes.NewReader(v))
	if _, err := dec.Token(); err != nil { // the '{'
		return err
	}
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return err
		}
		key, _ := tok.(string)
		var raw json.RawMessage
		if err := dec.Decode(&raw); err != nil {
			return err
		}
		fn(key, raw)
	}
	return nil
}

// kindOf names the kind of the valid JSON scalar v.
func kindOf(v []byte) string {
	switch v[0] {
	case '"':
		return "string"
	case 't', 'f':
		return "boolean"
	}
	return "number"
}

// listKeyNames quotes keys for an error: "data", "items" or "results".
func listKeyNames(keys []string) string {
	quoted := make([]string, len(keys))
	for i, k := range keys {
		quoted[i] = fmt.Sprintf("%q", k)
	}
	if len(quoted) < 2 {
		return strings.Join(quoted, "")
	}
	return strings.Join(quoted[:len(quoted)-1], ", ") + " or " + quoted[len(quoted)-1]
}

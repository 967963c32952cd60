package testkit

import (
	"bytes"
	"errors"
	"fmt"
	"mime"
	"mime/multipart"
	"net/http"
	"net/url"
	"strings"
)

// Request is a request as the server received it.
type Request struct {
	// Method is the request method.
	Method string
	// Path is the escaped path (URL.EscapedPath).
	Path string
	// RawQuery is the query string as sent, without the "?".
	RawQuery string
	// Header holds the request headers.
	Header http.Header
	// Body is the whole body.
	Body []byte
}

func record(r *http.Request, body []byte) *Request {
	return &Request{
		Method:   r.Method,
		Path:     r.URL.EscapedPath(),
		RawQuery: r.URL.RawQuery,
		Header:   r.Header.Clone(),
		Body:     body,
	}
}

// Query returns the parsed query string. A query that does not parse
// gives what parsed of it.
func (r *Request) Query() url.Values {
	q, _ := url.ParseQuery(r.RawQuery)
	return q
}

// MultipartReader reads a multipart body (an upload) part by part.
func (r *Request) MultipartReader() (*multipart.Reader, error) {
	mt, params, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if err != nil {
		return nil, fmt.Errorf("testkit: Content-Type: %w", err)
	}
	if !strings.HasPrefix(mt, "multipart/") {
		return nil, fmt.Errorf("testkit: Content-Type %q is not multipart", mt)
	}
	if params["boundary"] == "" {
		return nil, errors.New("testkit: multipart Content-Type without a boundary")
	}
	return multipart.NewReader(bytes.NewReader(r.Body), params["boundary"]), nil
}

func (r *Request) clone() Request {
	c := *r
	c.Header = r.Header.Clone()
	return c
}

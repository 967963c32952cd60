package rest

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/url"
	"strings"
)

// transportError wraps err, the reason a call got no usable response,
// without the URL (url.Error prints it whole) and without any secret.
func (e *Engine) transportError(req *Request, err error) error {
	var uerr *url.Error
	if errors.As(err, &uerr) {
		err = uerr.Err
	}
	path, _, _ := strings.Cut(req.Path, "?")
	return &TransportError{Op: req.Op, Method: req.Method, Path: e.shownPrefix + e.redactor.Redact(path), Err: e.seal(err), pkg: e.check.Pkg}
}

// seal returns err unchanged when no error of its chain shows a secret.
// Otherwise it returns a sealedError: the redacted text, errors.Is still
// answered by the original chain (context.DeadlineExceeded, io.EOF, …),
// but no Unwrap, so that a reporter walking the chain (sentry-go and the
// like) cannot reach the raw cause. net/http quotes what a server sent, a
// malformed header line holding a cookie for instance.
func (e *Engine) seal(err error) error {
	if err == nil || !e.showsSecret(err) {
		return err
	}
	return &sealedError{msg: e.redactor.Redact(err.Error()), cause: err}
}

// showsSecret walks the whole chain, joined errors included.
func (e *Engine) showsSecret(err error) bool {
	if err == nil {
		return false
	}
	for _, text := range []string{err.Error(), fmt.Sprintf("%#v", err)} {
		if e.redactor.Redact(text) != text {
			return true
		}
	}
	switch u := err.(type) {
	case interface{ Unwrap() error }:
		return e.showsSecret(u.Unwrap())
	case interface{ Unwrap() []error }:
		for _, c := range u.Unwrap() {
			if e.showsSecret(c) {
				return true
			}
		}
	}
	return false
}

// sealedError is a cause whose text held a secret. It answers errors.Is
// and the net.Error questions for the original, and exposes nothing else.
type sealedError struct {
	msg   string
	cause error
}

func (s *sealedError) Error() string { return s.msg }

// Is lets errors.Is see the sentinels of the hidden chain.
func (s *sealedError) Is(target error) bool { return errors.Is(s.cause, target) }

// Timeout reports a timeout as net.Error does.
func (s *sealedError) Timeout() bool {
	var ne net.Error
	return errors.Is(s.cause, context.DeadlineExceeded) || (errors.As(s.cause, &ne) && ne.Timeout())
}

// GoString keeps %#v from printing the hidden cause.
func (s *sealedError) GoString() string { return fmt.Sprintf("&rest.sealedError{msg:%q}", s.msg) }

// own stamps the engine's package on an error made without one (by an
// option, or by a helper that does not know its caller).
func (e *Engine) own(err error) error {
	var ve *ValidationError
	if errors.As(err, &ve) && ve.pkg == "" {
		ve.pkg = e.check.Pkg
	}
	var de *DecodeError
	if errors.As(err, &de) && de.pkg == "" {
		de.pkg = e.check.Pkg
	}
	return err
}

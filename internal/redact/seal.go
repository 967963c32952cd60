package redact

import (
	"context"
	"errors"
	"fmt"
	"net"
)

// Seal returns err unchanged when no error of its chain shows a secret.
// Otherwise it returns a sealedError: the redacted text, errors.Is still
// answered by the original chain (context.DeadlineExceeded, io.EOF, …),
// but no Unwrap, so that a reporter walking the chain (sentry-go and the
// like) cannot reach the raw cause. net/http quotes what a server sent, a
// malformed header line holding a cookie for instance.
func (r *Redactor) Seal(err error) error {
	if err == nil || !r.showsSecret(err) {
		return err
	}
	return &sealedError{msg: r.Redact(err.Error()), cause: err}
}

// showsSecret walks the whole chain, joined errors included.
func (r *Redactor) showsSecret(err error) bool {
	if err == nil {
		return false
	}
	for _, text := range []string{err.Error(), fmt.Sprintf("%#v", err)} {
		if r.Redact(text) != text {
			return true
		}
	}
	switch u := err.(type) {
	case interface{ Unwrap() error }:
		return r.showsSecret(u.Unwrap())
	case interface{ Unwrap() []error }:
		for _, c := range u.Unwrap() {
			if r.showsSecret(c) {
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
func (s *sealedError) GoString() string { return fmt.Sprintf("&redact.sealedError{msg:%q}", s.msg) }

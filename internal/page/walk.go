// Package page turns page fetchers into lazy iter.Seq2 sequences. Walk is
// the one loop; Cursor, After, Pages and Follow are thin adapters that
// each keep the state of one way of paging and decide when a list ends.
package page

import (
	"context"
	"errors"
	"fmt"
	"iter"
)

// Step fetches the next page and says whether it is the last one. A step
// that returns an error ends the walk; the items it returns with the error
// are yielded first.
type Step[T any] func(ctx context.Context) (items []T, last bool, err error)

// Walk yields the items of every page that a Step returns, fetching a
// page only when the caller has consumed the previous one, so that one
// page is held in memory at a time. It stops after the last page, on
// break, or on an error (the last pair); a cancelled context is such an
// error. begin makes a fresh Step, with fresh state, for every range over
// the sequence, so a sequence may be ranged again or by several goroutines.
func Walk[T any](ctx context.Context, begin func() Step[T]) iter.Seq2[T, error] {
	return func(yield func(T, error) bool) {
		var zero T
		next := begin()
		for {
			if err := ctx.Err(); err != nil {
				yield(zero, err)
				return
			}
			items, last, err := next(ctx)
			for _, it := range items {
				if !yield(it, nil) {
					return
				}
			}
			if err != nil {
				yield(zero, err)
				return
			}
			if last {
				return
			}
		}
	}
}

// ErrPaging is matched by every error this package makes itself (a
// server that ignores the cursor, the page number or the filter): the
// walk cannot go on. Label names the call in their text.
var ErrPaging = errors.New("paging stopped")

// pagingError is an error this package makes: a reason and ErrPaging.
type pagingError struct{ reason string }

func (e *pagingError) Error() string        { return e.reason }
func (e *pagingError) Is(target error) bool { return target == ErrPaging }

// Label prefixes the text of this package's own errors in seq with label
// ("botyard: Messages.ListAll"), so that they read like every other error
// of the platform; errors from the fetches pass as they are.
func Label[T any](label string, seq iter.Seq2[T, error]) iter.Seq2[T, error] {
	return func(yield func(T, error) bool) {
		for v, err := range seq {
			if err != nil && errors.Is(err, ErrPaging) {
				err = fmt.Errorf("%s: %w", label, err)
			}
			if !yield(v, err) {
				return
			}
		}
	}
}

// Fail is a sequence holding only err, for an auto-pager whose arguments
// were rejected before any fetch.
func Fail[T any](err error) iter.Seq2[T, error] {
	return func(yield func(T, error) bool) {
		var zero T
		yield(zero, err)
	}
}

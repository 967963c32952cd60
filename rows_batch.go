package chatbot

import (
	"errors"
	"fmt"
)

// MaxRowsPerCall is the most rows CreateRows, UpdateRows and DeleteRows
// put in one request; a longer list goes out as several requests of at
// most this many rows, in order. The reference documents no limit on bulk
// row calls; requests of 50 Markdown documents stay modest in size, so a
// large knowledge base does not fail on a single oversized request.
const MaxRowsPerCall = 50

// RowBatchError is the error of a bulk row call (CreateRows, UpdateRows,
// DeleteRows) whose list took several requests and failed after the first:
// the first Done of Total rows were created, updated or deleted, and the
// request for the rows after them failed with Err. errors.Is and errors.As
// see through it to Err (an *APIError, say). When the first request fails
// nothing was done, and the error is that request's own.
type RowBatchError struct {
	// Op names the call, such as "DataSources.CreateRows".
	Op string
	// Done counts the rows the server accepted before the failure.
	Done int
	// Total is the length of the list given to the call.
	Total int
	// Err is the failed request's error.
	Err error
}

// Error is Err's text followed by how far the call got.
func (e *RowBatchError) Error() string {
	return fmt.Sprintf("%v (rows %d to %d of %d failed; the %d before them were done)",
		e.Err, e.Done+1, min(e.Done+MaxRowsPerCall, e.Total), e.Total, e.Done)
}

// Unwrap returns the failed request's error.
func (e *RowBatchError) Unwrap() error { return e.Err }

// inBatches calls send with consecutive slices of items, MaxRowsPerCall
// at most, and stops at the first failure.
func inBatches[T any](op string, items []T, send func([]T) error) error {
	for start := 0; start < len(items); start += MaxRowsPerCall {
		if err := send(items[start:min(start+MaxRowsPerCall, len(items))]); err != nil {
			if start == 0 {
				return err
			}
			return &RowBatchError{Op: op, Done: start, Total: len(items), Err: err}
		}
	}
	return nil
}

// rowsDone returns how many of n rows a bulk call that returned err
// changed: all of them, none, or what its RowBatchError says.
func rowsDone(n int, err error) int {
	var batch *RowBatchError
	switch {
	case err == nil:
		return n
	case errors.As(err, &batch):
		return batch.Done
	}
	return 0
}

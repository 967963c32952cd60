package testkit

import "testing"

// stopCheck is what a guarded check panics with to stop early.
type stopCheck struct{}

// handlerTB is the testing.TB a check gets inside a request handler. The
// testing package allows FailNow (and so require.*, Fatal, Skip) only on
// the goroutine running the test; a handler runs on another one. Here
// they mark the test failed and stop the check alone, and the server
// still answers, so that the client under test does not hang.
type handlerTB struct{ testing.TB }

func (h handlerTB) FailNow() {
	h.TB.Fail()
	panic(stopCheck{})
}

func (h handlerTB) Fatal(args ...any) {
	h.TB.Error(args...)
	panic(stopCheck{})
}

func (h handlerTB) Fatalf(format string, args ...any) {
	h.TB.Errorf(format, args...)
	panic(stopCheck{})
}

func (h handlerTB) SkipNow() {
	h.TB.Error("testkit: a request check cannot skip the test")
	panic(stopCheck{})
}

func (h handlerTB) Skip(args ...any) { h.SkipNow() }

func (h handlerTB) Skipf(format string, args ...any) { h.SkipNow() }

// guard runs check with a handlerTB, stopping it where it gave up.
func guard(t testing.TB, check func(t testing.TB)) {
	defer func() {
		if r := recover(); r != nil {
			if _, ok := r.(stopCheck); !ok {
				panic(r)
			}
		}
	}()
	check(handlerTB{t})
}

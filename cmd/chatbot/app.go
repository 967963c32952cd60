package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"

	"github.com/spf13/cobra"
	"golang.org/x/term"

	chatbot "github.com/chatbot-sdk/chatbot-go"
	"github.com/chatbot-sdk/chatbot-go/cmd/chatbot/internal/demo"
)

// Exit statuses.
const (
	exitOK    = 0
	exitError = 1 // the API or the network failed
	exitUsage = 2 // the command line was wrong, or a value on it malformed
)

// app is the command with its surroundings: what a test replaces to drive
// it in-process.
type app struct {
	stdin          io.Reader
	stdout, stderr io.Writer

	// interrupt returns a context that Ctrl-C cancels, and the function
	// that stops watching for it.
	interrupt func(ctx context.Context) (context.Context, context.CancelFunc)
	// isTerminal reports whether a standard stream is a terminal.
	isTerminal func(stream any) bool
	// clientOpts are given to every client.
	clientOpts []chatbot.Option
	// demo paces the embedded fakes.
	demo demo.Config
	// fakeStarted, when set, sees each embedded fake once it is seeded.
	fakeStarted func(*demo.Fake)
}

// newApp returns the command as a program runs it: Ctrl-C is SIGINT, and
// a stream is a terminal when it is a file that is one.
func newApp(stdin io.Reader, stdout, stderr io.Writer) *app {
	return &app{
		stdin: stdin, stdout: stdout, stderr: stderr,
		interrupt: func(ctx context.Context) (context.Context, context.CancelFunc) {
			return signal.NotifyContext(ctx, os.Interrupt)
		},
		isTerminal: func(stream any) bool {
			f, ok := stream.(*os.File)
			return ok && term.IsTerminal(int(f.Fd()))
		},
		demo: demo.Interactive,
	}
}

// usageError is a command line that cannot run: exit status 2.
type usageError struct{ err error }

func (e *usageError) Error() string { return e.err.Error() }
func (e *usageError) Unwrap() error { return e.err }

// usagef makes a usageError.
func usagef(format string, args ...any) error {
	return &usageError{fmt.Errorf(format, args...)}
}

// runError is a failure of a command that started: exit status 1, unless
// it wraps a usageError.
type runError struct{ err error }

func (e *runError) Error() string { return e.err.Error() }
func (e *runError) Unwrap() error { return e.err }

// runE marks the errors of a command's body, so that run tells them from
// cobra's own (unknown commands, bad flags), which are usage errors.
func runE(f func(cmd *cobra.Command, args []string) error) func(*cobra.Command, []string) error {
	return func(cmd *cobra.Command, args []string) error {
		if err := f(cmd, args); err != nil {
			return &runError{err}
		}
		return nil
	}
}

// run runs the command line args and returns the exit status.
func (a *app) run(ctx context.Context, args []string) int {
	root := a.rootCmd()
	root.SetArgs(args)
	cmd, err := root.ExecuteContextC(ctx)
	if err == nil {
		return exitOK
	}
	var usage *usageError
	var failed *runError
	// A ValidationError is input the SDK refused before sending: on the
	// command line, that is a malformed flag value (an ID, say).
	var invalid *chatbot.ValidationError
	switch {
	case errors.As(err, &usage) || errors.As(err, &invalid) || !errors.As(err, &failed):
		fmt.Fprintf(a.stderr, "%s: %v\nRun '%s --help' for usage.\n", cmd.CommandPath(), err, cmd.CommandPath())
		return exitUsage
	default:
		fmt.Fprintf(a.stderr, "%s: %v\n", cmd.CommandPath(), err)
		return exitError
	}
}

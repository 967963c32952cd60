package setup

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
)

// RunFunc is an example's whole program, with its inputs and outputs
// passed in so that a test can run it: the arguments after the program
// name, standard input and output, and a getenv function.
type RunFunc func(ctx context.Context, args []string, stdin io.Reader, stdout io.Writer, getenv func(string) string) error

// Main runs run with the process's arguments, standard streams and
// environment. Ctrl-C cancels run's context. A failure is printed to
// standard error after name, and the process exits with status 1.
func Main(name string, run RunFunc) {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	err := run(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Getenv)
	stop()
	if err != nil {
		fmt.Fprintf(os.Stderr, "%s: %v\n", name, err)
		os.Exit(1)
	}
}

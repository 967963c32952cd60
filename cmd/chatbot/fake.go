package main

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"regexp"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/chatbot-sdk/chatbot-go/cmd/chatbot/internal/demo"
)

// fakeOptions are the flags of chatbot fake.
type fakeOptions struct{ platform, addr string }

func (a *app) fakeCmd() *cobra.Command {
	o := &fakeOptions{}
	cmd := &cobra.Command{
		Use:   "fake",
		Short: "Serve a fake platform with demo conversations, for apps and manual tests",
		Long: `fake runs the SDK's in-memory fake server of a platform (package chatbottest),
seeded with a few demo conversations, on --addr. It prints the environment
variables that point this SDK's clients (and this command) at it, and keeps
its state until Ctrl-C stops it.`,
		Example: `  chatbot fake --platform chatthing
  chatbot fake --platform botyard --addr 127.0.0.1:7007
  chatbot fake -p aimylogic > fake.env &   # then ". ./fake.env" where the app runs`,
		Args: cobra.NoArgs,
		RunE: runE(func(cmd *cobra.Command, _ []string) error { return a.serveFake(cmd.Context(), o) }),
	}
	cmd.Flags().StringVarP(&o.platform, "platform", "p", "chatthing", "the platform: "+platformNames())
	cmd.Flags().StringVar(&o.addr, "addr", "127.0.0.1:0", "the `HOST:PORT` to listen on (port 0 picks a free one)")
	return cmd
}

// serveFake serves a demo fake on o.addr until ctx ends or Ctrl-C. The
// fake also listens on a loopback port of its own; the server on o.addr
// serves the same fake (its Handler), so that the address is the user's
// choice.
func (a *app) serveFake(ctx context.Context, o *fakeOptions) error {
	if err := checkPlatform(o.platform); err != nil {
		return err
	}
	if _, _, err := net.SplitHostPort(o.addr); err != nil {
		return usagef("--addr %q: %v", o.addr, err)
	}
	ctx, stop := a.interrupt(ctx)
	defer stop()

	ln, err := net.Listen("tcp", o.addr)
	if err != nil {
		return err
	}
	defer ln.Close()
	fake, err := demo.Start(ctx, o.platform, a.demo)
	if err != nil {
		return err
	}
	defer fake.Close()
	srv := &http.Server{Handler: fake.Server.Handler(), ReadHeaderTimeout: 10 * time.Second}

	base := "http://" + reachable(ln.Addr())
	for _, v := range fake.Env {
		if v.Value == fake.URL {
			v.Value = base
		}
		fmt.Fprintf(a.stdout, "export %s=%s\n", v.Name, shellQuote(v.Value))
	}
	fmt.Fprintf(a.stderr, "serving a fake %s server at %s with %d demo conversations; Ctrl-C stops it\n",
		fake.Title, base, len(fake.ConversationIDs))
	if a.fakeStarted != nil {
		a.fakeStarted(fake)
	}

	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()
	select {
	case <-ctx.Done():
		// Closing the fake first ends what it holds open (stalled
		// streams, long polls), so that the shutdown waits only for
		// answers being written.
		fake.Close()
		sctx, cancel := context.WithTimeout(context.Background(), shutdownGrace)
		defer cancel()
		if srv.Shutdown(sctx) != nil {
			_ = srv.Close()
		}
		<-served
		fmt.Fprintln(a.stderr, "stopped")
		return nil
	case err := <-served:
		return err
	}
}

// shutdownGrace bounds the wait for the answers in flight when fake stops.
const shutdownGrace = 5 * time.Second

// reachable is the address a client on this machine dials for addr: an
// unspecified host (":8080", "0.0.0.0:8080") is reached on loopback.
func reachable(addr net.Addr) string {
	tcp, ok := addr.(*net.TCPAddr)
	if !ok || !tcp.IP.IsUnspecified() {
		return addr.String()
	}
	ip := net.IPv4(127, 0, 0, 1)
	if tcp.IP.To4() == nil {
		ip = net.IPv6loopback
	}
	return net.JoinHostPort(ip.String(), fmt.Sprint(tcp.Port))
}

// plainValue is what a POSIX shell reads as a word without quotes.
var plainValue = regexp.MustCompile(`^[A-Za-z0-9_./:=@%+,-]+$`)

// shellQuote quotes s for a POSIX shell when it needs it.
func shellQuote(s string) string {
	if plainValue.MatchString(s) {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

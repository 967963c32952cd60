// Command chat is an interactive terminal chat with a Chat Thing bot. Each
// line you type is sent and the reply is streamed back as it is written.
// Ctrl-C cancels the reply in flight (not the program); Ctrl-D (end of
// input) ends the chat.
//
//	go run ./examples/chat
//
// With CHATTHING_CHANNEL_ID and CHATTHING_SECRET_KEY set it talks to your
// bot; without them it runs against an in-process fake server.
package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"time"

	chatbot "github.com/chatbot-sdk/chatbot-go"
	"github.com/chatbot-sdk/chatbot-go/chatbottest"
	"github.com/chatbot-sdk/chatbot-go/examples/internal/setup"
)

// main does not use setup.Main: its Ctrl-C would cancel the whole run, and
// here Ctrl-C only cancels the reply in flight (see run).
func main() {
	if err := run(context.Background(), os.Args[1:], os.Stdin, os.Stdout, os.Getenv); err != nil {
		fmt.Fprintln(os.Stderr, "chat:", err)
		os.Exit(1)
	}
}

// run takes Ctrl-C away from the default handler (which would end the
// program) and hands it to the chat loop.
func run(ctx context.Context, _ []string, stdin io.Reader, stdout io.Writer, getenv func(string) string) error {
	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs, os.Interrupt)
	interrupts := make(chan struct{})
	go func() {
		for range sigs {
			select {
			case interrupts <- struct{}{}:
			default: // nobody waiting: the loop is busy printing
			}
		}
	}()
	defer func() {
		signal.Stop(sigs)
		close(sigs) // ends the forwarding goroutine; no signal is sent after Stop
	}()
	return chat(ctx, stdin, stdout, getenv, interrupts)
}

// chat runs the conversation: one streamed reply per input line, until the
// input ends or ctx is cancelled. A value on interrupts cancels the reply
// being streamed.
func chat(ctx context.Context, stdin io.Reader, stdout io.Writer, getenv func(string) string, interrupts <-chan struct{}) error {
	client, stop, err := setup.ChatThing(getenv, stdout, chatbottest.WithChatThingStreamDelay(20*time.Millisecond))
	if err != nil {
		return err
	}
	defer stop()

	// Ctrl-C while the conversation starts (a slow network) ends the
	// program: there is no reply to cancel yet.
	startCtx, stopWatching := cancelOnInterrupt(ctx, interrupts)
	conv, err := client.Chats.Start(startCtx)
	stopWatching()
	if err != nil {
		return fmt.Errorf("starting a conversation: %w", err)
	}
	fmt.Fprintf(stdout, "bot: %s\n(Ctrl-C cancels a reply, Ctrl-D ends the chat)\n", conv.Response)

	lines := readLines(ctx, stdin)
	for {
		fmt.Fprint(stdout, "> ")
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-interrupts:
			fmt.Fprintln(stdout, "\n(no reply to cancel; Ctrl-D ends the chat)")
		case line, ok := <-lines:
			if !ok {
				fmt.Fprintln(stdout, "\nbye")
				return nil
			}
			if strings.TrimSpace(line) == "" {
				continue
			}
			if err := streamReply(ctx, client, conv.ConversationID, line, stdout, interrupts); err != nil {
				return err
			}
		}
	}
}

// streamReply sends line and prints the reply as it arrives. An interrupt
// cancels only this reply; a failed reply is reported and the chat goes on,
// unless ctx itself is done.
func streamReply(ctx context.Context, client *chatbot.Client, convID, line string, stdout io.Writer, interrupts <-chan struct{}) error {
	rctx, stopWatching := cancelOnInterrupt(ctx, interrupts)
	defer stopWatching()

	fmt.Fprint(stdout, "bot: ")
	stream, err := client.Messages.Stream(rctx, &chatbot.SendParams{ConversationID: convID, Message: line})
	if err == nil {
		for stream.Next() {
			fmt.Fprint(stdout, stream.Current().Content())
		}
		err = stream.Err()
		stream.Close()
	}
	switch {
	case ctx.Err() != nil:
		fmt.Fprintln(stdout)
		return ctx.Err()
	case errors.Is(err, context.Canceled):
		fmt.Fprintln(stdout, " [cancelled]")
	case err != nil:
		fmt.Fprintf(stdout, "\n[error: %v]\n", err)
	default:
		fmt.Fprintln(stdout)
	}
	return nil
}

// cancelOnInterrupt returns a context that the next interrupt cancels,
// and the function that stops watching for it (and must be called).
func cancelOnInterrupt(ctx context.Context, interrupts <-chan struct{}) (context.Context, func()) {
	ctx, cancel := context.WithCancel(ctx)
	stop := make(chan struct{})
	done := make(chan struct{})
	go func() {
		defer close(done)
		select {
		case <-interrupts:
			cancel()
		case <-stop:
		}
	}()
	return ctx, func() {
		close(stop)
		<-done
		cancel()
	}
}

// readLines delivers stdin's lines until it ends (the channel is then
// closed) or ctx is done.
func readLines(ctx context.Context, stdin io.Reader) <-chan string {
	lines := make(chan string)
	go func() {
		defer close(lines)
		sc := bufio.NewScanner(stdin)
		sc.Buffer(make([]byte, 0, 64<<10), 1<<20)
		for sc.Scan() {
			select {
			case lines <- sc.Text():
			case <-ctx.Done():
				return
			}
		}
	}()
	return lines
}

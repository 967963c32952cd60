// Command chat is an interactive terminal chat with a Chat Thing bot. Each
// line you type is sent and the reply is streamed back as it is written.
// Ctrl-C cancels the reply in flight (not the program); Ctrl-D (end of
// input) ends the chat.
//
//	go run ./examples/chat
//
// With CHATTHING_CHANNEL_ID and CHATTHING_SECRET_KEY set it talks to your
// bot; without them it runs against an in-process fake server and says so
// on standard error.
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
)

func main() {
	if err := run(context.Background(), os.Stdin, os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "chat:", err)
		os.Exit(1)
	}
}

// run connects, takes Ctrl-C away from the default handler (which would
// end the program) and hands it to the chat loop.
func run(ctx context.Context, stdin io.Reader, stdout, stderr io.Writer) error {
	// Your bot when the environment names it, else a fake server.
	client, err := chatbot.NewClientFromEnv()
	if errors.Is(err, chatbot.ErrNoCredentials) {
		// The delay makes the fake stream its reply word by word, as a real bot does.
		fake := chatbottest.NewChatThing(chatbottest.WithChatThingStreamDelay(20 * time.Millisecond))
		defer fake.Close()
		fmt.Fprintf(stderr, "%v: using an in-process fake Chat Thing server (chatbottest)\n", err)
		client, err = chatbot.NewClient(fake.ChannelID, fake.SecretKey, chatbot.WithBaseURL(fake.URL))
	}
	if err != nil {
		return err
	}
	defer client.Close()

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
	return chat(ctx, client, stdin, stdout, interrupts)
}

// chat runs the conversation: one streamed reply per input line, until the
// input ends or ctx is cancelled. A value on interrupts cancels the reply
// being streamed.
func chat(ctx context.Context, client *chatbot.Client, stdin io.Reader, stdout io.Writer, interrupts <-chan struct{}) error {
	// Ctrl-C while the conversation starts (a slow network) ends the
	// program: there is no reply to cancel yet.
	startCtx, stopWatching := cancelOnInterrupt(ctx, interrupts)
	started, err := client.Chats.Start(startCtx)
	stopWatching()
	if err != nil {
		return fmt.Errorf("starting a conversation: %w", err)
	}
	fmt.Fprintf(stdout, "bot: %s\n(Ctrl-C cancels a reply, Ctrl-D ends the chat)\n", started.Response)
	conv := client.Conversation(started.ConversationID)

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
			if err := streamReply(ctx, conv, line, stdout, interrupts); err != nil {
				return err
			}
		}
	}
}

// streamReply sends line and prints the reply as it arrives. An interrupt
// cancels only this reply; a failed reply is reported and the chat goes on,
// unless ctx itself is done.
func streamReply(ctx context.Context, conv *chatbot.ConversationHandle, line string, stdout io.Writer, interrupts <-chan struct{}) error {
	rctx, stopWatching := cancelOnInterrupt(ctx, interrupts)
	defer stopWatching()

	fmt.Fprint(stdout, "bot: ")
	stream, err := conv.Stream(rctx, line)
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

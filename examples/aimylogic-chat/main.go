// Command aimylogic-chat talks to a bot through the Aimylogic (Just AI)
// Chat API: it sends a message and waits for the answer, sends another
// asynchronously and receives the answer on its webhook, follows the
// chat's events, and prints the client's history.
//
// With AIMYLOGIC_TOKEN set it talks to your Chat API channel
// (AIMYLOGIC_BASE_URL picks another host, such as https://bot.jaicp.com).
// The asynchronous part needs the channel's webhook to reach this program:
// set AIMYLOGIC_WEBHOOK_ADDR (for example :8080) and point the channel's
// webhook URL at that address. Without AIMYLOGIC_TOKEN it starts an
// in-process fake Chat API server and webhook receiver, and says so:
//
//	go run ./examples/aimylogic-chat
//	AIMYLOGIC_TOKEN=… AIMYLOGIC_WEBHOOK_ADDR=:8080 go run ./examples/aimylogic-chat
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"os/signal"
	"strings"
	"time"

	chatbot "github.com/chatbot-sdk/chatbot-go"
	"github.com/chatbot-sdk/chatbot-go/aimylogic"
	"github.com/chatbot-sdk/chatbot-go/chatbottest"
)

// clientID names the end user this program chats as.
const clientID = "go-example"

// waitFor bounds the wait for the webhook's answer and for the events.
const waitFor = 20 * time.Second

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	err := run(ctx, os.Stdout, os.Stderr)
	stop()
	if err != nil {
		fmt.Fprintf(os.Stderr, "aimylogic-chat: %v\n", err)
		os.Exit(1)
	}
}

// run connects, chats, and writes the conversation to out; a note about
// the fake server goes to notes.
func run(ctx context.Context, out, notes io.Writer) error {
	// Other results (a live agent's reply, say) arrive on the webhook too.
	others := func(_ context.Context, r *aimylogic.WebhookResult) error {
		fmt.Fprintf(out, "webhook: result %s for %s: %s\n", r.QuestionID, r.ClientID, r.Data.Answer)
		return nil
	}
	client, hook, done, err := connect(notes, &aimylogic.WebhookOptions{OnResult: others})
	if err != nil {
		return err
	}
	defer done()

	sent, err := client.Messages.Send(ctx, &aimylogic.SendParams{ClientID: clientID, Query: "hello"})
	if err != nil {
		return fmt.Errorf("send: %w", err)
	}
	fmt.Fprintln(out, "> hello")
	printReplies(out, sent)

	answers := 1 // the bot answers this program expects to see as events
	if hook != nil {
		answers++
		wait, cancel := context.WithTimeout(ctx, waitFor)
		res, err := client.Messages.SendAndWait(wait, hook, &aimylogic.SendParams{ClientID: clientID, Query: "image"})
		cancel()
		if err != nil {
			return fmt.Errorf("asynchronous send: %w", err)
		}
		fmt.Fprintln(out, "> image (asynchronous; the answer came to the webhook)")
		printReplies(out, &res.Response)
	}

	if err := followEvents(ctx, out, client, eventsSince(sent.Timestamp), answers); err != nil {
		return err
	}

	fmt.Fprintf(out, "History of %s:\n", clientID)
	for m, err := range client.History.ListAll(ctx, &aimylogic.HistoryParams{ClientID: clientID}) {
		if err != nil {
			return fmt.Errorf("history: %w", err)
		}
		text := m.TextMessage
		if len(m.Replies) > 0 {
			text = describe(m.Replies[0])
		}
		fmt.Fprintf(out, "  %-8s %s\n", m.Author, text)
	}
	return nil
}

// connect returns a client and a webhook handler for the channel that
// AIMYLOGIC_TOKEN names, or for an in-process fake server when it is
// unset. hook is nil when the webhook cannot reach this program. done
// closes everything connect started.
func connect(notes io.Writer, o *aimylogic.WebhookOptions) (client *aimylogic.Client, hook *aimylogic.WebhookHandler, done func(), err error) {
	client, err = aimylogic.NewClientFromEnv()
	if errors.Is(err, chatbot.ErrNoCredentials) {
		return connectFake(notes, o)
	}
	if err != nil {
		return nil, nil, nil, err
	}
	addr := os.Getenv("AIMYLOGIC_WEBHOOK_ADDR")
	if addr == "" {
		fmt.Fprintln(notes, "AIMYLOGIC_WEBHOOK_ADDR is not set: skipping the asynchronous send")
		return client, nil, func() { _ = client.Close() }, nil
	}
	if hook, err = aimylogic.NewWebhookHandler(os.Getenv(aimylogic.EnvToken), o); err != nil {
		return nil, nil, nil, err
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, nil, nil, fmt.Errorf("webhook receiver: %w", err)
	}
	srv := &http.Server{Handler: hook, ReadHeaderTimeout: 10 * time.Second}
	go func() { _ = srv.Serve(ln) }()
	return client, hook, func() { _ = srv.Close(); _ = client.Close() }, nil
}

// connectFake starts the fake Chat API server and a webhook receiver it
// delivers to, and says so in one line on notes.
func connectFake(notes io.Writer, o *aimylogic.WebhookOptions) (*aimylogic.Client, *aimylogic.WebhookHandler, func(), error) {
	fake := chatbottest.NewAimylogic()
	hook, err := aimylogic.NewWebhookHandler(fake.Token, o)
	if err != nil {
		fake.Close()
		return nil, nil, nil, err
	}
	receiver := httptest.NewServer(hook)
	fake.SetWebhook(receiver.URL)
	client, err := aimylogic.NewClient(fake.Token, chatbot.WithBaseURL(fake.URL))
	if err != nil {
		receiver.Close()
		fake.Close()
		return nil, nil, nil, err
	}
	fmt.Fprintf(notes, "%s is not set: using an in-process fake Chat API server (chatbottest) at %s and a webhook receiver at %s\n",
		aimylogic.EnvToken, fake.URL, receiver.URL)
	return client, hook, func() { _ = client.Close(); fake.Close(); receiver.Close() }, nil
}

// eventsSince returns the events parameters that start at the moment of
// the first answer. A response may come without a readable timestamp (its
// zero Time is not a moment to start from); TS then stays empty, and the
// server starts from the client's previous request.
func eventsSince(answered aimylogic.Time) *aimylogic.EventsParams {
	p := &aimylogic.EventsParams{ClientID: clientID, All: true}
	if answered.Valid() {
		p.TS = aimylogic.FormatTS(answered.Time)
	}
	return p
}

// followEvents prints the chat's events that p selects: the bot's answers
// to this program's requests, and whatever else happens in the chat.
// Follow polls for ever, so it stops after want events, or after waitFor.
func followEvents(ctx context.Context, out io.Writer, client *aimylogic.Client, p *aimylogic.EventsParams, want int) error {
	fmt.Fprintln(out, "Events:")
	ctx, cancel := context.WithTimeout(ctx, waitFor)
	defer cancel()
	seen := 0
	for e, err := range client.Events.Follow(ctx, p) {
		if errors.Is(err, context.DeadlineExceeded) {
			fmt.Fprintf(out, "  (no more events within %s)\n", waitFor)
			return nil
		}
		if err != nil {
			return fmt.Errorf("events: %w", err)
		}
		if e.Gap != nil {
			fmt.Fprintln(out, "  (a full poll: some events may be missing; the history has them)")
		}
		text := ""
		if e.Response != nil && len(e.Response.Data.Replies) > 0 {
			text = describe(e.Response.Data.Replies[0])
		}
		fmt.Fprintf(out, "  %s %s\n", e.Type, text)
		if seen++; seen == want {
			return nil
		}
	}
	return nil
}

// printReplies writes the bot's replies of r, one a line.
func printReplies(out io.Writer, r *aimylogic.Response) {
	for _, reply := range r.Data.Replies {
		fmt.Fprintf(out, "< %s\n", describe(reply))
	}
}

// describe is one line for a reply.
func describe(r aimylogic.Reply) string {
	switch r := r.(type) {
	case *aimylogic.TextReply:
		return r.Text
	case *aimylogic.ButtonsReply:
		labels := make([]string, len(r.Buttons))
		for i, b := range r.Buttons {
			labels[i] = b.Text
		}
		return "[" + strings.Join(labels, "] [") + "]"
	case *aimylogic.ImageReply:
		return fmt.Sprintf("image %s %q", r.ImageURL, r.Text)
	case *aimylogic.FileReply:
		return fmt.Sprintf("file %s (%s)", r.FileURL, r.FileName)
	}
	return fmt.Sprintf("(a %s reply)", r.ReplyType())
}

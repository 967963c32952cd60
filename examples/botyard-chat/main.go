// Command botyard-chat logs in to a Botyard server, picks a bot, sends it
// a few messages and prints its replies, then the whole chat.
//
// It talks to the server at BOTYARD_URL (for example
// http://localhost:7007). Without it, it starts an in-process fake Botyard
// server and says so, so it runs anywhere with no setup:
//
//	go run ./examples/botyard-chat
//	BOTYARD_URL=http://localhost:7007 go run ./examples/botyard-chat
//
// BOTYARD_BOT picks a bot by name (default: the first one). Every run
// creates a new user: Botyard has no real login.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/chatbot-sdk/chatbot-go/botyard"
	"github.com/chatbot-sdk/chatbot-go/chatbottest"
	"github.com/chatbot-sdk/chatbot-go/examples/internal/setup"
)

// replyTimeout bounds the wait for a bot's answer to one message.
const replyTimeout = 20 * time.Second

func main() { setup.Main("botyard-chat", program) }

// program picks the server from the environment and runs the chat.
func program(ctx context.Context, _ []string, _ io.Reader, stdout io.Writer, getenv func(string) string) error {
	baseURL, closeFake := server(getenv, stdout)
	defer closeFake()
	return run(ctx, stdout, baseURL, getenv("BOTYARD_BOT"), []string{"Hello!", "What can you do?"})
}

// server returns the base URL of the Botyard server to use: BOTYARD_URL
// when set, else an in-process fake, which it says in one line on w. The
// returned function closes the fake (a no-op for a real server).
func server(getenv func(string) string, w io.Writer) (string, func()) {
	if u := getenv("BOTYARD_URL"); u != "" {
		return u, func() {}
	}
	fake := chatbottest.NewBotyard()
	fmt.Fprintf(w, "BOTYARD_URL is not set: using an in-process fake Botyard server (chatbottest) at %s\n", fake.URL)
	return fake.URL, fake.Close
}

// run is the whole conversation, written to out.
func run(ctx context.Context, out io.Writer, baseURL, botName string, messages []string) error {
	client, err := botyard.NewClient(baseURL)
	if err != nil {
		return err
	}
	info, err := client.ServiceInfo(ctx)
	if err != nil {
		return fmt.Errorf("service info: %w", err)
	}
	fmt.Fprintf(out, "Server: %s — %s\n", info.Name, info.Description)

	bot, err := pickBot(ctx, client, botName)
	if err != nil {
		return err
	}
	me, err := client.Users.Create(ctx, "go-example")
	if err != nil {
		return fmt.Errorf("log in: %w", err)
	}
	fmt.Fprintf(out, "Logged in as new user %s (%s); chatting with %s\n", me.Nickname, me.ID, bot.Name)

	if cmds, err := client.Bots.Commands(ctx, bot.ID); err == nil && len(cmds) > 0 {
		for _, c := range cmds {
			fmt.Fprintf(out, "  /%s  %s\n", c.Alias, c.Description)
		}
	}

	chat, err := client.Chats.Create(ctx, bot.ID)
	if err != nil {
		return fmt.Errorf("open chat: %w", err)
	}
	for _, text := range messages {
		if err := exchange(ctx, out, client, chat, text); err != nil {
			return err
		}
	}

	fmt.Fprintln(out, "Whole chat, oldest first:")
	for m, err := range client.Messages.ListAll(ctx, chat.ID, nil) {
		if err != nil {
			return fmt.Errorf("history: %w", err)
		}
		who := "bot"
		if m.SenderID == me.ID {
			who = "me "
		}
		fmt.Fprintf(out, "  %s %s\n", who, m.Body)
	}
	return nil
}

// pickBot returns the bot called name, or the first bot when name is "".
func pickBot(ctx context.Context, client *botyard.Client, name string) (*botyard.Bot, error) {
	bots, err := client.Bots.List(ctx)
	if err != nil {
		return nil, fmt.Errorf("list bots: %w", err)
	}
	for i := range bots {
		if name == "" || bots[i].Name == name {
			return &bots[i], nil
		}
	}
	if name != "" {
		return nil, fmt.Errorf("no bot called %q on this server", name)
	}
	return nil, errors.New("the server has no bots")
}

// exchange sends one message and prints the bot's replies, or says that
// none came in time.
func exchange(ctx context.Context, out io.Writer, client *botyard.Client, chat *botyard.Chat, text string) error {
	sent, err := client.Messages.Send(ctx, &botyard.SendParams{ChatID: chat.ID, Body: text})
	if err != nil {
		return fmt.Errorf("send: %w", err)
	}
	fmt.Fprintf(out, "> %s\n", text)
	wait, cancel := context.WithTimeout(ctx, replyTimeout)
	defer cancel()
	replies, err := client.Messages.WaitForReplies(wait, chat.ID, &botyard.WaitForRepliesParams{BotID: chat.BotID, After: sent.Timestamp})
	switch {
	case errors.Is(err, context.DeadlineExceeded) && ctx.Err() == nil:
		fmt.Fprintf(out, "(no reply within %s)\n", replyTimeout)
		return nil
	case err != nil:
		return fmt.Errorf("wait for reply: %w", err)
	}
	for _, r := range replies {
		fmt.Fprintf(out, "< %s\n", r.Body)
	}
	return nil
}

// Command botyard-chat is an interactive terminal chat with a bot of a
// Botyard server: each line you type is sent, the bot's replies are
// printed as they arrive, and Ctrl-D (end of input) ends the chat.
//
//	go run ./examples/botyard-chat -session ~/.botyard-session
//
// It talks to the server at BOTYARD_BASE_URL (for example
// http://localhost:7007); without it, to an in-process fake server, which
// it says on standard error.
//
// Botyard has no real login: every log-in creates a new user. With
// -session FILE the client keeps its session token in FILE (botyard's
// FileSessionStore saves every new token as it arrives), so the next run
// is the same user and goes on with the same chat. (The in-process fake
// starts afresh on a new port every run, so there each run is a new user;
// the file keeps each server's session apart, so such a run leaves the
// session of a real server alone.)
// -chat ID resumes one chat by its ID, -bot NAME picks the bot of a new
// chat (default: the server's first bot).
package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"time"

	chatbot "github.com/chatbot-sdk/chatbot-go"
	"github.com/chatbot-sdk/chatbot-go/botyard"
	"github.com/chatbot-sdk/chatbot-go/chatbottest"
)

// defaultReplyTimeout bounds the wait for a bot's answer to one message,
// unless -timeout says otherwise.
const defaultReplyTimeout = 20 * time.Second

// nickname is the name of the users this command creates.
const nickname = "go-example"

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	err := run(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr)
	stop()
	if err != nil {
		fmt.Fprintln(os.Stderr, "botyard-chat:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	flags := flag.NewFlagSet("botyard-chat", flag.ContinueOnError)
	flags.SetOutput(stderr)
	sessionFile := flags.String("session", "", "keep the session in `FILE`, to be the same user in the next run")
	chatID := flags.String("chat", "", "resume the chat with this `ID`")
	botName := flags.String("bot", "", "the `NAME` of the bot to chat with (default: the first one)")
	replyTimeout := flags.Duration("timeout", defaultReplyTimeout, "how long to wait for the bot's answer to one message")
	if err := flags.Parse(args); err != nil {
		return err
	}
	if *replyTimeout <= 0 {
		return errors.New("-timeout must be positive")
	}
	var opts []chatbot.Option
	if *sessionFile != "" {
		opts = append(opts, botyard.WithSessionStore(botyard.FileSessionStore(*sessionFile)))
	}

	// Your server when the environment names it, else a fake one.
	client, err := botyard.NewClientFromEnv(opts...)
	if errors.Is(err, chatbot.ErrNoCredentials) {
		fake := chatbottest.NewBotyard()
		defer fake.Close()
		fmt.Fprintf(stderr, "%v: using an in-process fake Botyard server (chatbottest)\n", err)
		client, err = botyard.NewClient(fake.URL, opts...)
	}
	if err != nil {
		return err
	}
	defer client.Close()

	resumed, err := logIn(ctx, client, stdout)
	if err != nil {
		return err
	}
	chat, bot, err := openChat(ctx, client, *chatID, *botName, resumed)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "Chatting with %s (Ctrl-D ends the chat)\n", bot.Name)
	shown, err := showRecent(ctx, client, chat, bot, stdout)
	if err != nil {
		return err
	}
	if err := converse(ctx, client, chat, bot, shown, *replyTimeout, stdin, stdout); err != nil {
		return err
	}
	if *sessionFile != "" {
		fmt.Fprintf(stdout, "bye; resume with: botyard-chat -session %s -chat %s\n", *sessionFile, chat.ID)
	} else {
		fmt.Fprintln(stdout, "bye; with -session FILE the next run would be the same user")
	}
	return nil
}

// logIn makes the client a user: the one of the restored session when it
// is still good (resumed is then true), else a new one.
func logIn(ctx context.Context, client *botyard.Client, stdout io.Writer) (resumed bool, err error) {
	if client.Session() != "" {
		me, err := client.Users.Current(ctx)
		switch {
		case err == nil:
			fmt.Fprintf(stdout, "Welcome back, %s (%s)\n", me.Nickname, me.ID)
			return true, nil
		case errors.Is(err, botyard.ErrSessionExpired), errors.Is(err, chatbot.ErrNotFound):
			fmt.Fprintln(stdout, "The saved session is no longer valid; logging in as a new user")
		default:
			return false, fmt.Errorf("checking the saved session: %w", err)
		}
	}
	me, err := client.Users.Create(ctx, nickname)
	if err != nil {
		return false, fmt.Errorf("log in: %w", err)
	}
	fmt.Fprintf(stdout, "Logged in as new user %s (%s)\n", me.Nickname, me.ID)
	return false, nil
}

// openChat returns the chat to talk in and its bot: the chat chatID names;
// else, for a returning user, their latest chat with the bot; else a new
// chat with the bot called botName (the first bot when it is "").
func openChat(ctx context.Context, client *botyard.Client, chatID, botName string, resumed bool) (*botyard.Chat, *botyard.Bot, error) {
	if chatID != "" {
		// Chats.Get finds the chat among the user's chats, with its bot.
		chat, err := client.Chats.Get(ctx, chatID)
		if err != nil {
			return nil, nil, fmt.Errorf("chat %s: %w", chatID, err)
		}
		bot, err := client.Bots.Get(ctx, chat.BotID)
		if err != nil {
			return nil, nil, fmt.Errorf("the chat's bot: %w", err)
		}
		return chat, bot, nil
	}
	bot, err := pickBot(ctx, client, botName)
	if err != nil {
		return nil, nil, err
	}
	if resumed {
		chats, err := client.Chats.List(ctx, bot.ID)
		if err != nil {
			return nil, nil, fmt.Errorf("list chats: %w", err)
		}
		if len(chats) > 0 {
			return &chats[len(chats)-1], bot, nil
		}
	}
	chat, err := client.Chats.Create(ctx, bot.ID)
	if err != nil {
		return nil, nil, fmt.Errorf("open chat: %w", err)
	}
	return chat, bot, nil
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

// recentMessages is how much of a resumed chat is shown.
const recentMessages = 6

// showRecent prints the chat's latest messages, for a chat that goes on,
// and returns the timestamp of the newest (0 for an empty chat).
func showRecent(ctx context.Context, client *botyard.Client, chat *botyard.Chat, bot *botyard.Bot, stdout io.Writer) (int64, error) {
	page, err := client.Messages.List(ctx, chat.ID, &botyard.ListParams{Limit: recentMessages})
	if err != nil {
		return 0, fmt.Errorf("history: %w", err)
	}
	if page.Total > len(page.Messages) {
		fmt.Fprintf(stdout, "(%d earlier messages)\n", page.Total-len(page.Messages))
	}
	var newest int64
	for _, m := range page.Messages {
		who := "you"
		if m.SenderID == bot.ID {
			who = bot.Name
		}
		fmt.Fprintf(stdout, "%s: %s\n", who, m.Body)
		newest = max(newest, m.Timestamp)
	}
	return newest, nil
}

// converse sends each line of stdin and prints the bot's replies as they
// come, until stdin ends. shown is the timestamp of the newest message on
// screen. A reply the bot posted late, after the wait for it ended, is
// printed as late before the next message's wait, which looks only for
// replies to that message: counting the late one as its reply would show
// every later answer one message behind.
func converse(ctx context.Context, client *botyard.Client, chat *botyard.Chat, bot *botyard.Bot, shown int64, replyTimeout time.Duration, stdin io.Reader, stdout io.Writer) error {
	lines := bufio.NewScanner(stdin)
	for {
		fmt.Fprint(stdout, "> ")
		if !lines.Scan() {
			fmt.Fprintln(stdout)
			return lines.Err()
		}
		text := strings.TrimSpace(lines.Text())
		if text == "" {
			continue
		}
		sent, err := client.Messages.Send(ctx, &botyard.SendParams{ChatID: chat.ID, Body: text})
		if err != nil {
			return fmt.Errorf("send: %w", err)
		}
		if err := showLate(ctx, client, chat, bot, shown, sent.Timestamp, stdout); err != nil {
			return err
		}
		wait, cancel := context.WithTimeout(ctx, replyTimeout)
		replies, err := client.Messages.WaitForReplies(wait, chat.ID, &botyard.WaitForRepliesParams{BotID: bot.ID, After: sent.Timestamp})
		cancel()
		for _, r := range replies {
			fmt.Fprintf(stdout, "%s: %s\n", bot.Name, r.Body)
			shown = max(shown, r.Timestamp)
		}
		shown = max(shown, sent.Timestamp)
		switch {
		case errors.Is(err, context.DeadlineExceeded) && ctx.Err() == nil:
			fmt.Fprintf(stdout, "(no reply within %s)\n", replyTimeout)
		case err != nil:
			return fmt.Errorf("wait for reply: %w", err)
		}
	}
}

// lateReplies is the most late replies showLate prints: the newest ones.
const lateReplies = 20

// showLate prints the bot's messages posted after shown (the newest on
// screen) and before the message just sent at sentAt: answers to earlier
// messages that came after their wait ended.
func showLate(ctx context.Context, client *botyard.Client, chat *botyard.Chat, bot *botyard.Bot, shown, sentAt int64, stdout io.Writer) error {
	if shown <= 0 || shown+1 >= sentAt {
		return nil // nothing on screen yet, or no room for a late reply
	}
	page, err := client.Messages.List(ctx, chat.ID, &botyard.ListParams{SenderID: bot.ID, Since: shown, Limit: lateReplies})
	if err != nil {
		return fmt.Errorf("late replies: %w", err)
	}
	for _, m := range page.Messages {
		if m.Timestamp < sentAt {
			fmt.Fprintf(stdout, "(late) %s: %s\n", bot.Name, m.Body)
		}
	}
	return nil
}

package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/spf13/cobra"

	chatbot "github.com/chatbot-sdk/chatbot-go"
	"github.com/chatbot-sdk/chatbot-go/botyard"
	"github.com/chatbot-sdk/chatbot-go/chat"
)

// maxLine is the longest input line chat accepts.
const maxLine = 1 << 20

// chatOptions are the flags of chatbot chat.
type chatOptions struct {
	platform     string
	conversation string
	session      string
	timeout      time.Duration
}

func (a *app) chatCmd() *cobra.Command {
	o := &chatOptions{}
	cmd := &cobra.Command{
		Use:   "chat [MESSAGE...]",
		Short: "Chat with a bot: send lines, print the replies",
		Long: `chat opens a conversation (or resumes one with --conversation) and sends each
MESSAGE argument, or else each line of standard input, printing the bot's reply
on standard output, streamed as it is written where the platform streams
(Chat Thing) and waited for elsewhere (Botyard, Aimylogic). botuj.pl is
read-only: export its conversations instead.

At a terminal, Ctrl-C cancels the reply in flight and Ctrl-D ends the chat;
in a pipe or with MESSAGE arguments, Ctrl-C ends the chat with exit status 1.
The conversation's ID goes to standard error, to resume it later. On Botyard a
conversation belongs to a user, and without a saved session every run is a new
user: give the same --session FILE to both runs (the file keeps the session
token, a secret, with mode 0600).`,
		Example: `  printf 'hello\n' | chatbot chat --platform chatthing
  chatbot chat --platform botyard "What can you do?"
  chatbot chat -p aimylogic -c user-42 hello   # Aimylogic: the conversation is a client ID
  chatbot chat --conversation 3c9e…   # go on where you left off
  chatbot chat -p botyard --session ~/.botyard-session --conversation 01j…`,
		RunE: runE(func(cmd *cobra.Command, args []string) error {
			return onPlatform(o.platform, a.chat(cmd.Context(), o, args))
		}),
	}
	cmd.Flags().StringVarP(&o.platform, "platform", "p", "chatthing", "the platform: "+strings.Join(chatPlatforms, "|"))
	cmd.Flags().StringVarP(&o.conversation, "conversation", "c", "", "resume the conversation with this `ID` instead of starting one")
	cmd.Flags().StringVar(&o.session, "session", "", "Botyard: keep the session in `FILE`, to be the same user (and resume its conversations) in a later run")
	cmd.Flags().DurationVar(&o.timeout, "timeout", 2*time.Minute, "how long to wait for one reply")
	return cmd
}

// chat runs a conversation. With messages it sends them and stops at the
// first failure; otherwise it reads lines, and at a terminal reports a
// failed reply and goes on.
func (a *app) chat(ctx context.Context, o *chatOptions, messages []string) error {
	if o.timeout <= 0 {
		return usagef("--timeout must be positive")
	}
	if err := checkChatPlatform(o.platform); err != nil {
		return err
	}
	var accountOpts []chatbot.Option
	if o.session != "" {
		if o.platform != chat.NameBotyard {
			return usagef("--session is for Botyard: %s needs no session", o.platform)
		}
		accountOpts = append(accountOpts, botyard.WithSessionStore(botyard.FileSessionStore(o.session)))
	}
	conn, err := a.connect(ctx, o.platform, accountOpts...)
	if err != nil {
		return err
	}
	defer conn.Close()
	p := conn.platform
	opener, ok := p.(chat.Opener)
	_, sends := p.(chat.Sender)
	_, streams := p.(chat.Streamer)
	if !ok || !(sends || streams) {
		return usagef("%s conversations cannot be chatted in: the platform is read-only here", p.Name())
	}

	conv, err := a.openConversation(ctx, opener, o.conversation)
	if err != nil {
		return err
	}
	fmt.Fprintf(a.stderr, "conversation %s\n", conv.ID)
	if o.platform == chat.NameBotyard && o.session == "" && conn.fake == nil {
		fmt.Fprintln(a.stderr, "(to resume it later, run with --session FILE both times: Botyard makes a new user on every run without one)")
	}
	if conv.Greeting != nil {
		fmt.Fprintln(a.stdout, conv.Greeting.Text)
	}

	if len(messages) > 0 {
		for _, m := range messages {
			if err := a.reply(ctx, p, conv.ID, m, o.timeout, false); err != nil {
				return err
			}
		}
		return nil
	}

	interactive := a.isTerminal(a.stdin)
	if interactive {
		fmt.Fprintln(a.stderr, "(Ctrl-C cancels a reply, Ctrl-D ends the chat)")
	}
	lines := bufio.NewScanner(a.stdin)
	lines.Buffer(make([]byte, 0, 64<<10), maxLine)
	for {
		if interactive {
			fmt.Fprint(a.stderr, "> ")
		}
		if !lines.Scan() {
			if interactive {
				fmt.Fprintln(a.stderr)
			}
			return lines.Err()
		}
		line := strings.TrimSpace(lines.Text())
		if line == "" {
			continue
		}
		err := a.reply(ctx, p, conv.ID, line, o.timeout, interactive)
		switch {
		case err == nil:
		case ctx.Err() != nil:
			return ctx.Err()
		case interactive:
			fmt.Fprintf(a.stderr, "error: %v\n", err)
		default:
			return err
		}
	}
}

// openConversation resumes the conversation id, or starts one.
func (a *app) openConversation(ctx context.Context, o chat.Opener, id string) (*chat.Conversation, error) {
	if id != "" {
		return o.Resume(ctx, id)
	}
	return o.Start(ctx)
}

// reply sends text and prints the reply as it arrives. At a terminal
// (interactive) Ctrl-C cancels only this reply, which is reported on
// stderr and is not an error; elsewhere (a pipe, messages as arguments)
// nobody is there to go on, so Ctrl-C ends the chat with an error, and a
// script sees a non-zero exit status. The timeout passing is an error.
func (a *app) reply(ctx context.Context, p chat.Platform, id, text string, timeout time.Duration, interactive bool) error {
	rctx, stop := a.interrupt(ctx)
	defer stop()
	rctx, cancel := context.WithTimeout(rctx, timeout)
	defer cancel()

	printed := false
	_, err := chat.Send(rctx, p, id, text, func(delta string) {
		printed = true
		fmt.Fprint(a.stdout, delta)
	})
	if printed {
		fmt.Fprintln(a.stdout)
	}
	switch {
	case err == nil || ctx.Err() != nil:
		return err
	case errors.Is(err, context.Canceled) && !interactive:
		return fmt.Errorf("interrupted: %w", err)
	case errors.Is(err, context.Canceled):
		fmt.Fprintln(a.stderr, "(reply cancelled)")
		return nil
	case errors.Is(err, context.DeadlineExceeded) && rctx.Err() != nil:
		return fmt.Errorf("no reply within %s (--timeout): %w", timeout, err)
	}
	return err
}

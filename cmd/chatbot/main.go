// Command chatbot talks to chat-bot platforms (Chat Thing, Botyard,
// Aimylogic and botuj.pl) from a terminal: chat with a bot, export every
// conversation, mirror a folder into a Chat Thing knowledge base, or serve
// a fake platform for manual testing.
//
//	go install github.com/chatbot-sdk/chatbot-go/cmd/chatbot@latest
//	chatbot --help
//
// Credentials come from the environment variables the SDK's
// NewClientFromEnv functions read. With none set for a platform, the
// command runs against an embedded fake server seeded with a few demo
// conversations, and says so on standard error.
//
// Exit status: 0 when done, 1 for an API or network error, 2 for a usage
// error.
package main

import (
	"context"
	"os"
)

func main() {
	os.Exit(newApp(os.Stdin, os.Stdout, os.Stderr).run(context.Background(), os.Args[1:]))
}

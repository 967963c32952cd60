package main

import (
	"github.com/spf13/cobra"

	chatbot "github.com/chatbot-sdk/chatbot-go"
)

// rootCmd builds the whole command tree, writing to the app's streams.
func (a *app) rootCmd() *cobra.Command {
	root := &cobra.Command{
		Use:   "chatbot",
		Short: "Chat with bots, export conversations and sync knowledge bases on chat-bot platforms",
		Long: `chatbot talks to chat-bot platforms: Chat Thing (chatthing), Botyard (botyard),
Aimylogic (aimylogic) and botuj.pl (botuj, read-only: export only).

Credentials come from the environment, as the SDK's NewClientFromEnv reads them:
  chatthing  CHATTHING_CHANNEL_ID, CHATTHING_SECRET_KEY (CHATTHING_BASE_URL optional)
  botyard    BOTYARD_BASE_URL (BOTYARD_SESSION optional: a saved session)
  aimylogic  AIMYLOGIC_TOKEN (AIMYLOGIC_BASE_URL optional: JAICP's host, say)
  botuj      BOTUJ_API_KEY (BOTUJ_BASE_URL optional)
With none of a platform's variables set, a command runs against an embedded fake
server seeded with a few demo conversations, and says so on standard error.

Exit status: 0 when done, 1 for an API or network error, 2 for a usage error.`,
		Version:       chatbot.Version,
		SilenceErrors: true,
		SilenceUsage:  true,
	}
	root.SetIn(a.stdin)
	root.SetOut(a.stdout)
	root.SetErr(a.stderr)
	root.AddCommand(a.chatCmd(), a.exportCmd(), a.kbCmd(), a.fakeCmd())
	return root
}

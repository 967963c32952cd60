package main

import (
	"context"
	"fmt"
	"os"
	"time"

	"github.com/spf13/cobra"

	chatbot "github.com/chatbot-sdk/chatbot-go"
	"github.com/chatbot-sdk/chatbot-go/chat"
)

// envDataSource names the data source kb sync writes to by default.
const envDataSource = "CHATTHING_DATA_SOURCE_ID"

// kbOptions are the flags of chatbot kb sync.
type kbOptions struct {
	source  string
	poll    time.Duration
	timeout time.Duration
}

func (a *app) kbCmd() *cobra.Command {
	kb := &cobra.Command{
		Use:   "kb",
		Short: "Manage a Chat Thing bot's knowledge base",
		// cobra shows the help of a group command for any argument; a
		// mistyped subcommand is a usage error instead.
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(args) > 0 {
				return usagef("unknown command %q for %q", args[0], cmd.CommandPath())
			}
			return cmd.Help()
		},
	}
	o := &kbOptions{}
	sync := &cobra.Command{
		Use:   "sync DIR",
		Short: "Make a Chat Thing data source mirror a folder of Markdown files, then train the bot on it",
		Long: `sync makes a manual data source hold exactly the .md files under DIR (found
recursively, hidden ones left out), one row per file: it creates, updates and
deletes rows, starts a sync and waits until the source is synced (the SDK's
DataSources.Mirror). A row is named by the file's path relative to DIR and a
fingerprint of its content ("faq.md [3f2a9c0b1d4e5f60]"), so that unchanged
files cost no request; a row named by the path alone is renamed once. A second
run over an unchanged folder changes nothing.

The data source is --source (default $` + envDataSource + `); without one, the
channel's only data source, or a new one when it has none.`,
		Example: `  chatbot kb sync ./docs
  chatbot kb sync --source 7f1c… ./docs`,
		Args: func(cmd *cobra.Command, args []string) error {
			if len(args) != 1 {
				return usagef("kb sync takes one folder, got %d arguments", len(args))
			}
			return nil
		},
		RunE: runE(func(cmd *cobra.Command, args []string) error {
			return onPlatform(chat.NameChatThing, a.kbSync(cmd.Context(), o, args[0]))
		}),
	}
	sync.Flags().StringVar(&o.source, "source", os.Getenv(envDataSource), "the data source's `ID`")
	sync.Flags().DurationVar(&o.poll, "poll", 500*time.Millisecond, "how often to check the sync's progress")
	sync.Flags().DurationVar(&o.timeout, "timeout", 10*time.Minute, "how long the rows and the sync may take")
	kb.AddCommand(sync)
	return kb
}

func (a *app) kbSync(ctx context.Context, o *kbOptions, dir string) error {
	if o.poll <= 0 || o.timeout <= 0 {
		return usagef("--poll and --timeout must be positive")
	}
	// The folder is read before anything is sent: a bad one changes
	// nothing.
	docs, err := chatbot.DocumentsFromFS(os.DirFS(dir), ".md")
	if err != nil {
		return &usageError{fmt.Errorf("%s: %w", dir, err)}
	}
	ctx, stop := a.interrupt(ctx)
	defer stop()
	c, closeClient, err := a.connectChatThing(ctx)
	if err != nil {
		return err
	}
	defer closeClient()

	ds, err := a.pickSource(ctx, c, o.source)
	if err != nil {
		return err
	}
	if ds.State == chatbot.StateSyncing {
		// A new sync would be refused until this one ends.
		fmt.Fprintln(a.stderr, "a sync is already running; it is waited out before the new one")
	}
	mctx, cancel := context.WithTimeout(ctx, o.timeout)
	defer cancel()
	bar := a.newProgress(a.isTerminal(a.stderr), -1, "mirroring")
	res, err := c.DataSources.Mirror(mctx, ds.ID, docs, &chatbot.MirrorParams{
		Interval: o.poll,
		Progress: func(ds *chatbot.DataSource) { bar.Describe("sync: " + string(ds.State)); bar.Add(1) },
	})
	bar.Finish()
	if res != nil {
		fmt.Fprintf(a.stdout, "%d files: %d created, %d updated, %d deleted, %d unchanged\n",
			len(docs), res.Created, res.Updated, res.Deleted, res.Unchanged)
	}
	switch {
	case err != nil && mctx.Err() != nil && ctx.Err() == nil:
		return fmt.Errorf("not done within %s (--timeout): %w", o.timeout, err)
	case err != nil:
		return err
	case res.Synced:
		fmt.Fprintf(a.stdout, "synced at %s\n", res.DataSource.LastSync.Raw)
	default:
		fmt.Fprintln(a.stdout, "already synced: nothing to do")
	}
	return nil
}

// pickSource returns the data source id; without one, the channel's only
// data source, or a new one when it has none.
func (a *app) pickSource(ctx context.Context, c *chatbot.Client, id string) (*chatbot.DataSource, error) {
	if id != "" {
		return c.DataSources.Get(ctx, id)
	}
	var found []chatbot.DataSource
	for ds, err := range c.DataSources.ListAll(ctx, &chatbot.ListParams{Limit: 2}) {
		if err != nil {
			return nil, err
		}
		if found = append(found, ds); len(found) > 1 {
			return nil, usagef("the channel has several data sources: choose one with --source or %s", envDataSource)
		}
	}
	if len(found) == 1 {
		fmt.Fprintf(a.stderr, "data source %s, the channel's only one\n", found[0].ID)
		return &found[0], nil
	}
	ds, err := c.DataSources.Create(ctx)
	if err != nil {
		return nil, err
	}
	fmt.Fprintf(a.stderr, "data source %s, new\n", ds.ID)
	return ds, nil
}

package main

import (
	"context"
	"errors"
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
recursively, hidden ones left out), one row per file named by its path relative
to DIR: it creates, updates and deletes rows, starts a sync and waits until the
source is synced. A second run over an unchanged folder changes nothing.

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
	sync.Flags().DurationVar(&o.timeout, "timeout", 10*time.Minute, "how long to wait for the sync to finish")
	kb.AddCommand(sync)
	return kb
}

func (a *app) kbSync(ctx context.Context, o *kbOptions, dir string) error {
	if o.poll <= 0 || o.timeout <= 0 {
		return usagef("--poll and --timeout must be positive")
	}
	// The folder is read before anything is sent: a bad one changes
	// nothing.
	docs, err := readFolder(dir)
	if err != nil {
		return &usageError{err}
	}
	ctx, stop := a.interrupt(ctx)
	defer stop()
	c, closeClient, err := a.connectChatThing(ctx)
	if err != nil {
		return err
	}
	defer closeClient()
	show := a.isTerminal(a.stderr)

	ds, err := a.pickSource(ctx, c, o.source)
	if err != nil {
		return err
	}
	if ds.State == chatbot.StateSyncing {
		// A new sync would be refused (429) until this one ends.
		fmt.Fprintln(a.stderr, "a sync is already running; waiting for it first")
		if ds, err = a.waitForSync(ctx, c, ds.ID, o, show); err != nil && !errors.Is(err, chatbot.ErrSyncFailed) {
			return err
		}
	}

	bar := a.newProgress(show, len(docs), "comparing")
	plan, err := planSync(ctx, c, ds.ID, docs, bar)
	bar.Finish()
	if err != nil {
		return fmt.Errorf("reading the rows: %w", err)
	}
	bar = a.newProgress(show && plan.changes() > 0, plan.changes(), "uploading")
	err = plan.apply(ctx, c, ds.ID, bar)
	bar.Finish()
	if err != nil {
		return err
	}
	fmt.Fprintf(a.stdout, "%d files: %d created, %d updated, %d deleted, %d unchanged\n",
		len(docs), len(plan.create), len(plan.update), len(plan.remove), plan.unchanged)
	if plan.changes() == 0 && ds.State == chatbot.StateSynced {
		fmt.Fprintln(a.stdout, "already synced: nothing to do")
		return nil
	}
	if err := c.DataSources.Sync(ctx, ds.ID); err != nil {
		return fmt.Errorf("starting the sync: %w", err)
	}
	if ds, err = a.waitForSync(ctx, c, ds.ID, o, show); err != nil {
		return err
	}
	fmt.Fprintf(a.stdout, "synced at %s\n", ds.LastSync.Raw)
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

// waitForSync waits, at most the timeout, for the sync of id to end,
// showing its state.
func (a *app) waitForSync(ctx context.Context, c *chatbot.Client, id string, o *kbOptions, show bool) (*chatbot.DataSource, error) {
	ctx, cancel := context.WithTimeout(ctx, o.timeout)
	defer cancel()
	bar := a.newProgress(show, -1, "syncing")
	defer bar.Finish()
	ds, err := c.DataSources.WaitForSync(ctx, id, &chatbot.WaitForSyncParams{
		Interval: o.poll,
		Progress: func(ds *chatbot.DataSource) { bar.Describe("sync: " + string(ds.State)); bar.Add(1) },
	})
	if err != nil {
		return ds, fmt.Errorf("waiting for the sync: %w", err)
	}
	return ds, nil
}

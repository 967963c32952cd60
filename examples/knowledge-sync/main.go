// Command knowledge-sync makes a Chat Thing manual data source match a
// folder of Markdown files, then trains the bot on it:
//
//	go run ./examples/knowledge-sync ./testdata/knowledge
//
// Each .md file (found recursively) becomes one row, named by its path
// relative to the folder. Rows for new files are created, rows whose
// content changed are updated, rows with no file are deleted, and then the
// source is synced and the command waits until it is "synced", showing the
// progress on one line. Running it again with no change in the folder
// changes nothing.
//
// The data source is the one given with -source (or
// CHATTHING_DATA_SOURCE_ID); without it, the channel's only data source, or
// a new one when the channel has none. With CHATTHING_CHANNEL_ID and
// CHATTHING_SECRET_KEY set it works on your bot; without them, on an
// in-process fake server.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"time"

	chatbot "github.com/chatbot-sdk/chatbot-go"
	"github.com/chatbot-sdk/chatbot-go/chatbottest"
	"github.com/chatbot-sdk/chatbot-go/examples/internal/setup"
)

// dataSourceVar names the data source to sync into.
const dataSourceVar = "CHATTHING_DATA_SOURCE_ID"

func main() { setup.Main("knowledge-sync", run) }

func run(ctx context.Context, args []string, _ io.Reader, stdout io.Writer, getenv func(string) string) error {
	flags := flag.NewFlagSet("knowledge-sync", flag.ContinueOnError)
	flags.SetOutput(stdout)
	source := flags.String("source", getenv(dataSourceVar), "`ID` of the data source to sync into (default $"+dataSourceVar+")")
	poll := flags.Duration("poll", 500*time.Millisecond, "how often to check the sync's progress")
	timeout := flags.Duration("timeout", 10*time.Minute, "how long to wait for the sync to finish")
	flags.Usage = func() {
		fmt.Fprintln(flags.Output(), "usage: knowledge-sync [-source ID] [-poll 500ms] [-timeout 10m] FOLDER")
		flags.PrintDefaults()
	}
	if err := flags.Parse(args); err != nil {
		return err
	}
	if flags.NArg() != 1 {
		flags.Usage()
		return errors.New("expected one folder of Markdown files")
	}
	// Read the folder before touching the server: a bad folder changes
	// nothing.
	docs, err := readFolder(flags.Arg(0))
	if err != nil {
		return err
	}

	// The fake's sync takes a moment, so that the progress line shows.
	client, stop, err := setup.ChatThing(getenv, stdout, chatbottest.WithChatThingSyncDuration(time.Second))
	if err != nil {
		return err
	}
	defer stop()

	ds, err := pickSource(ctx, client, *source, stdout)
	if err != nil {
		return err
	}
	if ds.State == chatbot.StateSyncing {
		// Rows can change during a sync, but a new sync would be refused
		// (429) until this one ends.
		fmt.Fprintln(stdout, "a sync is already running; waiting for it first")
		if ds, err = waitForSync(ctx, client, ds.ID, *poll, *timeout, stdout); err != nil && !errors.Is(err, chatbot.ErrSyncFailed) {
			return err
		}
	}

	p, err := makePlan(ctx, client, ds.ID, docs)
	if err != nil {
		return err
	}
	if err := p.apply(ctx, client, ds.ID); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "%d files: %d created, %d updated, %d deleted, %d unchanged\n",
		len(docs), len(p.create), len(p.update), len(p.remove), p.unchanged)

	if p.changes() == 0 && ds.State == chatbot.StateSynced {
		fmt.Fprintln(stdout, "already synced: nothing to do")
		return nil
	}
	if err := client.DataSources.Sync(ctx, ds.ID); err != nil {
		return fmt.Errorf("starting the sync: %w", err)
	}
	ds, err = waitForSync(ctx, client, ds.ID, *poll, *timeout, stdout)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "synced at %s\n", ds.LastSync.Raw)
	return nil
}

// pickSource returns the data source named by id; without one, the
// channel's only data source, or a new one when there is none.
func pickSource(ctx context.Context, client *chatbot.Client, id string, stdout io.Writer) (*chatbot.DataSource, error) {
	if id != "" {
		ds, err := client.DataSources.Get(ctx, id)
		if err != nil {
			return nil, fmt.Errorf("data source %s: %w", id, err)
		}
		fmt.Fprintf(stdout, "data source %s (%s)\n", ds.ID, ds.State)
		return ds, nil
	}
	var found []chatbot.DataSource
	for ds, err := range client.DataSources.ListAll(ctx, &chatbot.ListParams{Limit: 2}) {
		if err != nil {
			return nil, fmt.Errorf("listing data sources: %w", err)
		}
		if found = append(found, ds); len(found) > 1 {
			return nil, fmt.Errorf("the channel has several data sources: choose one with -source or %s", dataSourceVar)
		}
	}
	if len(found) == 1 {
		fmt.Fprintf(stdout, "data source %s (%s), the channel's only one\n", found[0].ID, found[0].State)
		return &found[0], nil
	}
	ds, err := client.DataSources.Create(ctx)
	if err != nil {
		return nil, fmt.Errorf("creating a data source: %w", err)
	}
	fmt.Fprintf(stdout, "data source %s (new)\n", ds.ID)
	return ds, nil
}

// waitForSync waits for the sync to end, redrawing one progress line.
func waitForSync(ctx context.Context, client *chatbot.Client, id string, poll, timeout time.Duration, stdout io.Writer) (*chatbot.DataSource, error) {
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	start := time.Now()
	ds, err := client.DataSources.WaitForSync(ctx, id, &chatbot.WaitForSyncParams{Interval: poll, Progress: func(ds *chatbot.DataSource) {
		fmt.Fprintf(stdout, "\rsync: %-10s %5.1fs", ds.State, time.Since(start).Seconds())
	}})
	fmt.Fprintln(stdout)
	if err != nil {
		return ds, fmt.Errorf("waiting for the sync: %w", err)
	}
	return ds, nil
}

// Command knowledge-sync makes a Chat Thing manual data source match a
// folder of Markdown files, then trains the bot on it:
//
//	go run ./examples/knowledge-sync ./testdata/knowledge
//
// Each .md file (found recursively) becomes one row, named by its path
// relative to the folder. DataSources.Mirror does the work: it creates rows
// for new files, updates the rows whose file changed, deletes the rows
// with no file, then syncs the source and waits until it is "synced",
// while the command shows the progress. Running it again with no change in
// the folder changes nothing.
//
// The data source is the one given with -source (or
// CHATTHING_DATA_SOURCE_ID); without it, the channel's only data source, or
// a new one when the channel has none. With CHATTHING_CHANNEL_ID and
// CHATTHING_SECRET_KEY set it works on your bot; without them, on an
// in-process fake server, which it says on standard error.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"time"

	chatbot "github.com/chatbot-sdk/chatbot-go"
	"github.com/chatbot-sdk/chatbot-go/chatbottest"
)

// dataSourceVar names the data source to sync into.
const dataSourceVar = "CHATTHING_DATA_SOURCE_ID"

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	err := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	if err != nil {
		fmt.Fprintln(os.Stderr, "knowledge-sync:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	flags := flag.NewFlagSet("knowledge-sync", flag.ContinueOnError)
	flags.SetOutput(stderr)
	source := flags.String("source", os.Getenv(dataSourceVar), "`ID` of the data source to sync into (default $"+dataSourceVar+")")
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
	docs, err := chatbot.DocumentsFromFS(os.DirFS(flags.Arg(0)), ".md")
	if err != nil {
		return fmt.Errorf("%s: %w", flags.Arg(0), err)
	}

	// Your bot when the environment names it, else a fake server.
	client, err := chatbot.NewClientFromEnv()
	if errors.Is(err, chatbot.ErrNoCredentials) {
		// The fake's sync takes a moment, so that the progress shows.
		fake := chatbottest.NewChatThing(chatbottest.WithChatThingSyncDuration(time.Second))
		defer fake.Close()
		fmt.Fprintf(stderr, "%v: using an in-process fake Chat Thing server (chatbottest)\n", err)
		client, err = chatbot.NewClient(fake.ChannelID, fake.SecretKey, chatbot.WithBaseURL(fake.URL))
	}
	if err != nil {
		return err
	}
	defer client.Close()

	ds, err := pickSource(ctx, client, *source, stdout)
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(ctx, *timeout)
	defer cancel()
	progress := newProgress(stdout, isTerminal(stdout))
	res, err := client.DataSources.Mirror(ctx, ds.ID, docs, &chatbot.MirrorParams{Interval: *poll, Progress: progress.show})
	progress.end()
	if res != nil {
		fmt.Fprintf(stdout, "%d files: %d created, %d updated, %d deleted, %d unchanged\n",
			len(docs), res.Created, res.Updated, res.Deleted, res.Unchanged)
	}
	switch {
	case err != nil:
		return err
	case res.Synced:
		fmt.Fprintf(stdout, "synced at %s\n", res.DataSource.LastSync.Raw)
	default:
		fmt.Fprintln(stdout, "already synced: nothing to do")
	}
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

// isTerminal reports whether w is a terminal (a character device), where
// a progress line can be redrawn in place.
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	fi, err := f.Stat()
	return err == nil && fi.Mode()&os.ModeCharDevice != 0
}

// progress shows the sync's progress: on a terminal one line, redrawn with
// "\r" after every poll; anywhere else (a file, a pipe, a CI log) a line
// each time the state changes, so that no "\r" lands in the output.
type progress struct {
	w        io.Writer
	terminal bool
	start    time.Time
	last     chatbot.DataSourceState
	drawn    bool
}

func newProgress(w io.Writer, terminal bool) *progress {
	return &progress{w: w, terminal: terminal, start: time.Now()}
}

// show is the Progress callback: it gets the source after each poll.
func (p *progress) show(ds *chatbot.DataSource) {
	elapsed := time.Since(p.start).Seconds()
	switch {
	case p.terminal:
		fmt.Fprintf(p.w, "\rsync: %-10s %5.1fs", ds.State, elapsed)
		p.drawn = true
	case ds.State != p.last:
		fmt.Fprintf(p.w, "sync: %s after %.1fs\n", ds.State, elapsed)
	}
	p.last = ds.State
}

// end finishes the redrawn line, if there is one.
func (p *progress) end() {
	if p.drawn {
		fmt.Fprintln(p.w)
		p.drawn = false
	}
}

package main

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/spf13/cobra"

	"github.com/chatbot-sdk/chatbot-go/chat"
)

// exportOptions are the flags of chatbot export.
type exportOptions struct {
	platform      string
	format        string
	output        string
	since         string
	appendTo      bool
	conversations []string
}

func (a *app) exportCmd() *cobra.Command {
	o := &exportOptions{}
	cmd := &cobra.Command{
		Use:   "export",
		Short: "Export every conversation, one record per message",
		Long: `export writes every message of every conversation (or of those named with
--conversation) as one record: JSON lines by default, or CSV. Fields: platform,
conversation_id, message_id, role, time (RFC 3339, UTC) and text.

Aimylogic cannot list its conversations (each is an end user's client ID):
name them with --conversation. On the embedded fake, export takes its demo
clients.

--since keeps only messages written after a time, so that a later run exports
what is new: the summary on standard error ends with the --since value to use
next time. That value is when this run started, less five minutes for a server
clock running behind, so that a message written during the run is not missed;
the next run may so export a few messages again. With --append, a message whose
ID the file already holds is skipped. A progress bar shows on standard error
when it is a terminal.`,
		Example: `  chatbot export --platform chatthing > conversations.jsonl
  chatbot export --platform botyard --format csv -o chats.csv
  chatbot export -p aimylogic -c user-42 -c user-43
  chatbot export -o all.jsonl --append --since 2024-06-01T12:00:00Z`,
		Args: cobra.NoArgs,
		RunE: runE(func(cmd *cobra.Command, _ []string) error {
			return onPlatform(o.platform, a.export(cmd.Context(), o))
		}),
	}
	f := cmd.Flags()
	f.StringVarP(&o.platform, "platform", "p", "chatthing", "the platform: "+platformNames())
	f.StringVar(&o.format, "format", formatJSONL, "record format: jsonl or csv")
	f.StringVarP(&o.output, "output", "o", "-", "write to `FILE` instead of standard output")
	f.StringVar(&o.since, "since", "", "only messages after `TIME`: RFC 3339, a date, or a duration back from now (36h)")
	f.BoolVar(&o.appendTo, "append", false, "add to the output file instead of replacing it")
	f.StringSliceVarP(&o.conversations, "conversation", "c", nil, "export only the conversation with this `ID` (repeatable)")
	return cmd
}

// sinceMargin is how far before the run's start the suggested next
// --since lies: the messages are stamped by the server's clock, which may
// be behind this machine's. A message caught twice is skipped by --append;
// one missed would be lost.
const sinceMargin = 5 * time.Minute

// exportRun is one export's state, for its summary.
type exportRun struct {
	messages, conversations int
	// skipped counts the messages the --append file held already.
	skipped int
	// have holds the messages of the --append file, by messageKey.
	have map[string]bool
}

func (a *app) export(ctx context.Context, o *exportOptions) error {
	// Taken before anything is read: a message written while the run goes
	// on comes after it, and so is exported by the next run.
	started := time.Now()
	if _, err := newRecordWriter(o.format, io.Discard, false); err != nil {
		return err
	}
	var since time.Time
	if o.since != "" {
		var err error
		if since, err = parseSince(o.since, time.Now()); err != nil {
			return err
		}
	}
	if o.appendTo && o.output == "-" {
		return usagef("--append needs an output file (-o FILE)")
	}

	ctx, stop := a.interrupt(ctx)
	defer stop()
	conn, err := a.connect(ctx, o.platform)
	if err != nil {
		return err
	}
	defer conn.Close()
	p := conn.platform
	hr, ok := p.(chat.HistoryReader)
	if !ok {
		return usagef("%s cannot read conversation histories", p.Name())
	}
	ids, err := a.conversationIDs(ctx, conn, o.conversations)
	if err != nil {
		return err
	}

	run := &exportRun{}
	if o.appendTo {
		if run.have, err = readMessageKeys(o.output, o.format); err != nil {
			return err
		}
	}
	out, header, closeOut, err := a.openOutput(o)
	if err != nil {
		return err
	}
	defer closeOut()
	buf := bufio.NewWriter(out)
	w, err := newRecordWriter(o.format, buf, header)
	if err != nil {
		return err
	}
	bar := a.newProgress(a.showProgress(o.output) && len(ids) > 0, len(ids), "exporting")
	for _, id := range ids {
		err := run.conversation(ctx, hr, p.Name(), id, since, w)
		if ferr := flush(w, buf); err == nil {
			err = ferr
		}
		if err != nil {
			bar.Finish()
			return fmt.Errorf("stopped after %d messages in %d conversations: %w", run.messages, run.conversations, err)
		}
		bar.Add(1)
	}
	bar.Finish()
	if err := closeOut(); err != nil {
		return err
	}
	fmt.Fprintf(a.stderr, "exported %d messages from %d conversations", run.messages, run.conversations)
	if run.skipped > 0 {
		fmt.Fprintf(a.stderr, " (%d already in the file)", run.skipped)
	}
	fmt.Fprintf(a.stderr, "; next time: --since %s\n", started.Add(-sinceMargin).UTC().Format(time.RFC3339))
	return nil
}

// conversation writes the messages of conversation id written after since.
// A message without a time is always written: there is no telling. The
// records are held until the history has been read to its end, so that a
// conversation cut short by an error is not written at all: the error's
// count stays true, and a run again with --append does not repeat half of
// it.
func (r *exportRun) conversation(ctx context.Context, hr chat.HistoryReader, platform, id string, since time.Time, w recordWriter) error {
	var recs []record
	skipped := 0
	for m, err := range hr.History(ctx, id) {
		if err != nil {
			return err
		}
		if !since.IsZero() && !m.Time.IsZero() && !m.Time.After(since) {
			continue
		}
		rec := newRecord(platform, m)
		if r.have[rec.key()] {
			skipped++
			continue
		}
		recs = append(recs, rec)
	}
	for _, rec := range recs {
		if err := w.Write(rec); err != nil {
			return err
		}
	}
	r.messages += len(recs)
	r.skipped += skipped
	if len(recs) > 0 {
		r.conversations++
	}
	return nil
}

// flush writes out what w and buf hold.
func flush(w recordWriter, buf *bufio.Writer) error {
	if err := w.Flush(); err != nil {
		return err
	}
	return buf.Flush()
}

// conversationIDs returns the conversations to export: those named, or
// every one the platform lists, without repeats. On a platform that
// cannot list them (Aimylogic), the embedded fake's are its demo
// conversations, and a real account's must be named.
func (a *app) conversationIDs(ctx context.Context, conn *connection, named []string) ([]string, error) {
	if len(named) > 0 {
		return named, nil
	}
	l, ok := conn.platform.(chat.Lister)
	switch {
	case !ok && conn.fake != nil:
		return conn.fake.ConversationIDs, nil
	case !ok:
		return nil, usagef("%s cannot list conversations: name them with --conversation", conn.platform.Name())
	}
	var ids []string
	seen := map[string]bool{}
	for c, err := range l.Conversations(ctx) {
		if err != nil {
			return nil, err
		}
		if !seen[c.ID] {
			seen[c.ID] = true
			ids = append(ids, c.ID)
		}
	}
	return ids, nil
}

// openOutput opens where the records go, and says whether a CSV header is
// due (not when appending to a file that has content). The close function
// may be called more than once; only the first call reports an error.
func (a *app) openOutput(o *exportOptions) (io.Writer, bool, func() error, error) {
	if o.output == "-" {
		return a.stdout, true, func() error { return nil }, nil
	}
	mode := os.O_CREATE | os.O_WRONLY | os.O_TRUNC
	if o.appendTo {
		mode = os.O_CREATE | os.O_WRONLY | os.O_APPEND
	}
	f, err := os.OpenFile(o.output, mode, 0o644)
	if err != nil {
		return nil, false, nil, err
	}
	header := true
	if o.appendTo {
		st, err := f.Stat()
		if err != nil {
			f.Close()
			return nil, false, nil, err
		}
		header = st.Size() == 0
	}
	closed := false
	return f, header, func() error {
		if closed {
			return nil
		}
		closed = true
		return f.Close()
	}, nil
}

// showProgress says whether a progress bar goes to stderr: when it is a
// terminal, unless the records go to that same terminal.
func (a *app) showProgress(output string) bool {
	return a.isTerminal(a.stderr) && (output != "-" || !a.isTerminal(a.stdout))
}

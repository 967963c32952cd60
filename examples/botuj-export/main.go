// Command botuj-export exports every conversation of a botuj.pl account,
// with its messages, as JSON lines: one line a conversation, oldest first
// as the API lists them,
//
//	{"conversation":{"id":7202,…},"messages":[{"id":10906,…},…]}
//
// Usage:
//
//	go run ./examples/botuj-export                       # to standard output
//	go run ./examples/botuj-export -o export.jsonl       # to a file (replaced)
//	go run ./examples/botuj-export -o export.jsonl -resume
//
// It reads the API key from BOTUJ_API_KEY (and the server from
// BOTUJ_BASE_URL, when set). Without a key it starts an in-process fake
// botuj.pl server with a few made-up conversations and says so in one
// line, so it runs anywhere with no account.
//
// Resuming: with -resume, the conversations already in the -o file are
// read first and skipped, and the new ones are appended, so a run that was
// interrupted, or a later run that finds new conversations, exports no
// conversation twice. A last line cut short by an interrupted run is
// removed and its conversation exported again, whole. A run that fails
// also removes its unfinished line from the file before it exits.
//
// Progress goes to standard error: one line redrawn in place when standard
// error is a terminal (and the JSON lines are not going to that terminal
// too), else a plain line every 25 conversations and one at the end.
package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"

	chatbot "github.com/chatbot-sdk/chatbot-go"
	"github.com/chatbot-sdk/chatbot-go/botuj"
	"github.com/chatbot-sdk/chatbot-go/chatbottest"
)

// fakeConversations is how many conversations the fake server holds.
const fakeConversations = 12

// plainEvery is how many conversations pass between two progress lines
// when standard error is not a terminal.
const plainEvery = 25

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	err := run(ctx, os.Args[1:], console{
		stdout: os.Stdout, stderr: os.Stderr,
		stdoutTTY: isTerminal(os.Stdout), stderrTTY: isTerminal(os.Stderr),
	})
	stop()
	if err != nil {
		fmt.Fprintf(os.Stderr, "botuj-export: %v\n", err)
		os.Exit(1)
	}
}

// console is the process's standard output and error, and whether each is
// a terminal; a test passes buffers instead.
type console struct {
	stdout, stderr       io.Writer
	stdoutTTY, stderrTTY bool
}

// isTerminal reports whether f is a character device: a terminal rather
// than a file or a pipe.
func isTerminal(f *os.File) bool {
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}

// run parses the flags, opens the output and exports.
func run(ctx context.Context, args []string, con console) error {
	flags := flag.NewFlagSet("botuj-export", flag.ContinueOnError)
	flags.SetOutput(con.stderr)
	outPath := flags.String("o", "", "write the JSON lines to `file` instead of standard output")
	resume := flags.Bool("resume", false, "keep the conversations already in the -o file and add only the others")
	if err := flags.Parse(args); err != nil {
		return err
	}
	if flags.NArg() > 0 {
		return fmt.Errorf("unexpected argument %q", flags.Arg(0))
	}
	if *resume && *outPath == "" {
		return errors.New("-resume needs -o: it reads what the file already holds")
	}

	client, closeFake, err := newClient(con.stderr)
	if err != nil {
		return err
	}
	defer closeFake()
	defer client.Close()

	out := &output{w: con.stdout}
	if *outPath != "" {
		if out, err = openOutput(*outPath, *resume); err != nil {
			return err
		}
		defer out.close()
	}
	live := con.stderrTTY && (*outPath != "" || !con.stdoutTTY)
	p := &progress{w: con.stderr, live: live, skipped: len(out.done)}
	err = export(ctx, client, out, p)
	p.finish(err == nil)
	return err
}

// newClient returns a client for the account in the environment or, when
// there is none, for an in-process fake, which it says in one line on w.
// The returned function stops the fake (a no-op for a real account).
func newClient(w io.Writer) (*botuj.Client, func(), error) {
	client, err := botuj.NewClientFromEnv()
	if !errors.Is(err, chatbot.ErrNoCredentials) {
		return client, func() {}, err
	}
	fake := chatbottest.NewBotuj()
	fake.Seed(fakeConversations)
	fmt.Fprintf(w, "%s is not set: exporting %d made-up conversations from an in-process fake botuj.pl server (chatbottest)\n",
		botuj.EnvAPIKey, fakeConversations)
	client, err = botuj.NewClient(fake.APIKey, chatbot.WithBaseURL(fake.URL))
	if err != nil {
		fake.Close()
		return nil, nil, err
	}
	return client, fake.Close, nil
}

// export writes every conversation that out has not got yet, with its
// messages, one line each.
func export(ctx context.Context, client *botuj.Client, out *output, p *progress) error {
	for conv, err := range client.Conversations.ListAll(ctx, &botuj.ListParams{Limit: botuj.MaxPageLimit}) {
		if err != nil {
			return out.abandon(err)
		}
		if out.done[conv.ID] {
			continue
		}
		n, err := writeConversation(ctx, client, out.buf(), conv)
		if err == nil {
			err = out.commit()
		}
		if err != nil {
			return out.abandon(fmt.Errorf("conversation %d: %w", conv.ID, err))
		}
		p.add(n)
	}
	return nil
}

// writeConversation writes one line: the conversation and its messages,
// each message as soon as its page arrives, so that a long conversation
// is never held in memory whole. It returns the number of messages.
func writeConversation(ctx context.Context, client *botuj.Client, w *bufio.Writer, conv botuj.Conversation) (int, error) {
	var enc jsonText
	head, err := enc.marshal(conv)
	if err != nil {
		return 0, err
	}
	fmt.Fprintf(w, `{"conversation":%s,"messages":[`, head)
	n := 0
	for msg, err := range client.Messages.ListAll(ctx, conv.ID, &botuj.ListParams{Limit: botuj.MaxPageLimit}) {
		if err != nil {
			return n, err
		}
		text, err := enc.marshal(msg)
		if err != nil {
			return n, err
		}
		if n > 0 {
			w.WriteByte(',')
		}
		w.Write(text) // a bufio.Writer keeps its first error for Flush
		n++
	}
	_, err = w.WriteString("]}\n")
	return n, err
}

// jsonText encodes values as compact JSON, leaving <, > and & as they are
// (the text stays readable), into one reused buffer.
type jsonText struct{ buf bytes.Buffer }

// marshal returns v's JSON, valid until the next call.
func (j *jsonText) marshal(v any) ([]byte, error) {
	j.buf.Reset()
	enc := json.NewEncoder(&j.buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return bytes.TrimSuffix(j.buf.Bytes(), []byte("\n")), nil // Encode ends every value with a newline
}

// output is where the lines go. For a file it knows the conversations the
// file already holds and where its last complete line ends, so that a
// failed line can be taken back.
type output struct {
	w         io.Writer
	file      *os.File
	bw        *bufio.Writer
	done      map[botuj.ID]bool // conversations already in the file
	committed int64             // the file's size up to the last complete line
	written   int64             // bytes handed to the file so far
}

// buf returns the buffered writer for the next line.
func (o *output) buf() *bufio.Writer {
	if o.bw == nil {
		o.bw = bufio.NewWriter(writerFunc(func(p []byte) (int, error) {
			n, err := o.w.Write(p)
			o.written += int64(n)
			return n, err
		}))
	}
	return o.bw
}

// commit flushes a finished line.
func (o *output) commit() error {
	if err := o.buf().Flush(); err != nil {
		return err
	}
	o.committed = o.written
	return nil
}

// abandon takes back an unfinished line from a file (standard output
// cannot take it back) and returns err.
func (o *output) abandon(err error) error {
	if o.file == nil {
		return err
	}
	o.bw = nil // drop what is still buffered
	if terr := o.file.Truncate(o.committed); terr != nil {
		return errors.Join(err, terr)
	}
	return err
}

// close closes the file.
func (o *output) close() { _ = o.file.Close() }

// writerFunc makes a function an io.Writer.
type writerFunc func(p []byte) (int, error)

func (f writerFunc) Write(p []byte) (int, error) { return f(p) }

// openOutput opens path for writing: emptied, or, when resuming, read
// first for the conversations it holds and cut after its last complete
// line.
func openOutput(path string, resume bool) (*output, error) {
	flags := os.O_RDWR | os.O_CREATE
	if !resume {
		flags |= os.O_TRUNC
	}
	f, err := os.OpenFile(path, flags, 0o644)
	if err != nil {
		return nil, err
	}
	out := &output{w: f, file: f, done: map[botuj.ID]bool{}}
	if resume {
		if err := out.readDone(path); err != nil {
			f.Close()
			return nil, err
		}
	}
	if _, err := f.Seek(out.committed, io.SeekStart); err != nil {
		f.Close()
		return nil, err
	}
	out.written = out.committed
	return out, nil
}

// readDone reads the conversation ids of the file's complete lines and
// removes an incomplete last line. A complete line that is not an export
// line is an error, and the file is left as it is.
func (o *output) readDone(path string) error {
	r := bufio.NewReader(o.file)
	for line := 1; ; line++ {
		text, err := r.ReadBytes('\n')
		if errors.Is(err, io.EOF) {
			// No newline: the line was cut short (or the file is empty).
			return o.file.Truncate(o.committed)
		}
		if err != nil {
			return err
		}
		var rec struct {
			Conversation *struct {
				ID botuj.ID `json:"id"`
			} `json:"conversation"`
		}
		if json.Unmarshal(text, &rec) != nil || rec.Conversation == nil {
			return fmt.Errorf("%s:%d is not a line of a botuj-export export; not resuming into it", path, line)
		}
		o.done[rec.Conversation.ID] = true
		o.committed += int64(len(text))
	}
}

// progress reports on standard error.
type progress struct {
	w                    io.Writer
	live                 bool // redraw one line in place
	convs, msgs, skipped int
}

func (p *progress) status() string {
	s := fmt.Sprintf("exported %d conversations, %d messages", p.convs, p.msgs)
	if p.skipped > 0 {
		s += fmt.Sprintf(" (%d were already in the file)", p.skipped)
	}
	return s
}

// add counts one exported conversation of n messages.
func (p *progress) add(n int) {
	p.convs++
	p.msgs += n
	switch {
	case p.live:
		fmt.Fprintf(p.w, "\r%s", p.status())
	case p.convs%plainEvery == 0:
		fmt.Fprintln(p.w, p.status())
	}
}

// finish ends the live line, or writes the last plain one.
func (p *progress) finish(ok bool) {
	status := p.status()
	if ok {
		status = "done: " + status
	}
	if p.live {
		fmt.Fprintf(p.w, "\r%s\n", status)
		return
	}
	fmt.Fprintln(p.w, status)
}

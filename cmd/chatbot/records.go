package main

import (
	"bufio"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"time"

	"github.com/chatbot-sdk/chatbot-go/chat"
)

// record is one exported message.
type record struct {
	Platform       string `json:"platform"`
	ConversationID string `json:"conversation_id"`
	MessageID      string `json:"message_id"`
	Role           string `json:"role"`
	// Time is RFC 3339 in UTC, "" when the platform gives none.
	Time string `json:"time"`
	Text string `json:"text"`
}

// key identifies the message a record is of, for --append to skip one
// the file holds already; "" for a message without an ID, which cannot be
// told apart and is always written.
func (r record) key() string {
	if r.MessageID == "" {
		return ""
	}
	return r.Platform + "\x00" + r.ConversationID + "\x00" + r.MessageID
}

// csvHeader names the CSV columns, in record's order.
var csvHeader = []string{"platform", "conversation_id", "message_id", "role", "time", "text"}

func newRecord(platform string, m chat.Message) record {
	r := record{Platform: platform, ConversationID: m.ConversationID, MessageID: m.ID, Role: string(m.Role), Text: m.Text}
	if !m.Time.IsZero() {
		r.Time = m.Time.UTC().Format(time.RFC3339Nano)
	}
	return r
}

// recordWriter writes records in one format.
type recordWriter interface {
	// Write writes one record (possibly buffered).
	Write(r record) error
	// Flush writes what is buffered.
	Flush() error
}

// Formats of export.
const (
	formatJSONL = "jsonl"
	formatCSV   = "csv"
)

// newRecordWriter returns a writer of format to w; header asks for the CSV
// header line (not for a file being appended to).
func newRecordWriter(format string, w io.Writer, header bool) (recordWriter, error) {
	switch format {
	case formatJSONL:
		enc := json.NewEncoder(w)
		enc.SetEscapeHTML(false)
		return jsonlWriter{enc}, nil
	case formatCSV:
		cw := &csvWriter{w: csv.NewWriter(w)}
		if header {
			if err := cw.w.Write(csvHeader); err != nil {
				return nil, err
			}
		}
		return cw, nil
	}
	return nil, usagef("unknown --format %q: use jsonl or csv", format)
}

// jsonlWriter writes one JSON object per line.
type jsonlWriter struct{ enc *json.Encoder }

func (j jsonlWriter) Write(r record) error { return j.enc.Encode(r) }
func (j jsonlWriter) Flush() error         { return nil }

// csvWriter writes RFC 4180 CSV.
type csvWriter struct{ w *csv.Writer }

func (c *csvWriter) Write(r record) error {
	return c.w.Write([]string{r.Platform, r.ConversationID, r.MessageID, r.Role, r.Time, r.Text})
}

func (c *csvWriter) Flush() error {
	c.w.Flush()
	if err := c.w.Error(); err != nil {
		return fmt.Errorf("writing CSV: %w", err)
	}
	return nil
}

// readMessageKeys returns the keys of the messages the export file at path
// holds in format; none when there is no file. A line that is not a
// record (such as the CSV header) is passed over.
func readMessageKeys(path, format string) (map[string]bool, error) {
	f, err := os.Open(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	defer f.Close()
	have := map[string]bool{}
	add := func(r record) {
		if k := r.key(); k != "" {
			have[k] = true
		}
	}
	switch format {
	case formatCSV:
		cr := csv.NewReader(bufio.NewReader(f))
		cr.FieldsPerRecord = -1
		for {
			row, err := cr.Read()
			if errors.Is(err, io.EOF) {
				return have, nil
			}
			if err != nil {
				return nil, fmt.Errorf("reading %s to append to it: %w", path, err)
			}
			if len(row) == len(csvHeader) {
				add(record{Platform: row[0], ConversationID: row[1], MessageID: row[2]})
			}
		}
	default:
		sc := bufio.NewScanner(f)
		sc.Buffer(make([]byte, 64<<10), 64<<20)
		for sc.Scan() {
			var r record
			if json.Unmarshal(sc.Bytes(), &r) == nil {
				add(r)
			}
		}
		if err := sc.Err(); err != nil {
			return nil, fmt.Errorf("reading %s to append to it: %w", path, err)
		}
		return have, nil
	}
}

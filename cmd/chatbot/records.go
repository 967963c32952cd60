package main

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
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

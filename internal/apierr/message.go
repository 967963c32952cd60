package apierr

import (
	"bytes"
	"encoding/json"
	"strings"
)

// MessageFrom pulls a human message out of an error body: the usual JSON
// fields first, else the body's first line when it is short text.
func MessageFrom(body []byte) string {
	body = bytes.TrimSpace(body)
	if len(body) == 0 {
		return ""
	}
	if body[0] == '{' {
		var m struct {
			Message     json.RawMessage `json:"message"`
			Error       json.RawMessage `json:"error"`
			Detail      json.RawMessage `json:"detail"`
			Description string          `json:"error_description"`
		}
		if json.Unmarshal(body, &m) == nil {
			for _, raw := range []json.RawMessage{m.Message, m.Error, m.Detail} {
				if s := textOf(raw); s != "" {
					return s
				}
			}
			return m.Description
		}
	}
	if bytes.HasPrefix(body, []byte("<")) { // an HTML error page says nothing useful in one line
		return ""
	}
	line, _, _ := bytes.Cut(body, []byte("\n"))
	return string(bytes.TrimSpace(line))
}

// textOf reads a message that may be a string, an array of strings or an
// object with its own "message".
func textOf(raw json.RawMessage) string {
	if len(raw) == 0 {
		return ""
	}
	var s string
	if json.Unmarshal(raw, &s) == nil {
		return s
	}
	var list []string
	if json.Unmarshal(raw, &list) == nil {
		return strings.Join(list, "; ")
	}
	var obj struct {
		Message string `json:"message"`
	}
	if json.Unmarshal(raw, &obj) == nil {
		return obj.Message
	}
	return ""
}

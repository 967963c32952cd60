package chatbot

import (
	"encoding/binary"
	"encoding/json"
	"errors"
	"math/bits"
	"unicode/utf16"
	"unicode/utf8"
)

// ChatCompletionChunk is one event of a streamed reply, in the OpenAI-style
// "chat.completion.chunk" shape Chat Thing sends.
type ChatCompletionChunk struct {
	// ID is the same for every chunk of one reply ("chatcmpl-…").
	ID string `json:"id"`
	// Object is "chat.completion.chunk".
	Object string `json:"object"`
	// Created is the reply's Unix time in seconds.
	Created int64 `json:"created"`
	// Model names the model that wrote the reply.
	Model string `json:"model"`
	// Choices holds the deltas; Chat Thing sends one.
	Choices []ChunkChoice `json:"choices"`
}

// ChunkChoice is one choice of a chunk.
type ChunkChoice struct {
	// Index is the choice's position (0 for Chat Thing).
	Index int `json:"index"`
	// Delta is what this chunk adds to the reply.
	Delta ChunkDelta `json:"delta"`
	// FinishReason is "" until the last chunk, which says why the reply
	// ended ("stop"). A JSON null decodes as "".
	FinishReason string `json:"finish_reason"`
}

// ChunkDelta is the part of the reply one chunk carries.
type ChunkDelta struct {
	// Role is set on the first chunk only ("assistant").
	Role Role `json:"role,omitempty"`
	// Content is the next piece of text; it may be a single space.
	Content string `json:"content,omitempty"`
}

// Content returns the text this chunk adds to the reply: the delta content
// of choice 0.
func (c *ChatCompletionChunk) Content() string {
	for i := range c.Choices {
		if c.Choices[i].Index == 0 {
			return c.Choices[i].Delta.Content
		}
	}
	return ""
}

// UnmarshalJSON decodes a chunk without reflection. The result is the one
// encoding/json gives for the same bytes into a zero ChatCompletionChunk
// (escapes, surrogate pairs, invalid UTF-8, field order, unknown fields and
// case-insensitive names included), except that c is replaced rather than
// merged into. A JSON null leaves c unchanged.
func (c *ChatCompletionChunk) UnmarshalJSON(data []byte) error {
	if string(trimJSONSpace(data)) == "null" {
		return nil
	}
	var p chunkParser
	_, err := p.decode(c, data)
	return err
}

// plainChunk has the chunk's fields without its UnmarshalJSON method, for
// the encoding/json fallback.
type plainChunk ChatCompletionChunk

// errFallback makes the fast decoder hand the input to encoding/json: for
// input it does not accept (invalid JSON, mismatched types, numbers it does
// not parse) or that encoding/json treats in a way it does not copy
// (duplicate or case-folded names, deep nesting). encoding/json then
// decides, so the two can never disagree.
var errFallback = errors.New("fallback")

// maxSkipDepth bounds the nesting of unknown values the fast decoder skips.
const maxSkipDepth = 256

// chunkParser decodes chunks. Its buffer is kept between chunks so that
// escaped strings cost no allocation beyond the final string.
type chunkParser struct {
	data    []byte
	pos     int
	scratch []byte
	errVal  []byte // the raw value of a top-level "error" member, if any
	// maxChoices, when positive, bounds the choices of one chunk: a stream
	// sets it, so that one event of millions of "{}" cannot pin a huge
	// Choices array for the rest of the stream.
	maxChoices int
}

// errTooManyChoices ends a stream whose chunk holds more choices than any
// chat completion sends; encoding/json would allocate as much, so it is
// not handed over to it.
var errTooManyChoices = errors.New("a chunk holds more choices than a stream ever sends")

// decode replaces *c with the chunk in data, reusing c's Choices array and
// its strings where they repeat. It returns the raw value of a top-level
// "error" member (nil when there is none).
func (p *chunkParser) decode(c *ChatCompletionChunk, data []byte) ([]byte, error) {
	p.data, p.pos, p.errVal = data, 0, nil
	err := p.chunk(c)
	if err == nil {
		return p.errVal, nil
	}
	if errors.Is(err, errTooManyChoices) {
		return nil, err
	}
	var v struct {
		plainChunk
		Error json.RawMessage `json:"error"`
	}
	if err := json.Unmarshal(data, &v); err != nil {
		return nil, err
	}
	*c = ChatCompletionChunk(v.plainChunk)
	return v.Error, nil
}

func (p *chunkParser) chunk(c *ChatCompletionChunk) error {
	prev := *c
	*c = ChatCompletionChunk{Choices: c.Choices[:0]}
	p.ws()
	if p.literal("null") {
		return p.end()
	}
	var seen uint8
	err := p.object(func(key []byte) (uint8, error) {
		switch string(key) {
		case "id":
			return 1, p.str(&c.ID, prev.ID)
		case "object":
			return 2, p.str(&c.Object, prev.Object)
		case "created":
			return 4, p.int64(&c.Created)
		case "model":
			return 8, p.str(&c.Model, prev.Model)
		case "choices":
			return 16, p.choices(c)
		case "error":
			start := p.pos
			err := p.skip(0)
			p.errVal = p.data[start:p.pos]
			return 32, err
		}
		return 0, p.unknown(key, "id", "object", "created", "model", "choices", "error")
	}, &seen)
	if err != nil {
		return err
	}
	return p.end()
}

func (p *chunkParser) choices(c *ChatCompletionChunk) error {
	if p.literal("null") {
		return nil
	}
	return p.list('[', ']', func() error {
		n := len(c.Choices)
		if p.maxChoices > 0 && n >= p.maxChoices {
			return errTooManyChoices
		}
		if n < cap(c.Choices) {
			c.Choices = c.Choices[:n+1]
		} else {
			c.Choices = append(c.Choices, ChunkChoice{})
		}
		ch := &c.Choices[n]
		prevRole, prevReason := ch.Delta.Role, ch.FinishReason
		*ch = ChunkChoice{}
		return p.choice(ch, prevRole, prevReason)
	})
}

func (p *chunkParser) choice(ch *ChunkChoice, prevRole Role, prevReason string) error {
	if p.literal("null") {
		return nil
	}
	var seen uint8
	return p.object(func(key []byte) (uint8, error) {
		switch string(key) {
		case "index":
			var n int64
			if err := p.int64(&n); err != nil {
				return 1, err
			}
			if int64(int(n)) != n {
				return 1, errFallback
			}
			ch.Index = int(n)
			return 1, nil
		case "delta":
			return 2, p.delta(&ch.Delta, prevRole)
		case "finish_reason":
			return 4, p.str(&ch.FinishReason, prevReason)
		}
		return 0, p.unknown(key, "index", "delta", "finish_reason")
	}, &seen)
}

func (p *chunkParser) delta(d *ChunkDelta, prevRole Role) error {
	if p.literal("null") {
		return nil
	}
	var seen uint8
	return p.object(func(key []byte) (uint8, error) {
		switch string(key) {
		case "role":
			// prevRole only lends its string when the bytes repeat: a null
			// leaves the "" of a fresh delta, as encoding/json does.
			return 1, p.str((*string)(&d.Role), string(prevRole))
		case "content":
			return 2, p.str(&d.Content, "")
		}
		return 0, p.unknown(key, "role", "content")
	}, &seen)
}

// object reads a JSON object, calling member for each name with the
// position at the value; member returns the bit of a known name (0 for an
// unknown one), so a repeated name sends the chunk to encoding/json, whose
// rules for repeats (last wins, null keeps, arrays merge) it follows.
func (p *chunkParser) object(member func(key []byte) (uint8, error), seen *uint8) error {
	return p.list('{', '}', func() error {
		key, ok := p.rawString()
		if !ok || !p.colon() {
			return errFallback
		}
		bit, err := member(key)
		if err != nil {
			return err
		}
		if *seen&bit != 0 {
			return errFallback
		}
		*seen |= bit
		return nil
	})
}

// list reads an array or object: open, items separated by commas, close;
// item reads one element or member, starting at its first byte.
func (p *chunkParser) list(open, closing byte, item func() error) error {
	if !p.consume(open) {
		return errFallback
	}
	p.ws()
	if p.consume(closing) {
		return nil
	}
	for {
		p.ws()
		if err := item(); err != nil {
			return err
		}
		p.ws()
		if p.consume(closing) {
			return nil
		}
		if !p.consume(',') {
			return errFallback
		}
	}
}

// colon reads the ':' after a member name and the space around it.
func (p *chunkParser) colon() bool {
	p.ws()
	ok := p.consume(':')
	p.ws()
	return ok
}

// unknown skips the value of a name the chunk does not have. encoding/json
// matches names without regard to case (with Unicode folding), so a name
// that differs from a known one only in case, or has non-ASCII bytes, goes
// to encoding/json instead.
func (p *chunkParser) unknown(key []byte, known ...string) error {
	for _, c := range key {
		if c >= utf8.RuneSelf {
			return errFallback
		}
	}
	for _, k := range known {
		if equalFoldASCII(key, k) {
			return errFallback
		}
	}
	return p.skip(0)
}

func equalFoldASCII(b []byte, s string) bool {
	if len(b) != len(s) {
		return false
	}
	for i := range b {
		x, y := b[i], s[i]
		if 'A' <= x && x <= 'Z' {
			x += 'a' - 'A'
		}
		if 'A' <= y && y <= 'Z' {
			y += 'a' - 'A'
		}
		if x != y {
			return false
		}
	}
	return true
}

// str decodes a string value into *dst; prev is returned instead of a new
// string when the bytes are equal, which saves the allocation for the
// fields that repeat in every chunk. null leaves *dst as it is.
func (p *chunkParser) str(dst *string, prev string) error {
	if p.literal("null") {
		return nil
	}
	b, ok := p.rawString()
	if !ok {
		return errFallback
	}
	if string(b) == prev {
		*dst = prev
	} else {
		*dst = string(b)
	}
	return nil
}

// int64 decodes an integer the way encoding/json does for an int64 field;
// fractions, exponents and overflow go to encoding/json. null leaves *dst.
func (p *chunkParser) int64(dst *int64) error {
	if p.literal("null") {
		return nil
	}
	d, i := p.data, p.pos
	neg := i < len(d) && d[i] == '-'
	if neg {
		i++
	}
	if i >= len(d) || d[i] < '0' || d[i] > '9' {
		return errFallback
	}
	var u uint64
	if d[i] == '0' {
		i++
	} else {
		for ; i < len(d) && d[i] >= '0' && d[i] <= '9'; i++ {
			if u > (1<<63)/10 {
				return errFallback
			}
			u = u*10 + uint64(d[i]-'0')
		}
	}
	if i < len(d) && (d[i] == '.' || d[i] == 'e' || d[i] == 'E' || (d[i] >= '0' && d[i] <= '9')) {
		return errFallback
	}
	switch {
	case neg && u <= 1<<63:
		*dst = int64(-u) // two's complement: also right for u == 1<<63
	case !neg && u < 1<<63:
		*dst = int64(u)
	default:
		return errFallback
	}
	p.pos = i
	return nil
}

// plainByte marks the string bytes that need no decoding: printable ASCII
// other than '"' and '\\', and every byte of a multi-byte sequence (checked
// for UTF-8 validity as a whole).
var plainByte = func() (t [256]bool) {
	for c := 0x20; c < 256; c++ {
		t[c] = c != '"' && c != '\\'
	}
	return t
}()

// SWAR constants: one in every byte, and every byte's top bit.
const (
	lsbs = 0x0101010101010101
	msbs = 0x8080808080808080
)

// specialBytes marks, in the top bit of each byte of x, the bytes a string
// scan must stop at: '"', '\\', control characters and non-ASCII. Marks
// above the lowest one may be spurious (borrows), the lowest never is.
func specialBytes(x uint64) uint64 {
	quote, backslash := x^(lsbs*'"'), x^(lsbs*'\\')
	return (quote-lsbs)&^quote&msbs | (backslash-lsbs)&^backslash&msbs | (x-lsbs*0x20)&^x&msbs | x&msbs
}

// rawString reads the string at p.pos and returns its decoded bytes: a view
// of the input when nothing needed decoding, else p.scratch. Plain ASCII is
// scanned eight bytes at a time.
func (p *chunkParser) rawString() ([]byte, bool) {
	d, i := p.data, p.pos
	if i >= len(d) || d[i] != '"' {
		return nil, false
	}
	i++
	start := i
	for i+8 <= len(d) {
		if m := specialBytes(binary.LittleEndian.Uint64(d[i:])); m != 0 {
			i += bits.TrailingZeros64(m) >> 3
			break
		}
		i += 8
	}
	for i < len(d) && d[i] >= 0x20 && d[i] < utf8.RuneSelf && d[i] != '"' && d[i] != '\\' {
		i++
	}
	if i < len(d) && d[i] == '"' {
		p.pos = i + 1
		return d[start:i], true
	}
	if i < len(d) && d[i] >= utf8.RuneSelf {
		for i < len(d) && plainByte[d[i]] {
			i++
		}
		if !utf8.Valid(d[start:i]) {
			return p.unquote(start) // so that invalid bytes become U+FFFD
		}
		if i < len(d) && d[i] == '"' {
			p.pos = i + 1
			return d[start:i], true
		}
	}
	return p.unquote(i)
}

// unquote decodes a string from the escape (or invalid UTF-8, or end) at
// i onwards, exactly as encoding/json does: \u escapes with surrogate pairs
// joined and lone surrogates and invalid bytes turned into U+FFFD.
func (p *chunkParser) unquote(i int) ([]byte, bool) {
	d := p.data
	out := append(p.scratch[:0], d[p.pos+1:i]...)
	for i < len(d) {
		c := d[i]
		switch {
		case c == '"':
			p.pos = i + 1
			p.scratch = out[:0] // keep the grown buffer for the next string
			return out, true
		case c == '\\':
			if i+1 >= len(d) {
				return nil, false
			}
			switch e := d[i+1]; e {
			case '"', '\\', '/':
				out = append(out, e)
			case 'b':
				out = append(out, '\b')
			case 'f':
				out = append(out, '\f')
			case 'n':
				out = append(out, '\n')
			case 'r':
				out = append(out, '\r')
			case 't':
				out = append(out, '\t')
			case 'u':
				r := hex4(d, i+2)
				if r < 0 {
					return nil, false
				}
				i += 6
				if utf16.IsSurrogate(r) {
					r2 := rune(-1)
					if i+1 < len(d) && d[i] == '\\' && d[i+1] == 'u' {
						r2 = hex4(d, i+2)
					}
					if dec := utf16.DecodeRune(r, r2); dec != utf8.RuneError {
						out = utf8.AppendRune(out, dec)
						i += 6
						continue
					}
					r = utf8.RuneError
				}
				out = utf8.AppendRune(out, r)
				continue
			default:
				return nil, false
			}
			i += 2
		case c < 0x20:
			return nil, false
		case c < utf8.RuneSelf:
			out = append(out, c)
			i++
		default:
			r, size := utf8.DecodeRune(d[i:])
			if r == utf8.RuneError && size == 1 {
				out = utf8.AppendRune(out, utf8.RuneError)
			} else {
				out = append(out, d[i:i+size]...)
			}
			i += size
		}
	}
	return nil, false
}

// hex4 reads the four hex digits of a \u escape at d[i:], or returns -1.
func hex4(d []byte, i int) rune {
	if i+4 > len(d) {
		return -1
	}
	var r rune
	for _, c := range d[i : i+4] {
		switch {
		case '0' <= c && c <= '9':
			c -= '0'
		case 'a' <= c && c <= 'f':
			c = c - 'a' + 10
		case 'A' <= c && c <= 'F':
			c = c - 'A' + 10
		default:
			return -1
		}
		r = r<<4 | rune(c)
	}
	return r
}

// skip passes over any valid JSON value, checking it as strictly as
// encoding/json does (it does not check UTF-8 in strings either).
func (p *chunkParser) skip(depth int) error {
	if depth > maxSkipDepth {
		return errFallback
	}
	d := p.data
	if p.pos >= len(d) {
		return errFallback
	}
	switch c := d[p.pos]; {
	case c == '"':
		return p.skipString()
	case c == '{':
		return p.list('{', '}', func() error {
			if p.skipString() != nil || !p.colon() {
				return errFallback
			}
			return p.skip(depth + 1)
		})
	case c == '[':
		return p.list('[', ']', func() error { return p.skip(depth + 1) })
	case c == '-' || ('0' <= c && c <= '9'):
		return p.skipNumber()
	case p.literal("true"), p.literal("false"), p.literal("null"):
		return nil
	}
	return errFallback
}

func (p *chunkParser) skipString() error {
	d, i := p.data, p.pos
	if i >= len(d) || d[i] != '"' {
		return errFallback
	}
	for i++; i < len(d); i++ {
		switch c := d[i]; {
		case c == '"':
			p.pos = i + 1
			return nil
		case c == '\\':
			if i+1 >= len(d) {
				return errFallback
			}
			switch d[i+1] {
			case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
				i++
			case 'u':
				if hex4(d, i+2) < 0 {
					return errFallback
				}
				i += 5
			default:
				return errFallback
			}
		case c < 0x20:
			return errFallback
		}
	}
	return errFallback
}

// skipNumber checks the JSON number grammar:
// -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?
func (p *chunkParser) skipNumber() error {
	d, i := p.data, p.pos
	digits := func() bool {
		s := i
		for i < len(d) && d[i] >= '0' && d[i] <= '9' {
			i++
		}
		return i > s
	}
	if i < len(d) && d[i] == '-' {
		i++
	}
	switch {
	case i < len(d) && d[i] == '0':
		i++
	case !digits():
		return errFallback
	}
	if i < len(d) && d[i] == '.' {
		i++
		if !digits() {
			return errFallback
		}
	}
	if i < len(d) && (d[i] == 'e' || d[i] == 'E') {
		i++
		if i < len(d) && (d[i] == '+' || d[i] == '-') {
			i++
		}
		if !digits() {
			return errFallback
		}
	}
	p.pos = i
	return nil
}

func (p *chunkParser) ws() {
	d, i := p.data, p.pos
	for i < len(d) && isJSONSpace(d[i]) {
		i++
	}
	p.pos = i
}

func (p *chunkParser) consume(c byte) bool {
	if p.pos < len(p.data) && p.data[p.pos] == c {
		p.pos++
		return true
	}
	return false
}

// literal consumes lit (true, false or null) when it is next.
func (p *chunkParser) literal(lit string) bool {
	if len(p.data)-p.pos >= len(lit) && string(p.data[p.pos:p.pos+len(lit)]) == lit {
		p.pos += len(lit)
		return true
	}
	return false
}

// end accepts only whitespace after the value, like json.Unmarshal.
func (p *chunkParser) end() error {
	p.ws()
	if p.pos != len(p.data) {
		return errFallback
	}
	return nil
}

func trimJSONSpace(b []byte) []byte {
	for len(b) > 0 && isJSONSpace(b[0]) {
		b = b[1:]
	}
	for len(b) > 0 && isJSONSpace(b[len(b)-1]) {
		b = b[:len(b)-1]
	}
	return b
}

func isJSONSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }

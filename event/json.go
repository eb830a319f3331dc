package event

import (
	"bytes"
	"encoding/binary"
	"unicode/utf16"
	"unicode/utf8"
	"unsafe"
)

// maxDepth bounds the nesting of skipped values, as encoding/json does.
const maxDepth = 10000

// JSONDecoder decodes JSON lines, one object per line, into events of one
// schema. It scans the bytes itself and writes values straight into slots,
// without maps, reflection or boxing.
//
// A JSONDecoder remembers the order of the keys of the last line to find
// fields fast, so it is not safe for concurrent use: use one per goroutine.
type JSONDecoder struct {
	s       *Schema
	guess   []int32  // per key position: the field found there last time, or -1
	quoted  [][]byte // per field: its name and closing quote as in JSON, nil if that needs escapes
	scratch []byte   // unescaped strings
	stack   []byte   // closing brackets of the containers being skipped
	tsNull  bool
}

// NewJSONDecoder returns a decoder for events of s.
func NewJSONDecoder(s *Schema) *JSONDecoder {
	d := &JSONDecoder{s: s, quoted: make([][]byte, len(s.Fields))}
	for f, field := range s.Fields {
		if q := AppendJSONString(nil, field.Name); string(q[1:len(q)-1]) == field.Name {
			d.quoted[f] = q[1:]
		}
	}
	return d
}

// Decode decodes one line into ev, replacing its slots, Time, Raw and Schema
// (Seq and Pos are left to the caller). Raw becomes a trimmed copy of line,
// which the caller may reuse after Decode returns.
//
// The rules, from the language spec: a time is an integer (epoch ms) or an
// RFC 3339 string; an int an integral number (1e3 is one, 1.5 is not); a
// float any number; a bool true or false; a string a string. Absent fields
// and JSON null are null; undeclared fields are skipped and kept in Raw;
// with duplicate keys the last wins. The line must be one JSON object in
// valid UTF-8 with nothing after it. Otherwise Decode returns a
// *DecodeError whose message is the reason, or ErrBlankLine for a blank
// line, which callers should skip. After an error ev holds a partial result
// and can be reused for the next line.
func (d *JSONDecoder) Decode(line []byte, ev *Event) (err error) {
	defer recoverInto(&err)
	a, b := trimSpace(line)
	if a == b {
		return ErrBlankLine
	}
	ev.reset(d.s, line[a:b], nil)
	d.tsNull = false
	if err := d.object(ev.Raw, ev, a); err != nil {
		return err
	}
	w, ok := ev.word(d.s.Time)
	if !ok {
		if d.tsNull {
			return &DecodeError{Reason: "timestamp field " + quote(d.s.Fields[d.s.Time].Name) + " is null"}
		}
		return &DecodeError{Reason: "missing timestamp field " + quote(d.s.Fields[d.s.Time].Name)}
	}
	ev.Time = int64(w)
	return nil
}

func quote(s string) string { return quoteCut([]byte(s)) }

func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }

func trimSpace(b []byte) (int, int) {
	i, j := 0, len(b)
	for i < j && isSpace(b[i]) {
		i++
	}
	for j > i && isSpace(b[j-1]) {
		j--
	}
	return i, j
}

func skipWS(b []byte, i int) int {
	for i < len(b) && isSpace(b[i]) {
		i++
	}
	return i
}

// object parses the line's object into ev. off is the offset of buf in the
// caller's line, for error messages.
func (d *JSONDecoder) object(buf []byte, ev *Event, off int) error {
	if buf[0] != '{' {
		if k := kindOf(buf[0]); k != "" {
			return &DecodeError{Reason: "expected a JSON object, got " + k}
		}
		return syntaxErr(off, "invalid character %q", buf[0])
	}
	i := skipWS(buf, 1)
	if i < len(buf) && buf[i] == '}' {
		i++
	} else {
		for k := 0; ; k++ {
			if i >= len(buf) {
				return syntaxErr(off+i, "unexpected end of input")
			}
			if buf[i] != '"' {
				return syntaxErr(off+i, "expected a string key, got %q", buf[i])
			}
			// Try the field found at this position in the last line first:
			// lines of a stream usually list their keys in the same order.
			var end int
			f := -1
			if k < len(d.guess) && d.guess[k] >= 0 {
				if p := d.quoted[d.guess[k]]; p != nil && bytes.HasPrefix(buf[i+1:], p) {
					f, end = int(d.guess[k]), i+1+len(p)
				}
			}
			if f < 0 {
				var esc bool
				var err error
				if end, esc, err = quickString(buf, i, off); err != nil {
					return err
				}
				key := buf[i+1 : end-1]
				if esc {
					d.scratch = unescape(d.scratch[:0], key)
					key = d.scratch
				}
				f = d.lookup(k, key)
			}
			var err error
			i = skipWS(buf, end)
			if i >= len(buf) {
				return syntaxErr(off+i, "unexpected end of input")
			}
			if buf[i] != ':' {
				return syntaxErr(off+i, "expected ':' after object key, got %q", buf[i])
			}
			i = skipWS(buf, i+1)
			if i >= len(buf) {
				return syntaxErr(off+i, "unexpected end of input")
			}
			if f < 0 {
				i, err = d.skip(buf, i, off)
			} else {
				i, err = d.field(buf, i, off, ev, f)
			}
			if err != nil {
				return err
			}
			i = skipWS(buf, i)
			if i >= len(buf) {
				return syntaxErr(off+i, "unexpected end of input")
			}
			if buf[i] == ',' {
				i = skipWS(buf, i+1)
				continue
			}
			if buf[i] == '}' {
				i++
				break
			}
			return syntaxErr(off+i, "expected ',' or '}' after object member, got %q", buf[i])
		}
	}
	if i = skipWS(buf, i); i != len(buf) {
		return syntaxErr(off+i, "unexpected %q after the object", buf[i])
	}
	return nil
}

// lookup finds the field named key, the k-th key of the line, and remembers
// it for the next line.
func (d *JSONDecoder) lookup(k int, key []byte) int {
	f, ok := d.s.byName[string(key)]
	if !ok {
		f = -1
	}
	if k < 1024 { // the prediction is for ordinary lines, not huge objects
		for len(d.guess) <= k {
			d.guess = append(d.guess, -1)
		}
		d.guess[k] = int32(f)
	}
	return f
}

// kindOf names the JSON type of a value starting with c, or "" if no value starts so.
func kindOf(c byte) string {
	switch {
	case c == '"':
		return "string"
	case c == '{':
		return "object"
	case c == '[':
		return "array"
	case c == 't' || c == 'f':
		return "bool"
	case c == 'n':
		return "null"
	case c == '-' || c-'0' <= 9:
		return "number"
	}
	return ""
}

var expected = [...]string{
	String: "a string",
	Int:    "an integer",
	Float:  "a number",
	Bool:   "true or false",
	Time:   "an RFC 3339 string or epoch milliseconds",
}

// field parses the value at buf[i] (not space, not past the end) into slot f.
func (d *JSONDecoder) field(buf []byte, i, off int, ev *Event, f int) (int, error) {
	t := d.s.Fields[f].Type
	c := buf[i]
	switch {
	case c == 'n':
		end, err := literal(buf, i, off, "null")
		if err == nil {
			ev.SetNull(f)
			if f == d.s.Time {
				d.tsNull = true
			}
		}
		return end, err
	case c == '"' && (t == String || t == Time):
		end, esc, err := quickString(buf, i, off)
		if err != nil {
			return end, err
		}
		s := buf[i+1 : end-1]
		if esc {
			d.scratch = unescape(d.scratch[:0], s)
			s = d.scratch
		}
		if t == Time {
			ms, ok := parseRFC3339(s)
			if !ok {
				return end, fieldErr(d.s.Fields[f].Name, "invalid RFC 3339 time %s", quoteCut(s))
			}
			ev.setWord(f, uint64(ms))
			return end, nil
		}
		var v string
		if esc {
			v = string(s)
		} else if len(s) > 0 {
			v = unsafe.String(&s[0], len(s)) // points into ev.Raw, which never changes
		}
		ev.strs[d.s.sidx[f]] = v
		ev.setWord(f, uint64(d.s.sidx[f]))
		return end, nil
	case (c == '-' || c-'0' <= 9) && (t == Int || t == Float || t == Time):
		end, ok := scanNumber(buf, i)
		if !ok {
			if end >= len(buf) {
				return end, syntaxErr(off+end, "unexpected end of input")
			}
			return end, syntaxErr(off+end, "invalid character %q in number", buf[end])
		}
		tok := buf[i:end]
		if t == Float {
			v, ok := parseFloat(tok)
			if !ok {
				return end, fieldErr(d.s.Fields[f].Name, "number %s out of range", cut(tok))
			}
			ev.setWord(f, floatBits(v))
			return end, nil
		}
		v, r := parseIntegral(tok)
		switch r {
		case numNotIntegral:
			return end, fieldErr(d.s.Fields[f].Name, "expected %s, got %s", expected[t], cut(tok))
		case numRange:
			return end, fieldErr(d.s.Fields[f].Name, "integer %s out of range", cut(tok))
		}
		ev.setWord(f, uint64(v))
		return end, nil
	case (c == 't' || c == 'f') && t == Bool:
		if c == 't' {
			end, err := literal(buf, i, off, "true")
			if err == nil {
				ev.setWord(f, 1)
			}
			return end, err
		}
		end, err := literal(buf, i, off, "false")
		if err == nil {
			ev.setWord(f, 0)
		}
		return end, err
	}
	if k := kindOf(c); k != "" {
		return i, fieldErr(d.s.Fields[f].Name, "expected %s, got %s", expected[t], k)
	}
	return i, syntaxErr(off+i, "invalid character %q looking for a value", c)
}

// literal checks that buf[i:] starts with lit (true, false or null).
func literal(buf []byte, i, off int, lit string) (int, error) {
	for k := 0; k < len(lit); k++ {
		if i+k >= len(buf) {
			return i + k, syntaxErr(off+i+k, "unexpected end of input")
		}
		if buf[i+k] != lit[k] {
			return i + k, syntaxErr(off+i+k, "invalid character %q in literal %s", buf[i+k], lit)
		}
	}
	return i + len(lit), nil
}

// quickString is scanString with the common case, a short string of plain
// ASCII, inlined.
func quickString(buf []byte, i, off int) (int, bool, error) {
	j := i + 1
	for j+8 <= len(buf) && !special8(binary.LittleEndian.Uint64(buf[j:])) {
		j += 8
	}
	for j < len(buf) && jsonSafe[buf[j]] {
		j++
	}
	if j < len(buf) && buf[j] == '"' {
		return j + 1, false, nil
	}
	return scanString(buf, i, off)
}

// special8 reports whether any of 8 bytes is not jsonSafe: a quote, a
// backslash, a control character or a byte >= 0x80 (bit tricks from
// "Bit Twiddling Hacks": determine if a word has a byte equal to / less than n).
func special8(x uint64) bool {
	const lo, hi = 0x0101010101010101, 0x8080808080808080
	quote := x ^ (lo * '"')
	bslash := x ^ (lo * '\\')
	return ((quote-lo)&^quote|(bslash-lo)&^bslash|(x-lo*0x20)&^x|x)&hi != 0
}

// scanString checks the string starting at buf[i] == '"' and returns the
// index after its closing quote and whether it contains escapes.
func scanString(buf []byte, i, off int) (int, bool, error) {
	esc := false
	i++
	for {
		for i < len(buf) && jsonSafe[buf[i]] {
			i++
		}
		if i >= len(buf) {
			return i, esc, syntaxErr(off+i, "unexpected end of input in string")
		}
		switch c := buf[i]; {
		case c == '"':
			return i + 1, esc, nil
		case c == '\\':
			esc = true
			if i+1 >= len(buf) {
				return i, esc, syntaxErr(off+i+1, "unexpected end of input in string")
			}
			switch buf[i+1] {
			case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
				i += 2
			case 'u':
				if i+6 > len(buf) {
					return i, esc, syntaxErr(off+i, "unexpected end of input in \\u escape")
				}
				if _, ok := hex4(buf[i+2 : i+6]); !ok {
					return i, esc, syntaxErr(off+i, "invalid \\u escape %q", buf[i:i+6])
				}
				i += 6
			default:
				return i, esc, syntaxErr(off+i, "invalid escape %q in string", buf[i:i+2])
			}
		case c < 0x20:
			return i, esc, syntaxErr(off+i, "control character %q in string", c)
		default:
			r, size := utf8.DecodeRune(buf[i:])
			if r == utf8.RuneError && size == 1 {
				return i, esc, syntaxErr(off+i, "invalid UTF-8 in string")
			}
			i += size
		}
	}
}

func hex4(b []byte) (rune, bool) {
	var r rune
	for _, c := range b {
		switch {
		case c-'0' <= 9:
			c -= '0'
		case c|0x20-'a' <= 5:
			c = c | 0x20 - 'a' + 10
		default:
			return 0, false
		}
		r = r<<4 | rune(c)
	}
	return r, true
}

// unescape appends the content of a checked JSON string (without quotes) to
// dst, decoding escapes. A lone surrogate becomes U+FFFD, as in encoding/json.
func unescape(dst, s []byte) []byte {
	for i := 0; i < len(s); {
		c := s[i]
		if c != '\\' {
			dst = append(dst, c)
			i++
			continue
		}
		switch s[i+1] {
		case 'b':
			dst = append(dst, '\b')
		case 'f':
			dst = append(dst, '\f')
		case 'n':
			dst = append(dst, '\n')
		case 'r':
			dst = append(dst, '\r')
		case 't':
			dst = append(dst, '\t')
		case 'u':
			r, _ := hex4(s[i+2 : i+6])
			i += 6
			if utf16.IsSurrogate(r) {
				r2 := rune(-1)
				if i+6 <= len(s) && s[i] == '\\' && s[i+1] == 'u' {
					r2, _ = hex4(s[i+2 : i+6])
				}
				if dec := utf16.DecodeRune(r, r2); dec != utf8.RuneError {
					r = dec
					i += 6
				} else {
					r = utf8.RuneError
				}
			}
			dst = utf8.AppendRune(dst, r)
			continue
		default: // " \ /
			dst = append(dst, s[i+1])
		}
		i += 2
	}
	return dst
}

// skip checks and skips any JSON value starting at buf[i] (not space, not
// past the end): the value of an undeclared field.
func (d *JSONDecoder) skip(buf []byte, i, off int) (int, error) {
	stack := d.stack[:0]
	defer func() { d.stack = stack }()
	var err error
	for {
		// A value starts at i.
		if i >= len(buf) {
			return i, syntaxErr(off+i, "unexpected end of input")
		}
		switch c := buf[i]; {
		case c == '{' || c == '[':
			if len(stack)+2 > maxDepth { // with the line's object
				return i, syntaxErr(off+i, "nesting deeper than %d", maxDepth)
			}
			closing := c + 2 // '}' or ']'
			i = skipWS(buf, i+1)
			if i < len(buf) && buf[i] == closing {
				i++
				break
			}
			stack = append(stack, closing)
			if c == '{' {
				if i, err = objectKey(buf, i, off); err != nil {
					return i, err
				}
			}
			continue
		case c == '"':
			if i, _, err = scanString(buf, i, off); err != nil {
				return i, err
			}
		case c == 't':
			if i, err = literal(buf, i, off, "true"); err != nil {
				return i, err
			}
		case c == 'f':
			if i, err = literal(buf, i, off, "false"); err != nil {
				return i, err
			}
		case c == 'n':
			if i, err = literal(buf, i, off, "null"); err != nil {
				return i, err
			}
		case c == '-' || c-'0' <= 9:
			end, ok := scanNumber(buf, i)
			if !ok {
				if end >= len(buf) {
					return end, syntaxErr(off+end, "unexpected end of input")
				}
				return end, syntaxErr(off+end, "invalid character %q in number", buf[end])
			}
			i = end
		default:
			return i, syntaxErr(off+i, "invalid character %q looking for a value", c)
		}
		// After a value: close containers until a ',' says another value follows.
	after:
		for {
			if len(stack) == 0 {
				return i, nil
			}
			i = skipWS(buf, i)
			if i >= len(buf) {
				return i, syntaxErr(off+i, "unexpected end of input")
			}
			top := stack[len(stack)-1]
			switch buf[i] {
			case top:
				stack = stack[:len(stack)-1]
				i++
			case ',':
				i = skipWS(buf, i+1)
				if top == '}' {
					if i, err = objectKey(buf, i, off); err != nil {
						return i, err
					}
				}
				break after
			default:
				return i, syntaxErr(off+i, "expected ',' or %q, got %q", top, buf[i])
			}
		}
	}
}

// objectKey skips `"key" :` and the space after it.
func objectKey(buf []byte, i, off int) (int, error) {
	if i >= len(buf) {
		return i, syntaxErr(off+i, "unexpected end of input")
	}
	if buf[i] != '"' {
		return i, syntaxErr(off+i, "expected a string key, got %q", buf[i])
	}
	i, _, err := scanString(buf, i, off)
	if err != nil {
		return i, err
	}
	i = skipWS(buf, i)
	if i >= len(buf) {
		return i, syntaxErr(off+i, "unexpected end of input")
	}
	if buf[i] != ':' {
		return i, syntaxErr(off+i, "expected ':' after object key, got %q", buf[i])
	}
	return skipWS(buf, i+1), nil
}

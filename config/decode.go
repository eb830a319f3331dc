package config

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"reflect"
	"regexp"
	"strconv"
	"strings"
	"time"

	"gopkg.in/yaml.v3"

	"github.com/kestrelcep/kestrel/expr"
)

// The decoder walks the YAML node tree against Config's types itself,
// rather than through yaml.v3's Decode with KnownFields: that way every
// problem is found in one pass, each names its full path (outputs.alerts[0].
// kafka, not "type config.KafkaSink") and line, ${VAR} is expanded in values
// only, and a key the file leaves out keeps Default's value.
//
// Types it reads: structs (by yaml tag), map[string]T, []T, pointers to
// structs (present or not: a kind selector), string, bool, int,
// time.Duration (KRL) and ByteSize.
type decoder struct {
	file   string
	lookup func(string) (string, bool)
	lines  map[string]int // path → line, of every key and list item the file sets
	errs   ErrorList
	budget int // values left to visit: bounds the expansion of aliases
}

// maxValues bounds the values visited, aliases expanded; a real
// configuration has a few hundred.
const maxValues = 1 << 16

var (
	durationType = reflect.TypeFor[time.Duration]()
	byteSizeType = reflect.TypeFor[ByteSize]()
	yamlLine     = regexp.MustCompile(`^yaml: line (\d+): (.*)$`)
)

// maxErrors bounds the problems reported: past it, the file is not a
// configuration with a few mistakes.
const maxErrors = 50

func (d *decoder) errorf(line int, path, format string, args ...any) {
	switch {
	case len(d.errs) < maxErrors:
		d.errs = append(d.errs, &Error{File: d.file, Line: line, Path: path, Msg: fmt.Sprintf(format, args...)})
	case len(d.errs) == maxErrors:
		d.errs = append(d.errs, &Error{File: d.file, Line: line, Msg: "too many problems; stopped here"})
	}
}

// document decodes src into c.
func (d *decoder) document(src []byte, c *Config) {
	defer func() {
		// yaml.v3 has panicked on malformed input before; a bad file is an
		// error, never a crash. The fuzz target fails on this message.
		if r := recover(); r != nil {
			d.errorf(0, "", "internal error: cannot parse YAML: %v", r)
		}
	}()
	d.budget = maxValues
	dec := yaml.NewDecoder(bytes.NewReader(src))
	var doc yaml.Node
	if err := dec.Decode(&doc); err != nil {
		if !errors.Is(err, io.EOF) { // io.EOF: an empty file, the default
			d.yamlError(err)
		}
		return
	}
	var extra yaml.Node
	switch err := dec.Decode(&extra); {
	case err == nil:
		d.errorf(extra.Line, "", "a second YAML document; the configuration is one document")
	case !errors.Is(err, io.EOF):
		d.yamlError(err)
	}
	if doc.Kind != yaml.DocumentNode || len(doc.Content) == 0 {
		return
	}
	d.value(doc.Content[0], reflect.ValueOf(c).Elem(), "")
}

// yamlError turns yaml.v3's "yaml: line 3: message" into an Error.
func (d *decoder) yamlError(err error) {
	msg := err.Error()
	if m := yamlLine.FindStringSubmatch(msg); m != nil {
		line, _ := strconv.Atoi(m[1])
		d.errorf(line, "", "%s", m[2])
		return
	}
	d.errorf(0, "", "%s", strings.TrimPrefix(msg, "yaml: "))
}

// resolve follows aliases to the node they name.
func resolve(n *yaml.Node) *yaml.Node {
	for i := 0; n.Kind == yaml.AliasNode && n.Alias != nil && i < 100; i++ {
		n = n.Alias
	}
	return n
}

func isNull(n *yaml.Node) bool {
	return n.Kind == yaml.ScalarNode && n.ShortTag() == "!!null"
}

// describe names what n is, for "expected X, found Y".
func describe(n *yaml.Node) string {
	switch n.Kind {
	case yaml.MappingNode:
		return "a mapping"
	case yaml.SequenceNode:
		return "a list"
	case yaml.ScalarNode:
		v := n.Value
		if len(v) > 40 {
			v = v[:40] + "..."
		}
		return strconv.Quote(v)
	}
	return "an alias"
}

// value decodes n into v, at path.
func (d *decoder) value(n *yaml.Node, v reflect.Value, path string) {
	if d.budget--; d.budget < 0 {
		if d.budget == -1 {
			d.errorf(n.Line, path, "more than %d values (after expanding aliases)", maxValues)
		}
		return
	}
	n = resolve(n)
	t := v.Type()
	if isNull(n) {
		// Null keeps the default, except for a kind selector (`http:`),
		// which a null selects.
		if t.Kind() == reflect.Pointer && v.IsNil() {
			v.Set(reflect.New(t.Elem()))
		}
		return
	}
	switch t {
	case durationType:
		if s, ok := d.scalar(n, path, "a duration such as 10s"); ok {
			dur, err := ParseDuration(s)
			if err != nil {
				d.errorf(n.Line, path, "%v", err)
				return
			}
			v.SetInt(int64(dur))
		}
		return
	case byteSizeType:
		if s, ok := d.scalar(n, path, "a size such as 10MiB"); ok {
			b, err := ParseByteSize(s)
			if err != nil {
				d.errorf(n.Line, path, "%v", err)
				return
			}
			v.SetInt(int64(b))
		}
		return
	}
	switch t.Kind() {
	case reflect.Pointer:
		if v.IsNil() {
			v.Set(reflect.New(t.Elem()))
		}
		d.value(n, v.Elem(), path)
	case reflect.Struct:
		fields := map[string]int{}
		var names []string
		for i := range t.NumField() {
			if tag := t.Field(i).Tag.Get("yaml"); tag != "" {
				fields[tag] = i
				names = append(names, tag)
			}
		}
		d.entries(n, path, func(kn, vn *yaml.Node) {
			i, ok := fields[kn.Value]
			if !ok {
				msg := fmt.Sprintf("unknown key %q", kn.Value)
				if len(names) == 0 {
					msg += "; it takes no keys"
				} else if near := expr.Nearest(kn.Value, names); near != "" {
					msg += fmt.Sprintf(" (did you mean %q?)", near)
				} else {
					msg += "; known keys: " + strings.Join(names, ", ")
				}
				d.errorf(kn.Line, path, "%s", msg)
				return
			}
			p := join(path, kn.Value)
			d.lines[p] = kn.Line
			d.value(vn, v.Field(i), p)
		})
	case reflect.Map:
		d.entries(n, path, func(kn, vn *yaml.Node) {
			if kn.Value == "" {
				d.errorf(kn.Line, path, "an empty name")
				return
			}
			p := join(path, kn.Value)
			d.lines[p] = kn.Line
			elem := reflect.New(t.Elem()).Elem()
			if vn := resolve(vn); !isNull(vn) {
				d.value(vn, elem, p)
			}
			if v.IsNil() {
				v.Set(reflect.MakeMap(t))
			}
			v.SetMapIndex(reflect.ValueOf(kn.Value), elem)
		})
	case reflect.Slice:
		switch {
		case n.Kind == yaml.SequenceNode:
			if len(n.Content) == 0 {
				v.Set(reflect.Zero(t))
				return
			}
			s := reflect.MakeSlice(t, len(n.Content), len(n.Content))
			for i, item := range n.Content {
				p := fmt.Sprintf("%s[%d]", path, i)
				d.lines[p] = item.Line
				d.value(item, s.Index(i), p)
			}
			v.Set(s)
		case n.Kind == yaml.ScalarNode && t.Elem().Kind() == reflect.String:
			// A single string for a list of them: rules: ./rules.
			s := reflect.MakeSlice(t, 1, 1)
			d.value(n, s.Index(0), path)
			v.Set(s)
		default:
			d.errorf(n.Line, path, "expected a list, found %s", describe(n))
		}
	case reflect.String:
		if s, ok := d.scalar(n, path, "a string"); ok {
			v.SetString(s)
		}
	case reflect.Bool:
		if s, ok := d.scalar(n, path, "true or false"); ok {
			switch strings.ToLower(s) {
			case "true", "yes", "on":
				v.SetBool(true)
			case "false", "no", "off":
				v.SetBool(false)
			default:
				d.errorf(n.Line, path, "expected true or false, found %q", s)
			}
		}
	case reflect.Int:
		if s, ok := d.scalar(n, path, "an integer"); ok {
			i, err := strconv.ParseInt(s, 10, strconv.IntSize)
			if err != nil {
				d.errorf(n.Line, path, "expected an integer, found %q", s)
				return
			}
			v.SetInt(i)
		}
	default:
		panic(fmt.Sprintf("config: cannot decode into %s", t)) // a Config field of a new type
	}
}

// entries calls f for every key of the mapping n and its value: merged
// mappings (<<: *anchor) first, so that the mapping's own keys win.
func (d *decoder) entries(n *yaml.Node, path string, f func(kn, vn *yaml.Node)) {
	if n.Kind != yaml.MappingNode {
		d.errorf(n.Line, path, "expected a mapping, found %s", describe(n))
		return
	}
	seen := map[string]int{}
	var own [][2]*yaml.Node
	for i := 0; i+1 < len(n.Content); i += 2 {
		kn, vn := resolve(n.Content[i]), n.Content[i+1]
		if kn.Kind != yaml.ScalarNode {
			d.errorf(kn.Line, path, "expected a name as key, found %s", describe(kn))
			continue
		}
		if kn.ShortTag() == "!!merge" {
			d.merge(resolve(vn), path, f)
			continue
		}
		if first, dup := seen[kn.Value]; dup {
			d.errorf(kn.Line, path, "key %q appears twice (first on line %d)", kn.Value, first)
			continue
		}
		seen[kn.Value] = kn.Line
		own = append(own, [2]*yaml.Node{kn, vn})
	}
	for _, e := range own {
		f(e[0], e[1])
	}
}

// merge applies a merge key's value: a mapping, or a list of them where the
// earlier win.
func (d *decoder) merge(n *yaml.Node, path string, f func(kn, vn *yaml.Node)) {
	if d.budget--; d.budget < 0 {
		return
	}
	switch n.Kind {
	case yaml.MappingNode:
		d.entries(n, path, f)
	case yaml.SequenceNode:
		for i := len(n.Content) - 1; i >= 0; i-- {
			if m := resolve(n.Content[i]); m.Kind == yaml.MappingNode {
				d.entries(m, path, f)
			} else {
				d.errorf(m.Line, path, "<< merges a mapping or a list of them, not %s", describe(m))
			}
		}
	default:
		d.errorf(n.Line, path, "<< merges a mapping or a list of them, not %s", describe(n))
	}
}

// scalar returns the text of the scalar n with ${VAR} expanded.
func (d *decoder) scalar(n *yaml.Node, path, want string) (string, bool) {
	if n.Kind != yaml.ScalarNode {
		d.errorf(n.Line, path, "expected %s, found %s", want, describe(n))
		return "", false
	}
	s, errs := expand(n.Value, d.lookup)
	for _, e := range errs {
		d.errorf(n.Line, path, "%s", e)
	}
	return s, len(errs) == 0
}

// expand replaces ${NAME} and ${NAME:-default} in s; $${ is a literal ${
// and any other $ is itself. It reports every variable that is unset.
func expand(s string, lookup func(string) (string, bool)) (string, []string) {
	if !strings.Contains(s, "${") {
		return s, nil
	}
	var b strings.Builder
	var errs []string
	for i := 0; i < len(s); {
		switch {
		case strings.HasPrefix(s[i:], "$${"):
			b.WriteString("${")
			i += 3
		case strings.HasPrefix(s[i:], "${"):
			end := strings.IndexByte(s[i+2:], '}')
			if end < 0 {
				errs = append(errs, fmt.Sprintf("%q: ${ without a closing }; write $${ for a literal ${", s))
				return s, errs
			}
			inner := s[i+2 : i+2+end]
			i += 2 + end + 1
			name, def, hasDef := strings.Cut(inner, ":-")
			if !isVarName(name) {
				errs = append(errs, fmt.Sprintf("${%s}: %q is not a variable name (letters, digits and _, not first a digit)", inner, name))
				continue
			}
			val, ok := lookup(name)
			switch {
			case hasDef && (!ok || val == ""):
				val = def
			case !ok:
				errs = append(errs, fmt.Sprintf("environment variable %s is not set", name))
			}
			b.WriteString(val)
		default:
			b.WriteByte(s[i])
			i++
		}
	}
	return b.String(), errs
}

func isVarName(s string) bool {
	if s == "" || ('0' <= s[0] && s[0] <= '9') {
		return false
	}
	for _, r := range s {
		if !(r == '_' || 'a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' || '0' <= r && r <= '9') {
			return false
		}
	}
	return true
}

// join appends a key to a path: a.b, or a["odd key"] when the key is not a
// plain name.
func join(path, key string) string {
	plain := key != ""
	for _, r := range key {
		if !(r == '_' || r == '-' || 'a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' || '0' <= r && r <= '9') {
			plain = false
			break
		}
	}
	switch {
	case !plain:
		return fmt.Sprintf("%s[%q]", path, key)
	case path == "":
		return key
	}
	return path + "." + key
}

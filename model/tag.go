package model

import (
	"go/ast"
	"go/token"
	"strconv"
	"strings"
	"unicode/utf8"
)

// option is one item of a strata tag: key or key:value.
type option struct {
	key, value string
	hasValue   bool
	pos        token.Position
}

// tagRef locates a struct tag in source so that options can be reported at
// their own column.
type tagRef struct {
	tag string
	// pos is the position of the tag's first byte; exact is false when the
	// literal is not a raw string, and offsets inside it are then unreliable.
	pos   token.Position
	exact bool
}

// newTagRef returns the tag of a field: positioned at its literal (at litPos)
// when the source is loaded, else at the field.
func newTagRef(tag string, lit *ast.BasicLit, litPos, fieldPos token.Position) tagRef {
	if lit == nil {
		return tagRef{tag: tag, pos: fieldPos}
	}
	p := litPos
	if strings.HasPrefix(lit.Value, "`") {
		p.Column++
		p.Offset++
		return tagRef{tag: tag, pos: p, exact: true}
	}
	return tagRef{tag: tag, pos: p}
}

// at returns the position of byte off of the tag.
func (r tagRef) at(off int) token.Position {
	p := r.pos
	if r.exact {
		p.Column += off
		p.Offset += off
	}
	return p
}

// lookup is reflect.StructTag.Lookup that also returns, for each byte of
// the value, its offset in the tag (escapes make the two differ), plus
// the offset just past the value.
func (r tagRef) lookup(key string) (value string, at []int, ok bool) {
	tag := r.tag
	base := 0
	for tag != "" {
		i := 0
		for i < len(tag) && tag[i] == ' ' {
			i++
		}
		tag = tag[i:]
		base += i
		if tag == "" {
			break
		}
		i = 0
		for i < len(tag) && tag[i] > ' ' && tag[i] != ':' && tag[i] != '"' && tag[i] != 0x7f {
			i++
		}
		if i == 0 || i+1 >= len(tag) || tag[i] != ':' || tag[i+1] != '"' {
			break
		}
		name := tag[:i]
		tag = tag[i+1:]
		base += i + 1
		i = 1
		for i < len(tag) && tag[i] != '"' {
			if tag[i] == '\\' {
				i++
			}
			i++
		}
		if i >= len(tag) {
			break
		}
		qvalue := tag[:i+1]
		tag = tag[i+1:]
		if name == key {
			v, at, err := unquote(qvalue)
			if err != nil {
				break
			}
			for i := range at {
				at[i] += base
			}
			return v, at, true
		}
		base += i + 1
	}
	return "", nil, false
}

// unquote is strconv.Unquote of a double-quoted string that also returns,
// for each byte of the result, the offset in q of the character it came
// from, and len(q)-1 for the position after the last byte.
func unquote(q string) (string, []int, error) {
	if len(q) < 2 || q[0] != '"' || q[len(q)-1] != '"' {
		return "", nil, strconv.ErrSyntax
	}
	raw := q[1 : len(q)-1]
	var (
		b  []byte
		at []int
	)
	for rest := raw; rest != ""; {
		from := 1 + len(raw) - len(rest)
		r, multibyte, tail, err := strconv.UnquoteChar(rest, '"')
		if err != nil {
			return "", nil, err
		}
		n := len(b)
		if r < utf8.RuneSelf || !multibyte {
			b = append(b, byte(r))
		} else {
			b = utf8.AppendRune(b, r)
		}
		for range len(b) - n {
			at = append(at, from)
		}
		rest = tail
	}
	return string(b), append(at, len(q)-1), nil
}

// options parses the strata tag: ';'-separated items, each key or
// key:value; a ';' inside quotes or parentheses does not separate.
func (r tagRef) options() []option {
	v, at, ok := r.lookup("strata")
	if !ok {
		return nil
	}
	off := 0
	var opts []option
	// A ; inside quotes or parentheses belongs to the value:
	// default:'a;b', check:(x <> ';').
	for _, item := range splitOutside(v, ';') {
		lead := len(item) - len(strings.TrimLeft(item, " \t"))
		text := strings.TrimSpace(item)
		if text != "" {
			key, value, has := strings.Cut(text, ":")
			opts = append(opts, option{
				key:      strings.TrimSpace(key),
				value:    strings.TrimSpace(value),
				hasValue: has,
				pos:      r.at(at[off+lead]),
			})
		}
		off += len(item) + 1
	}
	return opts
}

// dbName returns the column name in the db tag (before any comma).
func (r tagRef) dbName() (string, bool) {
	v, _, ok := r.lookup("db")
	if !ok {
		return "", false
	}
	name, _, _ := strings.Cut(v, ",")
	return name, name != ""
}

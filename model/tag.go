package model

import (
	"go/ast"
	"go/token"
	"strconv"
	"strings"
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

// lookup is reflect.StructTag.Lookup that also returns the offset of the
// value's first byte in the tag.
func (r tagRef) lookup(key string) (value string, off int, ok bool) {
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
			v, err := strconv.Unquote(qvalue)
			if err != nil {
				break
			}
			return v, base + 1, true
		}
		base += i + 1
	}
	return "", 0, false
}

// options parses the strata tag: ';'-separated items, each key or
// key:value; a ';' inside quotes or parentheses does not separate.
func (r tagRef) options() []option {
	v, off, ok := r.lookup("strata")
	if !ok {
		return nil
	}
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
				pos:      r.at(off + lead),
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

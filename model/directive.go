package model

import (
	"fmt"
	"go/ast"
	"go/token"
	"strings"

	"github.com/strata-db/strata/dialect"
)

// directive is one //strata:KIND ARGS line of a type's doc comment.
type directive struct {
	kind, args string
	pos        token.Position // of the kind
	argsPos    token.Position
}

const directivePrefix = "//strata:"

// directives returns the strata directives in the doc comments.
func directives(fset *token.FileSet, docs ...*ast.CommentGroup) []directive {
	var out []directive
	for _, g := range docs {
		if g == nil {
			continue
		}
		for _, c := range g.List {
			rest, ok := strings.CutPrefix(c.Text, directivePrefix)
			if !ok {
				continue
			}
			pos := fset.Position(c.Pos())
			pos.Column += len("//")
			pos.Offset += len("//")
			kind, args, _ := strings.Cut(rest, " ")
			argsPos := pos
			shift := len("strata:") + len(kind) + 1 + len(args) - len(strings.TrimLeft(args, " \t"))
			argsPos.Column += shift
			argsPos.Offset += shift
			out = append(out, directive{kind: kind, args: strings.TrimSpace(args), pos: pos, argsPos: argsPos})
		}
	}
	return out
}

// indexPart is one part of a //strata:index: a column or a parenthesised
// expression, optionally descending.
type indexPart struct {
	column, expr string
	desc         bool
}

// indexDirective is a parsed //strata:index NAME (PART, ...) [unique] [where EXPR].
type indexDirective struct {
	name   string
	parts  []indexPart
	unique bool
	where  string
}

// parseIndexDirective parses the arguments of //strata:index.
func parseIndexDirective(args string) (*indexDirective, error) {
	name, rest, _ := strings.Cut(args, " ")
	rest = strings.TrimSpace(rest)
	if name == "" || strings.HasPrefix(name, "(") || !strings.HasPrefix(rest, "(") {
		return nil, fmt.Errorf("want //strata:index NAME (PART, ...) [unique] [where EXPR]")
	}
	end := dialect.ClosingParen(rest)
	if end < 0 {
		return nil, fmt.Errorf("unbalanced parentheses in index parts")
	}
	ix := &indexDirective{name: name}
	for _, p := range splitTop(rest[1:end]) {
		part, err := parseIndexPart(p)
		if err != nil {
			return nil, err
		}
		ix.parts = append(ix.parts, part)
	}
	tail := strings.TrimSpace(rest[end+1:])
	if word, after, _ := strings.Cut(tail, " "); strings.EqualFold(word, "unique") {
		ix.unique = true
		tail = strings.TrimSpace(after)
	}
	if tail != "" {
		word, after, _ := strings.Cut(tail, " ")
		if !strings.EqualFold(word, "where") || strings.TrimSpace(after) == "" {
			return nil, fmt.Errorf("unexpected %q after index parts (want unique or where EXPR)", tail)
		}
		ix.where = strings.TrimSpace(after)
	}
	return ix, nil
}

func parseIndexPart(p string) (indexPart, error) {
	p = strings.TrimSpace(p)
	var part indexPart
	if strings.HasPrefix(p, "(") {
		end := dialect.ClosingParen(p)
		if end < 0 {
			return part, fmt.Errorf("unbalanced parentheses in index part %q", p)
		}
		part.expr = strings.TrimSpace(p[1:end])
		p = strings.TrimSpace(p[end+1:])
	} else {
		part.column, p, _ = strings.Cut(p, " ")
		p = strings.TrimSpace(p)
	}
	switch {
	case p == "" || strings.EqualFold(p, "asc"):
	case strings.EqualFold(p, "desc"):
		part.desc = true
	default:
		return part, fmt.Errorf("bad index part: unexpected %q (want DESC or ASC)", p)
	}
	if part.column == "" && part.expr == "" {
		return part, fmt.Errorf("empty index part")
	}
	return part, nil
}

// splitTop splits s at commas outside parentheses and quotes.
func splitTop(s string) []string { return splitOutside(s, ',') }

// splitOutside splits s at sep where it is outside parentheses and quotes.
func splitOutside(s string, sep byte) []string {
	var (
		parts []string
		depth int
		quote byte
		start int
	)
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case quote != 0:
			if c == quote {
				quote = 0
			}
		case c == '\'' || c == '"' || c == '`':
			quote = c
		case c == '(':
			depth++
		case c == ')':
			depth--
		case c == sep && depth == 0:
			parts = append(parts, s[start:i])
			start = i + 1
		}
	}
	return append(parts, s[start:])
}

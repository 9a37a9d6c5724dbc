package model

import (
	"fmt"
	"go/ast"
	"go/token"
	"strconv"
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

// indexPart is one part of a //strata:index: a column (with a prefix
// length, column(N)) or a parenthesised expression, then an operator class
// and ASC or DESC, each optional.
type indexPart struct {
	column, expr string
	prefix       int
	opclass      string
	desc         bool
}

// indexDirective is a parsed //strata:index NAME (PART, ...) [unique]
// [using METHOD] [include (COLUMN, ...)] [nulls not distinct] [where EXPR].
type indexDirective struct {
	name             string
	parts            []indexPart
	unique           bool
	using            string
	include          []string
	nullsNotDistinct bool
	where            string
}

const indexSyntax = "//strata:index NAME (PART, ...) [unique] [using METHOD] [include (COLUMN, ...)] [nulls not distinct] [where EXPR]"

// parseIndexDirective parses the arguments of //strata:index.
func parseIndexDirective(args string) (*indexDirective, error) {
	name, rest, _ := strings.Cut(args, " ")
	rest = strings.TrimSpace(rest)
	if name == "" || strings.HasPrefix(name, "(") || !strings.HasPrefix(rest, "(") {
		return nil, fmt.Errorf("want %s", indexSyntax)
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
	return ix, ix.clauses(strings.TrimSpace(rest[end+1:]))
}

// clauses parses what follows the parts of an index; where, which takes
// the rest of the line, comes last.
func (ix *indexDirective) clauses(tail string) error {
	seen := map[string]bool{}
	for tail != "" {
		word, after, _ := strings.Cut(tail, " ")
		word, after = strings.ToLower(word), strings.TrimSpace(after)
		if seen[word] {
			return fmt.Errorf("%s given twice", word)
		}
		seen[word] = true
		switch word {
		case "unique":
			ix.unique, tail = true, after
		case "using":
			ix.using, tail, _ = strings.Cut(after, " ")
			if ix.using == "" {
				return fmt.Errorf("using needs a method: using METHOD")
			}
		case "include":
			end := dialect.ClosingParen(after)
			if !strings.HasPrefix(after, "(") || end < 0 {
				return fmt.Errorf("include needs a column list: include (COLUMN, ...)")
			}
			for _, c := range splitTop(after[1:end]) {
				if c = strings.TrimSpace(c); c == "" || strings.ContainsAny(c, " ()") {
					return fmt.Errorf("bad include column %q", c)
				}
				ix.include = append(ix.include, c)
			}
			tail = after[end+1:]
		case "nulls":
			rest, ok := cutWords(after, "not", "distinct")
			if !ok {
				return fmt.Errorf("want nulls not distinct")
			}
			ix.nullsNotDistinct, tail = true, rest
		case "where":
			if after == "" {
				return fmt.Errorf("where needs an expression")
			}
			ix.where, tail = after, ""
		default:
			return fmt.Errorf("unexpected %q after index parts (want %s)", tail, strings.TrimPrefix(indexSyntax, "//strata:index NAME (PART, ...) "))
		}
		tail = strings.TrimSpace(tail)
	}
	return nil
}

// cutWords removes the words from the start of s, in any case.
func cutWords(s string, words ...string) (string, bool) {
	for _, w := range words {
		word, rest, _ := strings.Cut(strings.TrimSpace(s), " ")
		if !strings.EqualFold(word, w) {
			return s, false
		}
		s = rest
	}
	return strings.TrimSpace(s), true
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
		if open := strings.IndexByte(part.column, '('); open > 0 && strings.HasSuffix(part.column, ")") {
			n, err := strconv.Atoi(part.column[open+1 : len(part.column)-1])
			if err != nil || n <= 0 {
				return part, fmt.Errorf("bad index part %q: want COLUMN(N), N a positive prefix length", part.column)
			}
			part.column, part.prefix = part.column[:open], n
		}
	}
	words := strings.Fields(p)
	if n := len(words); n > 0 && (strings.EqualFold(words[n-1], "desc") || strings.EqualFold(words[n-1], "asc")) {
		part.desc = strings.EqualFold(words[n-1], "desc")
		words = words[:n-1]
	}
	switch len(words) {
	case 0:
	case 1:
		part.opclass = words[0]
	default:
		return part, fmt.Errorf("bad index part: unexpected %q (want [OPCLASS] [DESC|ASC])", p)
	}
	if part.column == "" && part.expr == "" {
		return part, fmt.Errorf("empty index part")
	}
	return part, nil
}

// splitTop splits s at commas outside parentheses and quotes.
func splitTop(s string) []string { return splitOutside(s, ',') }

// splitOutside splits s at sep where it is outside parentheses and quotes.
func splitOutside(s string, sep byte) []string { return dialect.SplitOutside(s, sep) }

package versions

import (
	"fmt"
	"slices"
	"strings"

	"github.com/strata-db/strata/dialect"
)

// An object is something a statement changes or relies on: a table (col
// empty), a column of one, or a named object of another kind (kind set:
// index, constraint, view, function, type, ...). Names are folded to lower
// case and lose their schema, so a comparison errs on the side of a
// conflict.
type object struct {
	table, col string
	kind, name string
}

func (o object) String() string {
	switch {
	case o.kind != "":
		return o.kind + " " + o.name
	case o.col != "":
		return "column " + o.table + "." + o.col
	}
	return "table " + o.table
}

// touch is one object a statement writes (creates, drops, alters, renames)
// or reads (names in a constraint, an index or DML).
type touch struct {
	obj   object
	write bool
}

// touches works out what one statement writes and reads. ok is false when
// the statement is of a kind strata cannot tell (a DO block, a function
// call): the caller reports it.
func touches(d dialect.Name, stmt string) (out []touch, ok bool) {
	tk := tokenize(d, stmt)
	w := func(o object) { out = append(out, touch{obj: o, write: true}) }
	r := func(o object) { out = append(out, touch{obj: o}) }
	switch {
	case len(tk) == 0:
		return nil, true
	case tk.is(0, "begin", "commit", "rollback", "set", "pragma", "start", "savepoint", "release", "use", "analyze", "vacuum", "reset"):
		return nil, true
	case tk.is(0, "truncate"):
		r(object{table: tk.name(tk.skip(1, "table", "only"))})
		return out, true
	case tk.is(0, "comment") && tk.is(1, "on"):
		return commentOn(tk[2:]), true
	case tk.is(0, "create", "drop", "alter", "rename"):
	case tk.is(0, "insert", "replace"):
		if t := tk.nameAfter("into"); t != "" {
			r(object{table: t})
			return out, true
		}
		return nil, false
	case tk.is(0, "update"):
		i := tk.skip(1, "only", "low_priority", "ignore")
		r(object{table: tk.name(i)})
		return out, true
	case tk.is(0, "delete"):
		if t := tk.nameAfter("from"); t != "" {
			r(object{table: t})
			return out, true
		}
		return nil, false
	default:
		return nil, false
	}
	verb := tk[0].low
	i := tk.skip(1, "or", "replace", "temp", "temporary", "unlogged", "global", "local", "unique", "fulltext", "spatial", "materialized", "definer", "=", "online", "offline", "algorithm", "sql", "security", "invoker", "constraint", "recursive", "aggregate")
	// definer = user@host: skip to the object keyword.
	for i < len(tk) && !tk.is(i, "table", "index", "view", "function", "procedure", "trigger", "type", "sequence", "domain", "extension", "schema", "event", "database") {
		i++
	}
	if i >= len(tk) {
		return nil, false
	}
	kind := tk[i].low
	i = tk.skip(i+1, "if", "not", "exists", "concurrently", "only")
	switch {
	case kind == "table" && verb == "create":
		w(object{table: tk.name(i)})
		// CREATE TABLE t AS SELECT ... FROM u, or LIKE u: reads u.
		if f := tk.nameAfter("from"); f != "" {
			r(object{table: f})
		}
	case kind == "table" && verb == "drop":
		for _, n := range tk.names(i) {
			w(object{table: n})
		}
	case kind == "table" && verb == "rename": // MySQL: RENAME TABLE a TO b, c TO d
		for _, n := range tk.names(i) {
			w(object{table: n})
		}
	case kind == "table" && verb == "alter":
		t := tk.name(i)
		i = tk.after(i)
		for _, clause := range tk.clauses(i) {
			alterTable(t, clause, w, r)
		}
	case kind == "index":
		name := ""
		if !tk.is(i, "on") {
			name = tk.name(i)
		}
		if name != "" {
			w(object{kind: "index", name: name})
		}
		if j := tk.after(i); verb == "alter" && tk.is(j, "rename") && tk.is(j+1, "to") {
			w(object{kind: "index", name: tk.name(j + 2)})
		}
		if on := tk.indexOf("on"); verb == "create" && on > 0 {
			j := tk.skip(on+1, "only")
			t := tk.name(j)
			r(object{table: t})
			if j = tk.after(j); tk.is(j, "using") {
				j += 2
			}
			for _, c := range tk.parenNames(j) {
				r(object{table: t, col: c})
			}
		}
	case kind == "trigger":
		w(object{kind: "trigger", name: tk.name(i)})
		if t := tk.nameAfter("on"); t != "" {
			r(object{table: t})
		}
	default:
		w(object{kind: kind, name: tk.name(i)})
	}
	return out, true
}

// commentOn reads the rest of COMMENT ON KIND NAME IS '...'.
func commentOn(tk tokens) []touch {
	switch {
	case tk.is(0, "table"):
		t := tk.name(1)
		return []touch{{obj: object{table: t, kind: "comment on table", name: t}, write: true}, {obj: object{table: t}}}
	case tk.is(0, "column"):
		if p := tk.qualified(1); len(p) >= 2 {
			t := p[len(p)-2]
			return []touch{{obj: object{table: t, col: p[len(p)-1]}, write: true}, {obj: object{table: t}}}
		}
	case len(tk) > 1:
		return []touch{{obj: object{kind: tk[0].low, name: tk.name(1)}, write: true}}
	}
	return nil
}

// alterTable records one clause of ALTER TABLE t.
func alterTable(t string, c tokens, w, r func(object)) {
	col := func(i int) {
		i = c.skip(i, "column", "if", "not", "exists")
		if i < len(c) {
			w(object{table: t, col: c[i].ident()})
		}
	}
	switch {
	case len(c) == 0:
	case c.is(0, "add") && c.is(1, "constraint"):
		w(object{kind: "constraint", name: c.name(2)})
		for _, n := range c.parenNames(c.indexOf("(")) {
			r(object{table: t, col: n})
		}
	case c.is(0, "add") && c.is(1, "primary", "unique", "foreign", "check", "index", "key", "fulltext", "spatial", "exclude"):
		r(object{table: t})
		if j := c.skip(1, "unique", "fulltext", "spatial", "index", "key"); c.is(1, "unique", "fulltext", "spatial", "index", "key") && j < len(c) && c[j].text != "(" && !c.is(j, "using") {
			w(object{kind: "index", name: c.name(j)})
		}
		if c.is(1, "primary") {
			w(object{table: t, kind: "primary key of", name: t})
		}
		for _, n := range c.parenNames(c.indexOf("(")) {
			r(object{table: t, col: n})
		}
	case c.is(0, "add"):
		col(1)
	case c.is(0, "drop") && c.is(1, "constraint", "foreign", "check"):
		i := c.skip(2, "key", "if", "exists")
		w(object{kind: "constraint", name: c.name(i)})
	case c.is(0, "drop") && c.is(1, "index", "key"):
		w(object{kind: "index", name: c.name(c.skip(2, "if", "exists"))})
	case c.is(0, "drop") && c.is(1, "primary"):
		w(object{table: t, kind: "primary key of", name: t})
	case c.is(0, "drop"):
		col(1)
	case c.is(0, "alter", "modify"):
		if c.is(1, "constraint") {
			w(object{kind: "constraint", name: c.name(2)})
			return
		}
		if c.is(1, "index") {
			w(object{kind: "index", name: c.name(2)})
			return
		}
		col(1)
	case c.is(0, "change"):
		i := c.skip(1, "column")
		col(i)
		col(i + 1)
	case c.is(0, "rename") && c.is(1, "to", "as"):
		w(object{table: t})
		w(object{table: c.name(2)})
	case c.is(0, "rename") && c.is(1, "constraint", "index", "key"):
		kind := "constraint"
		if !c.is(1, "constraint") {
			kind = "index"
		}
		w(object{kind: kind, name: c.name(2)})
		w(object{kind: kind, name: c.name(c.after(2) + 1)})
	case c.is(0, "rename"):
		i := c.skip(1, "column")
		col(i)
		col(c.after(i) + 1)
	default: // table options: comment, charset, owner, ...
		r(object{table: t})
		w(object{table: t, kind: "option " + c[0].low + " of", name: t})
	}
	r(object{table: t})
}

// tok is a token of a statement: a word or quoted identifier (text keeps
// its case and quotes), a string, a number or a punctuation character.
type tok struct {
	text, low string
	quoted    bool // a quoted identifier
	str       bool // a string literal
}

// ident is the token as a name: unquoted and lower-cased.
func (t tok) ident() string { return strings.ToLower(t.text) }

type tokens []tok

// tokenize splits stmt into tokens, skipping comments and whitespace.
// Quoted identifiers use "..." (and `...` on MySQL).
func tokenize(d dialect.Name, s string) tokens { return tokenizeN(d, s, -1) }

// tokenizeN is tokenize stopping after n tokens (n < 0: all of them).
func tokenizeN(d dialect.Name, s string, n int) tokens {
	var out tokens
	for i := 0; i < len(s) && len(out) != n; {
		c := s[i]
		switch {
		case c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f':
			i++
		case strings.HasPrefix(s[i:], "--") || c == '#' && d == dialect.MySQL:
			for i < len(s) && s[i] != '\n' {
				i++
			}
		case strings.HasPrefix(s[i:], "/*"):
			end := strings.Index(s[i+2:], "*/")
			if end < 0 {
				return out
			}
			i += end + 4
		case c == '"' || c == '`' || c == '\'':
			j := i + 1
			var b strings.Builder
			for j < len(s) {
				if s[j] == c {
					if j+1 < len(s) && s[j+1] == c {
						b.WriteByte(c)
						j += 2
						continue
					}
					break
				}
				if s[j] == '\\' && c == '\'' && d == dialect.MySQL && j+1 < len(s) {
					j++
				}
				b.WriteByte(s[j])
				j++
			}
			out = append(out, tok{text: b.String(), low: strings.ToLower(b.String()), quoted: c != '\'', str: c == '\''})
			i = j + 1
		case c == '$' && d == dialect.Postgres:
			// A dollar-quoted body: $tag$ ... $tag$.
			end := strings.IndexByte(s[i+1:], '$')
			if end < 0 {
				return out
			}
			tag := s[i : i+end+2]
			close := strings.Index(s[i+len(tag):], tag)
			if close < 0 {
				return out
			}
			out = append(out, tok{text: "$", low: "$", str: true})
			i += len(tag) + close + len(tag)
		case isWord(c):
			j := i
			for j < len(s) && (isWord(s[j]) || s[j] == '$') {
				j++
			}
			out = append(out, tok{text: s[i:j], low: strings.ToLower(s[i:j])})
			i = j
		default:
			out = append(out, tok{text: string(c), low: string(c)})
			i++
		}
	}
	return out
}

func isWord(c byte) bool {
	return c == '_' || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c >= 0x80
}

// is reports whether token i is an unquoted keyword among words.
func (t tokens) is(i int, words ...string) bool {
	return i >= 0 && i < len(t) && !t[i].quoted && !t[i].str && slices.Contains(words, t[i].low)
}

// skip returns the index of the first token from i that is not among words.
func (t tokens) skip(i int, words ...string) int {
	for t.is(i, words...) {
		i++
	}
	return i
}

// qualified returns the dotted name at i, part by part.
func (t tokens) qualified(i int) []string {
	var parts []string
	for i < len(t) && !t[i].str && (t[i].quoted || isWord(t[i].text[0])) {
		parts = append(parts, t[i].ident())
		if i+1 < len(t) && t[i+1].text == "." {
			i += 2
			continue
		}
		break
	}
	return parts
}

// name returns the (possibly qualified) name at i without its schema.
func (t tokens) name(i int) string {
	p := t.qualified(i)
	if len(p) == 0 {
		return ""
	}
	return p[len(p)-1]
}

// after returns the index after the (possibly qualified) name at i.
func (t tokens) after(i int) int {
	return i + max(1, 2*len(t.qualified(i))-1)
}

// indexOf returns the index of the first unquoted keyword w, or -1.
func (t tokens) indexOf(w string) int {
	for i := range t {
		if t.is(i, w) || t[i].text == w && w == "(" {
			return i
		}
	}
	return -1
}

// nameAfter returns the name after the first keyword w, or "".
func (t tokens) nameAfter(w string) string {
	i := t.indexOf(w)
	if i < 0 {
		return ""
	}
	return t.name(t.skip(i+1, "only"))
}

// names returns the comma-separated names from i (DROP TABLE a, b; RENAME
// TABLE a TO b), stopping at a keyword that ends them.
func (t tokens) names(i int) []string {
	var out []string
	for i < len(t) {
		if t.is(i, "cascade", "restrict") {
			break
		}
		if n := t.name(i); n != "" && !t.is(i, "to") {
			out = append(out, n)
			i = t.after(i)
			continue
		}
		i++
	}
	return out
}

// parenNames returns the plain names in the parenthesised list starting
// at i (a column list); expressions inside contribute their words that are
// not followed by "(" (function names are not columns).
func (t tokens) parenNames(i int) []string {
	if i < 0 || i >= len(t) || t[i].text != "(" {
		return nil
	}
	var out []string
	depth := 0
	for ; i < len(t); i++ {
		switch t[i].text {
		case "(":
			depth++
			continue
		case ")":
			depth--
			if depth == 0 {
				return out
			}
			continue
		}
		if t[i].str || !(t[i].quoted || isWord(t[i].text[0])) || t.is(i, notColumns...) {
			continue
		}
		if i+1 < len(t) && (t[i+1].text == "(" || t[i+1].text == ".") {
			continue
		}
		if c := t[i].text[0]; !t[i].quoted && '0' <= c && c <= '9' {
			continue
		}
		out = append(out, t[i].ident())
	}
	return out
}

// notColumns are the keywords a column list or check expression holds
// that are not column names.
var notColumns = []string{"asc", "desc", "nulls", "first", "last", "collate", "in", "and", "or", "not", "null", "is", "like", "ilike",
	"between", "true", "false", "case", "when", "then", "else", "end", "any", "all", "some", "array", "interval", "as", "distinct", "similar", "to", "escape"}

// clauses splits tokens from i at top-level commas.
func (t tokens) clauses(i int) []tokens {
	var out []tokens
	depth, start := 0, i
	for ; i < len(t); i++ {
		switch t[i].text {
		case "(":
			depth++
		case ")":
			depth--
		case ",":
			if depth == 0 && !t[i].str && !t[i].quoted {
				out = append(out, t[start:i])
				start = i + 1
			}
		case ";":
			if depth == 0 && !t[i].str && !t[i].quoted {
				out = append(out, t[start:i])
				return out
			}
		}
	}
	return append(out, t[start:])
}

// Conflict is an object both branches of a rebase change (or one changes
// and the other relies on).
type Conflict struct {
	Object string
	// Mine and Theirs name a revision of each branch that touches it.
	Mine, Theirs string
}

func (c Conflict) String() string {
	return fmt.Sprintf("%s (%s and %s)", c.Object, c.Mine, c.Theirs)
}

// footprint is what a set of revisions' upgrades touch: for each object,
// whether any statement writes it and a revision that does.
type footprint struct {
	touched map[object]string // object -> a revision touching it
	written map[object]string // object -> a revision writing it
	tables  map[string]string // table -> a revision touching it in any way
	whole   map[string]string // table -> a revision creating, dropping or renaming it
	unknown []string          // statements strata could not read
}

func newFootprint(d dialect.Name, revs []*Revision) (*footprint, error) {
	f := &footprint{touched: map[object]string{}, written: map[object]string{}, tables: map[string]string{}, whole: map[string]string{}}
	for _, r := range revs {
		stmts, err := d.Split(r.Upgrade.SQL)
		if err != nil {
			return nil, fmt.Errorf("%s: split statements: %w", r.Path, err)
		}
		for _, s := range stmts {
			ts, ok := touches(d, s.Text)
			if !ok {
				f.unknown = append(f.unknown, fmt.Sprintf("%s:%d: %s", r.Path, stmtLine(r.Upgrade, s), firstLine(s.Text)))
				continue
			}
			for _, t := range ts {
				f.touched[t.obj] = r.ID
				if t.obj.table != "" {
					f.tables[t.obj.table] = r.ID
				}
				if t.write {
					f.written[t.obj] = r.ID
					if t.obj.col == "" && t.obj.kind == "" {
						f.whole[t.obj.table] = r.ID
					}
				}
			}
		}
	}
	return f, nil
}

func firstLine(s string) string {
	line, _, _ := strings.Cut(strings.TrimSpace(s), "\n")
	return line
}

// conflicts returns the objects one footprint writes that the other
// touches: the same column or named object, or a table one side creates,
// drops or renames and the other touches at all.
func conflicts(mine, theirs *footprint) []Conflict {
	seen := map[string]bool{}
	var out []Conflict
	add := func(obj string, m, t string) {
		if !seen[obj] {
			seen[obj] = true
			out = append(out, Conflict{Object: obj, Mine: m, Theirs: t})
		}
	}
	for o, m := range mine.written {
		if t, ok := theirs.touched[o]; ok && (o.col != "" || o.kind != "") {
			add(o.String(), m, t)
		}
	}
	for o, t := range theirs.written {
		if m, ok := mine.touched[o]; ok && (o.col != "" || o.kind != "") {
			add(o.String(), m, t)
		}
	}
	for tb, m := range mine.whole {
		if t, ok := theirs.tables[tb]; ok {
			add("table "+tb, m, t)
		}
	}
	for tb, t := range theirs.whole {
		if m, ok := mine.tables[tb]; ok {
			add("table "+tb, m, t)
		}
	}
	slices.SortFunc(out, func(a, b Conflict) int { return strings.Compare(a.Object, b.Object) })
	return out
}

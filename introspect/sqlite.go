package introspect

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strings"

	"ariga.io/atlas/sql/schema"
	"ariga.io/atlas/sql/sqlite"

	"github.com/strata-db/strata/dialect"
)

// Atlas's SQLite inspector reads each table's indexes with
//
//	SELECT … FROM pragma_index_list('t') AS il JOIN sqlite_master AS m ON il.name = m.name
//
// which SQLite plans as a scan of sqlite_master running the pragma again for
// every row: quadratic in the schema (issue 6; 7 of 9 seconds at 1000
// tables). Every other query of that inspector is per table, per index or
// one pass. So strata keeps Atlas's SQLite inspector and serves only that
// query differently: sqlite_master's index statements are read once, and
// each table's query joins the pragma with that table's few statements,
// passed as a JSON object, instead of with sqlite_master. The rows, and
// their order (sqlite_master's), are the same.

// The parts of Atlas's per-table index query (sql/sqlite/inspect.go
// indexesQuery at the pinned version) around the table name.
const (
	sqliteIndexesPrefix = "SELECT `il`.`name`, `il`.`unique`, `il`.`origin`, `il`.`partial`, `m`.`sql` FROM pragma_index_list('"
	sqliteIndexesSuffix = "') AS il JOIN sqlite_master AS m ON il.name = m.name"
	// sqliteIndexesJSON is the replacement: the JSON object of the table's
	// index statements drives the join, in sqlite_master order.
	sqliteIndexesJSON = "') AS il WHERE il.name = m.key"
	sqliteIndexesFrom = "SELECT il.name, il.\"unique\", il.origin, il.partial, m.value FROM json_each(?) AS m CROSS JOIN pragma_index_list('"
	// sqliteIndexSQLQuery reads every index statement once.
	sqliteIndexSQLQuery = "SELECT name, tbl_name, sql FROM sqlite_master WHERE type = 'index' ORDER BY rowid"
)

// sqliteInspect reads the named tables of the main database with Atlas's
// inspector over a sqliteQuerier.
func sqliteInspect(ctx context.Context, db *sql.DB, names []string) (*schema.Schema, error) {
	q := &sqliteQuerier{ExecQuerier: db}
	drv, err := sqlite.Open(q)
	if err != nil {
		return nil, err
	}
	s, err := atlasInspect(ctx, drv, names)
	if err != nil {
		return nil, err
	}
	for _, t := range s.Tables {
		if err := generatedColumns(t, q.generated[t.Name]); err != nil {
			return nil, err
		}
	}
	return s, nil
}

// sqliteColumnsPrefix and sqliteColumnsSuffix frame Atlas's query of a
// table's columns; sqliteColumnsHidden is its last column, which says
// which columns are generated (2 virtual, 3 stored).
const (
	sqliteColumnsPrefix = "SELECT `name`, `type`, (not `notnull`) AS `nullable`, `dflt_value`, (`pk` <> 0) AS `pk`, `hidden` FROM pragma_table_xinfo('"
	sqliteColumnsSuffix = "') ORDER BY `cid`"
	sqliteColumnsHidden = "`hidden` FROM"
)

// columns answers Atlas's column query with every generated column shown
// as a plain one, noting which are generated (and how) in q.generated:
// Atlas finds their expressions in the CREATE TABLE statement with a
// regular expression that fails on a type holding a comma (decimal(12,2))
// and on names with regular-expression characters, and then fails the
// whole inspection. generatedColumns reads them instead.
func (q *sqliteQuerier) columns(ctx context.Context, table, query string) (*sql.Rows, error) {
	rows, err := q.ExecQuerier.QueryContext(ctx, "SELECT `name`, `hidden` FROM pragma_table_xinfo(?) WHERE `hidden` >= 2", table)
	if err != nil {
		return nil, err
	}
	gen := map[string]int{}
	for rows.Next() {
		var name string
		var hidden int
		if err := rows.Scan(&name, &hidden); err != nil {
			rows.Close()
			return nil, err
		}
		gen[name] = hidden
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	if len(gen) == 0 {
		return q.ExecQuerier.QueryContext(ctx, query)
	}
	if q.generated == nil {
		q.generated = make(map[string]map[string]int)
	}
	q.generated[table] = gen
	return q.ExecQuerier.QueryContext(ctx, strings.Replace(query, sqliteColumnsHidden, "(CASE WHEN `hidden` >= 2 THEN 0 ELSE `hidden` END) AS `hidden` FROM", 1))
}

// generatedColumns sets the generation expression of t's generated
// columns (gen: name to 2 virtual, 3 stored), read from its CREATE TABLE
// statement: the parenthesised expression after AS in the column's
// definition, parentheses included, as Atlas reads it.
func generatedColumns(t *schema.Table, gen map[string]int) error {
	if len(gen) == 0 {
		return nil
	}
	var stmt sqlite.CreateStmt
	for _, a := range t.Attrs {
		if c, ok := a.(*sqlite.CreateStmt); ok {
			stmt = *c
		}
	}
	text := blankComments(stmt.S)
	open := strings.IndexByte(text, '(')
	if open < 0 {
		return fmt.Errorf("sqlite: table %q: no column list in its CREATE statement", t.Name)
	}
	defs := dialect.SplitOutside(text[open+1:], ',')
	for name, hidden := range gen {
		c, ok := t.Column(name)
		if !ok {
			return fmt.Errorf("sqlite: table %q has no column %q", t.Name, name)
		}
		x := ""
		for _, def := range defs {
			if first, rest, ok := cutIdent(strings.TrimSpace(def)); ok && strings.EqualFold(first, name) {
				x = generationExpr(rest)
				break
			}
		}
		if x == "" {
			return fmt.Errorf("sqlite: generation expression of column %s.%s not found in its CREATE statement", t.Name, name)
		}
		typ := "VIRTUAL"
		if hidden == 3 {
			typ = "STORED"
		}
		c.SetGeneratedExpr(&schema.GeneratedExpr{Expr: x, Type: typ})
	}
	return nil
}

// cutIdent splits a column definition into its (unquoted) name and the
// rest.
func cutIdent(def string) (name, rest string, ok bool) {
	if def == "" {
		return "", "", false
	}
	closer := map[byte]byte{'"': '"', '`': '`', '[': ']'}[def[0]]
	if closer == 0 {
		i := strings.IndexFunc(def, func(r rune) bool { return r == ' ' || r == '\t' || r == '\n' || r == '\r' })
		if i < 0 {
			return def, "", true
		}
		return def[:i], def[i:], true
	}
	var b strings.Builder
	for i := 1; i < len(def); i++ {
		if def[i] != closer {
			b.WriteByte(def[i])
			continue
		}
		if closer != ']' && i+1 < len(def) && def[i+1] == closer {
			b.WriteByte(closer) // a doubled quote
			i++
			continue
		}
		return b.String(), def[i+1:], true
	}
	return "", "", false
}

// generationExpr returns "(EXPR)" from the rest of a column definition:
// the balanced parentheses after the keyword AS (GENERATED ALWAYS AS, or
// AS alone), outside quotes.
func generationExpr(rest string) string {
	x := ""
	dialect.EachOutside(rest, func(i, depth int) bool {
		if depth > 0 || rest[i] != 'a' && rest[i] != 'A' || i+1 == len(rest) || rest[i+1] != 's' && rest[i+1] != 'S' ||
			i > 0 && identByte(rest[i-1]) || i+2 < len(rest) && identByte(rest[i+2]) {
			return true
		}
		after := strings.TrimLeft(rest[i+2:], " \t\r\n")
		if j := dialect.ClosingParen(after); strings.HasPrefix(after, "(") && j > 0 {
			x = after[:j+1]
			return false
		}
		return true
	})
	return x
}

// identByte reports whether c may be part of an unquoted identifier.
func identByte(c byte) bool {
	return c == '_' || c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= 0x80
}

// blankComments returns s with its comments (-- to the end of the line,
// /* ... */) outside quotes replaced by spaces, offsets kept: SQLite keeps
// a CREATE statement as written, comments and all.
func blankComments(s string) string {
	b := []byte(s)
	var quote byte
	for i := 0; i < len(b); i++ {
		c := b[i]
		switch {
		case quote != 0:
			if c == quote {
				quote = 0
			}
		case c == '\'' || c == '"' || c == '`':
			quote = c
		case c == '[':
			quote = ']'
		case c == '-' && i+1 < len(b) && b[i+1] == '-':
			for ; i < len(b) && b[i] != '\n'; i++ {
				b[i] = ' '
			}
		case c == '/' && i+1 < len(b) && b[i+1] == '*':
			for ; i < len(b) && !(b[i] == '*' && i+1 < len(b) && b[i+1] == '/'); i++ {
				b[i] = ' '
			}
			if i+1 < len(b) {
				b[i], b[i+1] = ' ', ' '
				i++
			}
		}
	}
	return string(b)
}

// sqliteQuerier answers Atlas's per-table index query from one read of
// sqlite_master and passes every other statement through.
type sqliteQuerier struct {
	schema.ExecQuerier
	// indexes holds, per table, the JSON object of its index statements;
	// nil until the first index query.
	indexes map[string]string
	// served counts the index queries answered this way.
	served int
	// generated holds, per table, its generated columns and their
	// hidden flag (columns).
	generated map[string]map[string]int
}

// QueryContext implements schema.ExecQuerier.
func (q *sqliteQuerier) QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	if t, ok := strings.CutPrefix(query, sqliteColumnsPrefix); ok && len(args) == 0 {
		if t, ok = strings.CutSuffix(t, sqliteColumnsSuffix); ok && !strings.Contains(t, "'") {
			return q.columns(ctx, t, query)
		}
	}
	table, ok := strings.CutPrefix(query, sqliteIndexesPrefix)
	if table, ok = strings.CutSuffix(table, sqliteIndexesSuffix); !ok || len(args) > 0 {
		return q.ExecQuerier.QueryContext(ctx, query, args...)
	}
	if q.indexes == nil {
		if err := q.readIndexes(ctx); err != nil {
			return nil, err
		}
	}
	q.served++
	stmts, ok := q.indexes[table]
	if !ok {
		stmts = "{}"
	}
	return q.ExecQuerier.QueryContext(ctx, sqliteIndexesFrom+table+sqliteIndexesJSON, stmts)
}

// readIndexes reads the statements of all indexes, grouped by table.
func (q *sqliteQuerier) readIndexes(ctx context.Context) error {
	rows, err := q.ExecQuerier.QueryContext(ctx, sqliteIndexSQLQuery)
	if err != nil {
		return fmt.Errorf("sqlite: querying index statements: %w", err)
	}
	defer rows.Close()
	objects := make(map[string]*strings.Builder)
	for rows.Next() {
		var (
			name, table string
			stmt        *string // NULL for the indexes of constraints
		)
		if err := rows.Scan(&name, &table, &stmt); err != nil {
			return fmt.Errorf("sqlite: scanning index statements: %w", err)
		}
		if stmt != nil {
			// Atlas reads the expressions of index parts with a regular
			// expression that stops at a line break, and gives up on a
			// statement ending with one (every expression part then reads
			// "<unsupported>").
			*stmt = dialect.OneLine(*stmt)
		}
		b, ok := objects[table]
		if !ok {
			b = &strings.Builder{}
			objects[table] = b
		}
		// Written by hand: json_each keeps the text's key order.
		if b.Len() > 0 {
			b.WriteByte(',')
		}
		b.WriteString(jsonValue(name))
		b.WriteByte(':')
		b.WriteString(jsonValue(stmt))
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("sqlite: scanning index statements: %w", err)
	}
	q.indexes = make(map[string]string, len(objects))
	for t, b := range objects {
		q.indexes[t] = "{" + b.String() + "}"
	}
	return nil
}

// jsonValue encodes v as JSON, leaving <, > and & as they are.
func jsonValue(v any) string {
	var b bytes.Buffer
	e := json.NewEncoder(&b)
	e.SetEscapeHTML(false)
	e.Encode(v) // A string or *string always encodes.
	return strings.TrimSuffix(b.String(), "\n")
}

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
	drv, err := sqlite.Open(&sqliteQuerier{ExecQuerier: db})
	if err != nil {
		return nil, err
	}
	s, err := atlasInspect(ctx, drv, names)
	if err != nil {
		return nil, err
	}
	for _, t := range s.Tables {
		if c := rowidAlias(t); c != nil {
			c.Type.Null = false
		}
	}
	return s, nil
}

// rowidAlias returns the column of t that is SQLite's rowid under another
// name: the one INTEGER PRIMARY KEY column of a rowid table. SQLite
// reports it nullable unless declared NOT NULL, yet it never holds NULL
// (a NULL inserted becomes the next rowid), so it is read as NOT NULL, as
// every primary key column is declared in models.
func rowidAlias(t *schema.Table) *schema.Column {
	if t.PrimaryKey == nil || len(t.PrimaryKey.Parts) != 1 || t.PrimaryKey.Parts[0].C == nil {
		return nil
	}
	for _, a := range t.Attrs {
		if _, ok := a.(*sqlite.WithoutRowID); ok {
			return nil
		}
	}
	c := t.PrimaryKey.Parts[0].C
	if !strings.EqualFold(c.Type.Raw, "integer") {
		return nil
	}
	return c
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
}

// QueryContext implements schema.ExecQuerier.
func (q *sqliteQuerier) QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
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
			*stmt = oneLine(*stmt)
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

// oneLine returns a CREATE INDEX statement on one line: Atlas reads the
// expressions of its parts with a regular expression that stops at a line
// break, and gives up on a statement that ends with one (then every
// expression part reads "<unsupported>"). Line breaks, with the spaces
// around them, become one space, except inside quotes.
func oneLine(stmt string) string {
	stmt = strings.TrimSpace(stmt)
	if !strings.ContainsAny(stmt, "\r\n") {
		return stmt
	}
	var b strings.Builder
	var quote rune
	pendingSpace := false
	for _, r := range stmt {
		switch {
		case quote != 0:
			if r == quote {
				quote = 0
			}
		case r == '\'' || r == '"' || r == '`':
			quote = r
		case r == '[':
			quote = ']'
		case r == '\n' || r == '\r' || (r == ' ' || r == '\t') && pendingSpace:
			pendingSpace = true
			continue
		}
		if pendingSpace {
			if s := b.String(); len(s) > 0 && s[len(s)-1] != ' ' && s[len(s)-1] != '\t' {
				b.WriteByte(' ')
			}
			pendingSpace = false
		}
		b.WriteRune(r)
	}
	return b.String()
}

// jsonValue encodes v as JSON, leaving <, > and & as they are.
func jsonValue(v any) string {
	var b bytes.Buffer
	e := json.NewEncoder(&b)
	e.SetEscapeHTML(false)
	e.Encode(v) // A string or *string always encodes.
	return strings.TrimSuffix(b.String(), "\n")
}

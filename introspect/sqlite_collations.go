package introspect

import (
	"context"
	"database/sql"
	"strings"

	"ariga.io/atlas/sql/schema"

	"github.com/strata-db/strata/dialect"
)

// sqliteCollationsQuery reads the statements of the tables that mention a
// collation; SQLite keeps a column's collation only there.
const sqliteCollationsQuery = "SELECT name, sql FROM sqlite_master WHERE type = 'table' AND sql LIKE '%collate%'"

// sqliteCollations sets the collation of each column of s declared with
// COLLATE NAME, read from its table's CREATE TABLE statement: Atlas's
// SQLite inspector does not read collations.
func sqliteCollations(ctx context.Context, db *sql.DB, s *schema.Schema) error {
	find := tableFinder(s)
	return eachRow(ctx, db, "sqlite", "collations", sqliteCollationsQuery, func(rows *sql.Rows) error {
		var name, stmt string
		if err := rows.Scan(&name, &stmt); err != nil {
			return err
		}
		t, ok := find(name)
		if !ok {
			return nil
		}
		for col, coll := range columnCollations(stmt) {
			if c, ok := t.Column(col); ok {
				c.SetCollation(coll)
			}
		}
		return nil
	})
}

// tableFinder returns a lookup of s's tables by name.
func tableFinder(s *schema.Schema) func(string) (*schema.Table, bool) {
	m := make(map[string]*schema.Table, len(s.Tables))
	for _, t := range s.Tables {
		m[t.Name] = t
	}
	return func(name string) (*schema.Table, bool) {
		t, ok := m[name]
		return t, ok
	}
}

// columnCollations returns the collation of each column of a CREATE TABLE
// statement that declares one, by column name.
func columnCollations(stmt string) map[string]string {
	open := strings.IndexByte(stmt, '(')
	if open < 0 {
		return nil
	}
	end := dialect.ClosingParen(stmt[open:])
	if end < 0 {
		return nil
	}
	out := make(map[string]string)
	for _, def := range dialect.SplitOutside(stmt[open+1:open+end], ',') {
		words := sqlWords(def)
		if len(words) < 2 {
			continue
		}
		switch strings.ToUpper(words[0]) {
		case "CONSTRAINT", "PRIMARY", "UNIQUE", "CHECK", "FOREIGN":
			continue // a table constraint
		}
		for i := 1; i+1 < len(words); i++ {
			if strings.EqualFold(words[i], "COLLATE") {
				// Collation names are case-insensitive; strata's are
				// lower case, as Atlas's planner writes the column type.
				out[unquoteSQLite(words[0])] = strings.ToLower(unquoteSQLite(words[i+1]))
			}
		}
	}
	return out
}

// sqlWords splits a column or constraint definition into its words:
// white space outside parentheses and quotes separates them.
func sqlWords(def string) []string {
	def = strings.NewReplacer("\t", " ", "\n", " ", "\r", " ").Replace(def)
	var out []string
	for _, w := range dialect.SplitOutside(def, ' ') {
		if w != "" {
			out = append(out, w)
		}
	}
	return out
}

// unquoteSQLite removes the quotes SQLite allows around a name.
func unquoteSQLite(s string) string {
	if len(s) >= 2 {
		switch q := s[0]; {
		case (q == '"' || q == '`') && s[len(s)-1] == q:
			return strings.ReplaceAll(s[1:len(s)-1], string(q)+string(q), string(q))
		case q == '[' && s[len(s)-1] == ']':
			return s[1 : len(s)-1]
		}
	}
	return s
}

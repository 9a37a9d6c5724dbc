package diff

import (
	"regexp"
	"slices"
	"strings"

	"github.com/strata-db/strata/dialect"
	"github.com/strata-db/strata/introspect"
)

var (
	// sqliteRebuild matches the last step of a SQLite table rebuild.
	sqliteRebuild = regexp.MustCompile("^ALTER TABLE [`\"]new_.+[`\"] RENAME TO ")
	// pgTypeChange matches a PostgreSQL statement changing a column's type,
	// capturing the table.
	pgTypeChange = regexp.MustCompile(`^ALTER TABLE ("(?:[^"]|"")+"|\S+) (?s:.*)ALTER COLUMN .* TYPE `)
)

// KeepObjects makes m keep the objects objs lists (introspect.Objects of
// the database m was planned on) where a table change would break them:
//
//   - SQLite rebuilds a table to change it: dropping it drops its
//     triggers, and renaming the new table fails while any view or trigger
//     names a table that is missing. A section that rebuilds a table drops
//     every view and trigger first and creates them again at its end.
//   - PostgreSQL refuses to change the type of a column a view, rule,
//     policy or trigger condition uses. A section that changes a column
//     type drops the objects using that table first (and those using
//     them) and creates them again at its end.
//
// They come back as they were, from the server's own definitions. MySQL
// changes tables in place and checks no view: m is left as it is.
//
// An object strata cannot write (no Create statements) is never dropped:
// the section is left as it is, and fails as the server says.
func KeepObjects(d dialect.Name, m *Migration, objs []introspect.Object) {
	for _, sec := range []*[]Stmt{&m.Upgrade, &m.Downgrade} {
		switch d {
		case dialect.SQLite:
			if rebuilds(*sec) {
				*sec = around(*sec, objs, "views and triggers go while tables are rebuilt (SQLite checks them when renaming a table)")
			}
		case dialect.Postgres:
			if tables := typeChanges(*sec); len(tables) > 0 {
				*sec = around(*sec, introspect.Dependents(objs, tables),
					"objects using "+strings.Join(tables, ", ")+" go while column types change (PostgreSQL refuses to change a column they use)")
			}
		}
	}
}

// MayBreakObjects reports whether m rebuilds a SQLite table or changes a
// PostgreSQL column type, where KeepObjects needs the database's objects.
func MayBreakObjects(d dialect.Name, m *Migration) bool {
	for _, sec := range [][]Stmt{m.Upgrade, m.Downgrade} {
		if d == dialect.SQLite && rebuilds(sec) || d == dialect.Postgres && len(typeChanges(sec)) > 0 {
			return true
		}
	}
	return false
}

func rebuilds(stmts []Stmt) bool {
	return slices.ContainsFunc(stmts, func(s Stmt) bool { return sqliteRebuild.MatchString(s.SQL) })
}

// typeChanges lists the tables whose column types stmts change.
func typeChanges(stmts []Stmt) []string {
	var tables []string
	for _, s := range stmts {
		if t := pgTypeChange.FindStringSubmatch(s.SQL); t != nil && !slices.Contains(tables, unquotePG(t[1])) {
			tables = append(tables, unquotePG(t[1]))
		}
	}
	return tables
}

// around drops objs (in reverse order) before stmts and creates them again
// after, saying why in a comment; with nothing to keep, or an object it
// could not create again, it returns stmts.
func around(stmts []Stmt, objs []introspect.Object, why string) []Stmt {
	if len(objs) == 0 || slices.ContainsFunc(objs, func(x introspect.Object) bool { return len(x.Create) == 0 || len(x.Drop) == 0 }) {
		return stmts
	}
	var drops, creates []Stmt
	for _, x := range slices.Backward(objs) {
		drops = append(drops, objectStmts(x, x.Drop)...)
	}
	for _, x := range objs {
		creates = append(creates, objectStmts(x, x.Create)...)
	}
	drops[0].Comments = append([]string{why + "; created again below as they were"}, drops[0].Comments...)
	creates[0].Comments = append([]string{"the objects dropped above, as they were"}, creates[0].Comments...)
	return append(append(drops, stmts...), creates...)
}

// unquotePG returns the name a PostgreSQL identifier spells.
func unquotePG(s string) string {
	if len(s) >= 2 && s[0] == '"' && s[len(s)-1] == '"' {
		return strings.ReplaceAll(s[1:len(s)-1], `""`, `"`)
	}
	return s
}

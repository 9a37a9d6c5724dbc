package diff

import (
	"regexp"
	"slices"

	"github.com/strata-db/strata/dialect"
	"github.com/strata-db/strata/introspect"
)

// sqliteRebuild matches the last step of a SQLite table rebuild.
var sqliteRebuild = regexp.MustCompile("^ALTER TABLE [`\"]new_.+[`\"] RENAME TO ")

// KeepObjects makes the SQLite table rebuilds of m keep the views and
// triggers objs lists (introspect.Objects of the database m was planned
// on). A rebuild drops the table, which drops its triggers, and renaming
// the new table fails while any view or trigger names a table that is
// missing; so when a section rebuilds a table, it drops every view and
// trigger first and creates them again, as they were, at its end. The
// other dialects change tables in place: m is left as it is.
func KeepObjects(d dialect.Name, m *Migration, objs []introspect.Object) {
	if d != dialect.SQLite || len(objs) == 0 {
		return
	}
	m.Upgrade = keepAcrossRebuilds(m.Upgrade, objs)
	m.Downgrade = keepAcrossRebuilds(m.Downgrade, objs)
}

func keepAcrossRebuilds(stmts []Stmt, objs []introspect.Object) []Stmt {
	if !slices.ContainsFunc(stmts, func(s Stmt) bool { return sqliteRebuild.MatchString(s.SQL) }) {
		return stmts
	}
	var drops, creates []Stmt
	for _, x := range slices.Backward(objs) {
		drops = append(drops, objectStmts(x, x.Drop)...)
	}
	for _, x := range objs {
		creates = append(creates, objectStmts(x, x.Create)...)
	}
	drops[0].Comments = append([]string{"views and triggers go while tables are rebuilt (SQLite checks them when renaming a table); created again below as they were"}, drops[0].Comments...)
	creates[0].Comments = append([]string{"the views and triggers dropped above, as they were"}, creates[0].Comments...)
	out := append(drops, stmts...)
	return append(out, creates...)
}

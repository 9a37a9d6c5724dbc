package diff

import (
	"fmt"
	"regexp"
	"slices"
	"strings"

	"ariga.io/atlas/sql/schema"
	"ariga.io/atlas/sql/sqlite"

	"github.com/strata-db/strata/dialect"
)

// sqliteTypeChanges adds the column type changes Atlas's SQLite differ does
// not report, as it compares only type affinity: varchar(100) against
// varchar(320), or decimal(10,2) against decimal(12,2). Declared types are
// what SQLite keeps and shows, so strata compares them in full.
func sqliteTypeChanges(from, to *schema.Schema, changes []schema.Change) []schema.Change {
	for p := range matchedColumns(from, to) {
		if typeString("sqlite", p.fc.Type) != typeString("sqlite", p.tc.Type) {
			changes = modifyColumn(changes, p.tt, p.fc, p.tc, schema.ChangeType)
		}
	}
	return changes
}

// modifyColumn marks the change kind on the column's ModifyColumn, adding
// the ModifyColumn (and its ModifyTable) when the differ reported none.
func modifyColumn(changes []schema.Change, tt *schema.Table, fc, tc *schema.Column, kind schema.ChangeKind) []schema.Change {
	mt, changes := modifyTable(changes, tt)
	for _, sc := range mt.Changes {
		if mc, ok := sc.(*schema.ModifyColumn); ok && mc.To.Name == tc.Name {
			mc.Change |= kind
			return changes
		}
	}
	// In column order among the differ's column changes, as it reports them.
	pos := func(c *schema.Column) int {
		return slices.IndexFunc(tt.Columns, func(x *schema.Column) bool { return x.Name == c.Name })
	}
	at := slices.IndexFunc(mt.Changes, func(sc schema.Change) bool {
		switch sc := sc.(type) {
		case *schema.AddColumn:
			return pos(sc.C) > pos(tc)
		case *schema.ModifyColumn:
			return pos(sc.To) > pos(tc)
		}
		return false
	})
	if at < 0 {
		at = len(mt.Changes)
	}
	mt.Changes = slices.Insert(mt.Changes, at, schema.Change(&schema.ModifyColumn{From: fc, To: tc, Change: kind}))
	return changes
}

// sqliteDropColumns plans a table change that only drops plain columns as
// ALTER TABLE ... DROP COLUMN (SQLite 3.35+), where Atlas's planner copies
// the whole table. A column is plain when SQLite can drop it in place: no
// key, index, foreign key, check or generated column of the table as it
// was (from) names it.
func sqliteDropColumns(from *schema.Schema, changes []schema.Change) []schema.Change {
	fromTable := tableFinder(from)
	for i, c := range changes {
		mt, ok := c.(*schema.ModifyTable)
		if !ok || len(mt.Changes) == 0 {
			continue
		}
		ft, ok := fromTable(mt.T.Name)
		if !ok {
			continue
		}
		var stmts []string
		for _, sc := range mt.Changes {
			dc, ok := sc.(*schema.DropColumn)
			if !ok || !plainColumn(ft, dc.C) {
				stmts = nil
				break
			}
			stmts = append(stmts, fmt.Sprintf("ALTER TABLE %s DROP COLUMN %s", sqliteQuote(mt.T.Name), sqliteQuote(dc.C.Name)))
		}
		if stmts != nil {
			changes[i] = &stmtChange{stmts: stmts, of: mt}
		}
	}
	return changes
}

// sqliteQuote quotes an identifier as Atlas's SQLite planner does, so a
// revision has one style.
func sqliteQuote(ident string) string {
	return "`" + strings.ReplaceAll(ident, "`", "``") + "`"
}

// plainColumn reports whether SQLite can drop c of table t in place.
func plainColumn(t *schema.Table, c *schema.Column) bool {
	named := regexp.MustCompile(`(?i)(^|[^a-z0-9_$])` + regexp.QuoteMeta(c.Name) + `($|[^a-z0-9_$])`)
	if t.PrimaryKey != nil && indexHas(t.PrimaryKey, c, named) {
		return false
	}
	for _, idx := range t.Indexes {
		if indexHas(idx, c, named) {
			return false
		}
	}
	for _, fk := range t.ForeignKeys {
		for _, fc := range fk.Columns {
			if fc.Name == c.Name {
				return false
			}
		}
	}
	for _, ck := range t.Checks() {
		if named.MatchString(ck.Expr) {
			return false
		}
	}
	for _, other := range t.Columns {
		if g := generated(other); g != nil && (other.Name == c.Name || named.MatchString(g.Expr)) {
			return false
		}
	}
	return true
}

func indexHas(idx *schema.Index, c *schema.Column, named *regexp.Regexp) bool {
	for _, p := range idx.Parts {
		if p.C != nil && p.C.Name == c.Name || p.X != nil && named.MatchString(defaultString(p.X)) {
			return true
		}
	}
	p := predicate(idx)
	return p != nil && named.MatchString(*p)
}

// sqliteUniqueNames names the indexes of UNIQUE constraints, which SQLite
// calls sqlite_autoindex_TABLE_N, TABLE_COLUMNS: the name Atlas gives such
// an index when it creates one, since SQLite will not take the internal
// name. Atlas's differ renames them on the desired side only and then
// cannot match an inspected one, so a database with UNIQUE constraints
// (as GORM's AutoMigrate makes them) would never compare equal.
func sqliteUniqueNames(schemas ...*schema.Schema) {
	for _, s := range schemas {
		for _, t := range s.Tables {
			for _, idx := range t.Indexes {
				if !strings.HasPrefix(idx.Name, "sqlite_autoindex_") || slices.ContainsFunc(idx.Parts, func(p *schema.IndexPart) bool { return p.C == nil }) {
					continue
				}
				if hasOrigin(idx, "pk") {
					continue
				}
				names := []string{t.Name}
				for _, p := range idx.Parts {
					names = append(names, p.C.Name)
				}
				idx.Name = strings.Join(names, "_")
			}
		}
	}
}

// hasOrigin reports whether SQLite says the index was made by origin: c
// (CREATE INDEX), u (UNIQUE) or pk.
func hasOrigin(idx *schema.Index, origin string) bool {
	for _, a := range idx.Attrs {
		if o, ok := a.(*sqlite.IndexOrigin); ok && o.O == origin {
			return true
		}
	}
	return false
}

// sqliteRowidNulls gives each rowid column of from (dialect.RowidAlias)
// the nullability its counterpart in to declares: SQLite reports an
// INTEGER PRIMARY KEY column declared without NOT NULL as nullable, yet it
// never holds NULL, so a database made by another tool (or GORM, which
// declares it so) matches models whose key columns are NOT NULL, and the
// other way round, without a table rebuild that changes nothing.
func sqliteRowidNulls(from, to *schema.Schema) {
	find := tableFinder(to)
	for _, ft := range from.Tables {
		tt, ok := find(ft.Name)
		if !ok {
			continue
		}
		fc, tc := dialect.RowidAlias(ft), dialect.RowidAlias(tt)
		if fc != nil && tc != nil && fc.Name == tc.Name {
			fc.Type.Null = tc.Type.Null
		}
	}
}

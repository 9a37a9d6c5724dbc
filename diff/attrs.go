package diff

import (
	"fmt"
	"strings"

	"ariga.io/atlas/sql/mysql"
	"ariga.io/atlas/sql/postgres"
	"ariga.io/atlas/sql/schema"

	"github.com/strata-db/strata/dialect"
)

// columnAttrChanges adds the column changes Atlas's differs do not report:
// a PostgreSQL column's collation (Atlas never compares it) and MySQL's ON
// UPDATE (Atlas's ColumnChange ignores it).
func columnAttrChanges(d dialect.Name, from, to *schema.Schema, changes []schema.Change) []schema.Change {
	if d == dialect.SQLite {
		return changes
	}
	fromTable := tableFinder(from)
	for _, tt := range to.Tables {
		ft, ok := fromTable(tt.Name)
		if !ok {
			continue
		}
		for _, tc := range tt.Columns {
			fc, ok := ft.Column(tc.Name)
			if !ok {
				continue
			}
			switch {
			case d == dialect.MySQL && onUpdate(fc) != onUpdate(tc):
				changes = modifyColumn(changes, tt, fc, tc, schema.ChangeAttr)
			case d == dialect.Postgres && collation(fc) != collation(tc) && !changesType(changes, tt.Name, tc.Name):
				changes = append(changes, collationChange(tt, fc, tc))
			}
		}
	}
	return changes
}

// collationChange sets the collation of column tc of table t: ALTER TYPE
// with the column's own type, which rewrites no row.
func collationChange(t *schema.Table, fc, tc *schema.Column) *stmtChange {
	q := dialect.Postgres.Quote
	coll := collation(tc)
	if coll == "" {
		coll = "default"
	}
	typ := typeString(dialect.Postgres, tc.Type)
	if u, ok := tc.Type.Type.(*postgres.UserDefinedType); ok {
		typ = u.T
	}
	return &stmtChange{
		table: t.Name,
		of:    &schema.ModifyTable{T: t, Changes: []schema.Change{&schema.ModifyColumn{From: fc, To: tc, Change: schema.ChangeCollate}}},
		stmts: []string{fmt.Sprintf("ALTER TABLE %s ALTER COLUMN %s TYPE %s COLLATE %s", q(t.Name), q(tc.Name), typ, q(coll))},
	}
}

// changesType reports whether changes change the type of table.column,
// which Atlas's planner writes with the new collation.
func changesType(changes []schema.Change, table, column string) bool {
	for _, c := range changes {
		if mt, ok := c.(*schema.ModifyTable); ok && mt.T.Name == table {
			for _, sc := range mt.Changes {
				if mc, ok := sc.(*schema.ModifyColumn); ok && mc.To.Name == column && mc.Change.Is(schema.ChangeType) {
					return true
				}
			}
		}
	}
	return false
}

// collation returns the collation of c, or "" for the default.
func collation(c *schema.Column) string {
	for _, a := range c.Attrs {
		if x, ok := a.(*schema.Collation); ok {
			return x.V
		}
	}
	return ""
}

// onUpdate returns MySQL's ON UPDATE expression of c, or "".
func onUpdate(c *schema.Column) string {
	for _, a := range c.Attrs {
		if x, ok := a.(*mysql.OnUpdate); ok {
			return x.A
		}
	}
	return ""
}

// sameOnUpdate reports whether two ON UPDATE expressions are the same:
// MariaDB reports current_timestamp() for CURRENT_TIMESTAMP, and NOW() is
// its synonym.
func sameOnUpdate(a, b string) bool {
	norm := func(x string) string {
		x = strings.ToLower(strings.Join(strings.Fields(x), ""))
		x = strings.TrimSuffix(strings.Replace(x, "now(", "current_timestamp(", 1), "()")
		return x
	}
	return norm(a) == norm(b)
}

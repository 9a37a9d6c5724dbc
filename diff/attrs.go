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
			case d == dialect.MySQL && inheritsNewCharset(ft, tt, fc, tc):
				changes = modifyColumn(changes, tt, fc, tc, schema.ChangeCharset|schema.ChangeCollate)
			case d == dialect.Postgres && collationOf(fc.Attrs) != collationOf(tc.Attrs) && !changesType(changes, tt.Name, tc.Name):
				changes = append(changes, collationChange(tt, fc, tc))
			}
		}
	}
	return changes
}

// inheritsNewCharset reports whether column tc takes the character set or
// collation its table tt declares, which differs from the table's in the
// database: ALTER TABLE ... CHARSET changes only the default of columns to
// come, and Atlas's differ compares a column with the database's table.
func inheritsNewCharset(ft, tt *schema.Table, fc, tc *schema.Column) bool {
	switch tc.Type.Type.(type) {
	case *schema.StringType, *schema.EnumType, *mysql.SetType:
	default:
		return false
	}
	if charsetOf(tc.Attrs) != "" || collationOf(tc.Attrs) != "" {
		return false
	}
	differs := func(a, b string) bool { return a != "" && b != "" && a != b }
	return differs(charsetOf(tt.Attrs), charsetOf(fc.Attrs)) || differs(collationOf(tt.Attrs), collationOf(fc.Attrs))
}

// collationChange sets the collation of column tc of table t: ALTER TYPE
// with the column's own type, which rewrites no row.
func collationChange(t *schema.Table, fc, tc *schema.Column) *stmtChange {
	q := dialect.Postgres.Quote
	coll := collationOf(tc.Attrs)
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

// collationOf and charsetOf return the collation and character set among
// attrs, or "" for the default.
func collationOf(attrs []schema.Attr) string {
	for _, a := range attrs {
		if x, ok := a.(*schema.Collation); ok {
			return x.V
		}
	}
	return ""
}

func charsetOf(attrs []schema.Attr) string {
	for _, a := range attrs {
		if x, ok := a.(*schema.Charset); ok {
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

package diff

import (
	"fmt"
	"iter"
	"strings"

	"ariga.io/atlas/sql/mysql"
	"ariga.io/atlas/sql/postgres"
	"ariga.io/atlas/sql/schema"

	"github.com/strata-db/strata/dialect"
)

// columnAttrChanges adds the column changes Atlas's differs do not report:
// a PostgreSQL or SQLite column's collation (Atlas never compares it) and
// MySQL's ON UPDATE (Atlas's ColumnChange ignores it).
func columnAttrChanges(d dialect.Name, from, to *schema.Schema, changes []schema.Change) []schema.Change {
	for p := range matchedColumns(from, to) {
		switch {
		case d == dialect.SQLite && collationOf(p.fc.Attrs) != collationOf(p.tc.Attrs):
			// A table copy (model.WithDeclaredTypes writes the collation).
			changes = modifyColumn(changes, p.tt, p.fc, p.tc, schema.ChangeCollate)
		case d == dialect.MySQL && onUpdate(p.fc) != onUpdate(p.tc):
			changes = modifyColumn(changes, p.tt, p.fc, p.tc, schema.ChangeAttr)
		case d == dialect.MySQL && inheritsNewCharset(p.tt, p.fc, p.tc):
			changes = modifyColumn(changes, p.tt, p.fc, p.tc, schema.ChangeCharset|schema.ChangeCollate)
		case d == dialect.Postgres && collationOf(p.fc.Attrs) != collationOf(p.tc.Attrs) && !changesType(changes, p.tt.Name, p.tc.Name):
			changes = append(changes, collationChange(p.tt, p.fc, p.tc))
		}
	}
	return changes
}

// columnPair is a column both schemas have: from's (fc, of table ft) and
// to's (tc, of table tt).
type columnPair struct {
	ft, tt *schema.Table
	fc, tc *schema.Column
}

// matchedColumns yields the columns of to's tables that from's table of the
// same name has too, in to's order.
func matchedColumns(from, to *schema.Schema) iter.Seq[columnPair] {
	return func(yield func(columnPair) bool) {
		for ft, tt := range matchedTables(from, to) {
			for _, tc := range tt.Columns {
				if fc, ok := ft.Column(tc.Name); ok && !yield(columnPair{ft, tt, fc, tc}) {
					return
				}
			}
		}
	}
}

// matchedTables yields from's and to's table of each name both have, in
// to's order.
func matchedTables(from, to *schema.Schema) iter.Seq2[*schema.Table, *schema.Table] {
	return func(yield func(ft, tt *schema.Table) bool) {
		fromTable := tableFinder(from)
		for _, tt := range to.Tables {
			if ft, ok := fromTable(tt.Name); ok && !yield(ft, tt) {
				return
			}
		}
	}
}

// inheritsNewCharset reports whether column tc takes the character set or
// collation its table tt declares, which differs from the table's in the
// database: ALTER TABLE ... CHARSET changes only the default of columns to
// come, and Atlas's differ compares a column with the database's table.
func inheritsNewCharset(tt *schema.Table, fc, tc *schema.Column) bool {
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

// attrOf returns the first attribute of type A among attrs, or the zero A.
func attrOf[A schema.Attr](attrs []schema.Attr) (A, bool) {
	for _, a := range attrs {
		if x, ok := a.(A); ok {
			return x, true
		}
	}
	var zero A
	return zero, false
}

// collationOf and charsetOf return the collation and character set among
// attrs, or "" for the default.
func collationOf(attrs []schema.Attr) string {
	if x, ok := attrOf[*schema.Collation](attrs); ok {
		return x.V
	}
	return ""
}

func charsetOf(attrs []schema.Attr) string {
	if x, ok := attrOf[*schema.Charset](attrs); ok {
		return x.V
	}
	return ""
}

// onUpdate returns MySQL's ON UPDATE expression of c, or "".
func onUpdate(c *schema.Column) string {
	if x, ok := attrOf[*mysql.OnUpdate](c.Attrs); ok {
		return x.A
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

package diff

import (
	"fmt"
	"slices"
	"strings"

	"ariga.io/atlas/sql/postgres"
	"ariga.io/atlas/sql/schema"

	"github.com/strata-db/strata/dialect"
)

// A downgrade puts back the columns its upgrade dropped. One declared NOT
// NULL without a default cannot be added to a table with rows (PostgreSQL
// and SQLite refuse; MariaDB fills a zero value of its own), and the old
// values are gone anyway. So the downgrade fills it with its type's zero
// value: PostgreSQL and MariaDB add it with that value as a temporary
// default and then drop the default; SQLite, which cannot drop a default
// in place, copies the zero value in the table rebuild that adds it.

// filledColumn is a column a downgrade re-adds, filled with zero.
type filledColumn struct {
	table, column, zero string
}

func (f filledColumn) note() string {
	return fmt.Sprintf("NOTE: re-adds %s.%s with %s in every row; the values it held are not restored", f.table, f.column, f.zero)
}

// fillColumns rewrites the way back (changes) so that each NOT NULL column
// without a default it adds to an existing table gets its zero value.
func fillColumns(d dialect.Name, changes []schema.Change) ([]schema.Change, []filledColumn) {
	var filled []filledColumn
	var out []schema.Change
	for _, c := range changes {
		out = append(out, c)
		mt, ok := c.(*schema.ModifyTable)
		if !ok {
			continue
		}
		rebuild := false
		for i, sc := range mt.Changes {
			ac, ok := sc.(*schema.AddColumn)
			if !ok || ac.C.Type.Null || ac.C.Default != nil || autoIncrement(ac.C) || generated(ac.C) != nil {
				continue
			}
			zero, ok := zeroValue(d, ac.C.Type.Type)
			if !ok {
				continue
			}
			filled = append(filled, filledColumn{table: mt.T.Name, column: ac.C.Name, zero: zero})
			if d == dialect.SQLite {
				rebuild = true // filled in the copy (fillCopies)
				continue
			}
			col := *ac.C
			col.Default = &schema.RawExpr{X: zero}
			add := *ac
			add.C = &col
			mt.Changes[i] = &add
			out = append(out, &stmtChange{table: mt.T.Name, stmts: []string{fmt.Sprintf("ALTER TABLE %s ALTER COLUMN %s DROP DEFAULT", atlasQuote(d, mt.T.Name), atlasQuote(d, ac.C.Name))}})
		}
		if rebuild {
			forceRebuild(mt)
		}
	}
	return out, filled
}

// forceRebuild makes Atlas's SQLite planner copy the table rather than
// ALTER it, which cannot add a NOT NULL column without a default: a column
// the change does not add, "modified" to itself.
func forceRebuild(mt *schema.ModifyTable) {
	changed := make(map[string]bool)
	for _, sc := range mt.Changes {
		switch sc := sc.(type) {
		case *schema.AddColumn:
			changed[sc.C.Name] = true
		case *schema.RenameColumn:
			changed[sc.To.Name] = true
		case *schema.AddIndex, *schema.DropIndex, *schema.RenameIndex:
		default:
			return // copied anyway
		}
	}
	for _, c := range mt.T.Columns {
		if !changed[c.Name] && generated(c) == nil {
			mt.Changes = append(mt.Changes, &schema.ModifyColumn{From: c, To: c, Change: schema.NoChange})
			return
		}
	}
}

// fillCopies notes the filled columns above the statements that add them,
// and on SQLite copies the zero value into them when the table is rebuilt.
func fillCopies(d dialect.Name, stmts []Stmt, filled []filledColumn) {
	for _, f := range filled {
		q := func(s string) string { return atlasQuote(d, s) }
		warning := dangerPrefix + notNullWithoutDefault(f.table, f.column)
		for i, s := range stmts {
			stmts[i].Comments = slices.DeleteFunc(s.Comments, func(c string) bool { return c == warning })
			if d != dialect.SQLite {
				if strings.HasPrefix(s.SQL, "ALTER TABLE "+q(f.table)+" ") && strings.Contains(s.SQL, "ADD COLUMN "+q(f.column)+" ") {
					stmts[i].Comments = append(stmts[i].Comments, f.note())
					break
				}
				continue
			}
			// INSERT INTO `new_t` (`a`, `b`) SELECT `a`, `b` FROM `t`
			into := "INSERT INTO " + q("new_"+f.table) + " ("
			from := " FROM " + q(f.table)
			sel := strings.Index(s.SQL, ") SELECT ")
			if !strings.HasPrefix(s.SQL, into) || !strings.HasSuffix(s.SQL, from) || sel < 0 {
				continue
			}
			end := len(s.SQL) - len(from)
			stmts[i].SQL = s.SQL[:sel] + ", " + q(f.column) + s.SQL[sel:end] + ", " + f.zero + from
			stmts[i].Comments = append(stmts[i].Comments, f.note())
			break
		}
	}
}

// zeroValue is the SQL zero value of a column type, as Go has one for the
// field: zero, the empty string, false, the epoch, the nil UUID, an empty
// JSON object.
func zeroValue(d dialect.Name, t schema.Type) (string, bool) {
	switch t := t.(type) {
	case *schema.IntegerType, *schema.DecimalType, *schema.FloatType:
		return "0", true
	case *schema.StringType:
		return "''", true
	case *schema.BoolType:
		if d == dialect.Postgres {
			return "false", true
		}
		return "0", true
	case *schema.BinaryType:
		if d == dialect.Postgres {
			return `'\x'`, true
		}
		return "''", true
	case *schema.TimeType:
		switch strings.ToLower(t.T) {
		case "date":
			return "'1970-01-01'", true
		case "time", "time without time zone", "time with time zone":
			return "'00:00:00'", true
		}
		return "'1970-01-01 00:00:00'", true
	case *schema.JSONType:
		if d == dialect.MySQL {
			return "('{}')", true
		}
		return "'{}'", true
	case *schema.UUIDType:
		return "'00000000-0000-0000-0000-000000000000'", true
	case *postgres.SerialType:
		return "", false
	}
	return "", false
}

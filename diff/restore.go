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

// The same holds for a column the upgrade made nullable: the downgrade
// makes it NOT NULL again, which fails once a row holds NULL. It first
// sets those NULLs to the zero value.

// filledColumn is a column a downgrade re-adds, or makes NOT NULL again,
// filled with zero.
type filledColumn struct {
	table, column, zero string
	// nulls: only its NULLs are filled, before it is made NOT NULL.
	nulls bool
}

func (f filledColumn) note() string {
	if f.nulls {
		return fmt.Sprintf("NOTE: sets %s.%s to %s where it is NULL, so it can be NOT NULL again", f.table, f.column, f.zero)
	}
	return fmt.Sprintf("NOTE: re-adds %s.%s with %s in every row; the values it held are not restored", f.table, f.column, f.zero)
}

// warning is the DANGER comment the filling makes obsolete.
func (f filledColumn) warning() string {
	if f.nulls {
		return dangerPrefix + notNullAgain(f.table, f.column)
	}
	return dangerPrefix + notNullWithoutDefault(f.table, f.column)
}

// fillNulls adds, before the way back (changes), the statements that set
// to zero the NULLs of each column it makes NOT NULL again.
func fillNulls(d dialect.Name, changes []schema.Change) ([]schema.Change, []filledColumn) {
	var filled []filledColumn
	for _, c := range changes {
		mt, ok := c.(*schema.ModifyTable)
		if !ok {
			continue
		}
		for _, sc := range mt.Changes {
			mc, ok := sc.(*schema.ModifyColumn)
			if !ok || !mc.Change.Is(schema.ChangeNull) || mc.To.Type.Null || generated(mc.To) != nil {
				continue
			}
			zero, ok := zeroValue(d, mc.From.Type.Type)
			if !ok {
				continue
			}
			f := filledColumn{table: mt.T.Name, column: mc.To.Name, zero: zero, nulls: true}
			filled = append(filled, f)
			q := func(s string) string { return atlasQuote(d, s) }
			update := fmt.Sprintf("UPDATE %s SET %s = %s WHERE %s IS NULL", q(f.table), q(mc.From.Name), zero, q(mc.From.Name))
			changes = append(changes, &firstStep{&stmtChange{table: f.table, stmts: []string{update}}})
		}
	}
	return changes, filled
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

// fillCopies notes the filled columns above the statements that fill them,
// and on SQLite copies the zero value into them when the table is rebuilt.
func fillCopies(d dialect.Name, stmts []Stmt, filled []filledColumn) {
	for _, f := range filled {
		q := func(s string) string { return atlasQuote(d, s) }
		warning := f.warning()
		for i, s := range stmts {
			stmts[i].Comments = slices.DeleteFunc(s.Comments, func(c string) bool { return c == warning })
		}
		for i, s := range stmts {
			if f.nulls {
				if strings.HasPrefix(s.SQL, "UPDATE "+q(f.table)+" SET "+q(f.column)+" ") {
					stmts[i].Comments = append(stmts[i].Comments, f.note())
					break
				}
				continue
			}
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

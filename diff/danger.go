package diff

import (
	"fmt"
	"reflect"
	"strings"

	"ariga.io/atlas/sql/schema"

	"github.com/strata-db/strata/dialect"
)

// dangerPrefix starts the comment above a statement that loses data or can
// fail on existing rows.
const dangerPrefix = "DANGER: "

// warning is one danger of a change, with what finds the statement that
// does it among those planned for the change.
type warning struct {
	text  string
	table string
	// marks are texts of which the statement doing it holds one.
	marks []string
}

// dangers returns the warnings for one change: data it loses, or rows it
// can fail on. On SQLite, what Atlas's planner does by copying the table
// into a new one happens at the copy (INSERT INTO ... SELECT).
func dangers(d dialect.Name, c schema.Change) []warning {
	var out []warning
	q := func(name string) string { return atlasQuote(d, name) }
	copying := func(marks ...string) []string {
		if d == dialect.SQLite {
			marks = append(marks, "INSERT INTO "+q("new_"+tableName(c)))
		}
		return marks
	}
	add := func(marks []string, format string, args ...any) {
		out = append(out, warning{text: dangerPrefix + fmt.Sprintf(format, args...), table: tableName(c), marks: marks})
	}
	switch c := c.(type) {
	case *stmtChange:
		out = append(out, c.warnings...)
	case *schema.DropTable:
		add([]string{"DROP TABLE " + q(c.T.Name)}, "drops table %s and all its rows; they cannot be restored", c.T.Name)
	case *schema.ModifyTable:
		for _, sc := range c.Changes {
			switch sc := sc.(type) {
			case *schema.DropColumn:
				add(copying("DROP COLUMN "+q(sc.C.Name)), "drops column %s.%s and its data; it cannot be restored", c.T.Name, sc.C.Name)
			case *schema.ModifyColumn:
				col := copying("ALTER COLUMN "+q(sc.To.Name)+" TYPE ", "MODIFY COLUMN "+q(sc.To.Name)+" ", "CHANGE COLUMN "+q(sc.From.Name)+" ")
				if sc.Change.Is(schema.ChangeType) && narrows(d, sc.From.Type, sc.To.Type) {
					add(col, "narrows %s.%s from %s to %s; fails on (or truncates) values that do not fit", c.T.Name, sc.To.Name, typeString(d, sc.From.Type), typeString(d, sc.To.Type))
				}
				if sc.Change.Is(schema.ChangeNull) && !sc.To.Type.Null {
					add(append(col, "ALTER COLUMN "+q(sc.To.Name)+" SET NOT NULL"), "%s", notNullAgain(c.T.Name, sc.To.Name))
				}
			case *schema.AddColumn:
				if !sc.C.Type.Null && sc.C.Default == nil && !autoIncrement(sc.C) {
					add(copying("ADD COLUMN "+q(sc.C.Name)), "%s", notNullWithoutDefault(c.T.Name, sc.C.Name))
				}
			case *schema.AddIndex:
				if sc.I.Unique {
					add([]string{"UNIQUE INDEX " + q(sc.I.Name)}, "adds unique index %s on %s %s; fails if existing rows hold duplicates", sc.I.Name, c.T.Name, indexParts(sc.I))
				}
			case *schema.ModifyIndex:
				if sc.To.Unique && !sc.From.Unique || sc.To.Unique && sc.Change.Is(schema.ChangeParts) {
					add([]string{"UNIQUE INDEX " + q(sc.To.Name)}, "makes index %s on %s unique on %s; fails if existing rows hold duplicates", sc.To.Name, c.T.Name, indexParts(sc.To))
				}
			case *schema.AddPrimaryKey:
				add(copying("ADD PRIMARY KEY"), "adds a primary key on %s %s; fails on duplicates or NULLs", c.T.Name, indexParts(sc.P))
			case *schema.ModifyPrimaryKey:
				add(copying("ADD PRIMARY KEY"), "changes the primary key of %s to %s; fails on duplicates or NULLs", c.T.Name, indexParts(sc.To))
			}
		}
	}
	return out
}

func notNullAgain(table, column string) string {
	return fmt.Sprintf("makes %s.%s NOT NULL; fails if any row holds NULL", table, column)
}

func notNullWithoutDefault(table, column string) string {
	return fmt.Sprintf("adds %s.%s NOT NULL without a default; fails if the table has rows", table, column)
}

// tableName is the name of the table a change is about, or "".
func tableName(c schema.Change) string {
	switch c := c.(type) {
	case *schema.AddTable:
		return c.T.Name
	case *schema.DropTable:
		return c.T.Name
	case *schema.ModifyTable:
		return c.T.Name
	case *schema.RenameTable:
		return c.To.Name
	}
	return ""
}

// atlasQuote quotes a name as Atlas's planners write it.
func atlasQuote(d dialect.Name, name string) string {
	if d == dialect.Postgres {
		return d.Quote(name)
	}
	return "`" + strings.ReplaceAll(name, "`", "``") + "`"
}

// place puts each warning above the statement that does what it says: the
// first of stmts that names its table and holds one of its marks, else the
// first that names its table, else the first. Each warning is placed once.
func place(d dialect.Name, stmts []Stmt, warnings []warning) {
	if len(stmts) == 0 {
		return
	}
	find := func(w warning) int {
		table := atlasQuote(d, w.table)
		for _, m := range w.marks {
			for i, s := range stmts {
				if strings.Contains(s.SQL, table) && strings.Contains(s.SQL, m) {
					return i
				}
			}
		}
		for i, s := range stmts {
			if strings.Contains(s.SQL, table) {
				return i
			}
		}
		return 0
	}
	for _, w := range warnings {
		i := find(w)
		stmts[i].Comments = append(stmts[i].Comments, w.text)
	}
}

func autoIncrement(c *schema.Column) bool {
	for _, a := range c.Attrs {
		if strings.Contains(strings.ToLower(reflect.TypeOf(a).String()), "autoincrement") ||
			strings.Contains(strings.ToLower(reflect.TypeOf(a).String()), "identity") {
			return true
		}
	}
	return false
}

var intRank = map[string]int{
	"tinyint": 1, "smallint": 2, "int2": 2, "mediumint": 3, "int": 4, "integer": 4, "int4": 4, "serial": 4,
	"bigint": 8, "int8": 8, "bigserial": 8,
}

// narrows reports whether changing a column from one type to another can
// fail on, or lose, existing values.
func narrows(d dialect.Name, from, to *schema.ColumnType) bool {
	if from == nil || to == nil {
		return true
	}
	switch f := from.Type.(type) {
	case *schema.StringType:
		t, ok := to.Type.(*schema.StringType)
		if !ok {
			return true
		}
		return t.Size != 0 && (f.Size == 0 || t.Size < f.Size)
	case *schema.IntegerType:
		switch t := to.Type.(type) {
		case *schema.IntegerType:
			return intRank[strings.ToLower(t.T)] < intRank[strings.ToLower(f.T)] || t.Unsigned != f.Unsigned
		case *schema.DecimalType, *schema.FloatType:
			return false
		case *schema.StringType:
			return t.Size != 0 && t.Size < 20
		}
		return true
	case *schema.DecimalType:
		t, ok := to.Type.(*schema.DecimalType)
		if !ok {
			return true
		}
		return t.Precision != 0 && (f.Precision == 0 || t.Precision-t.Scale < f.Precision-f.Scale) || t.Scale < f.Scale
	case *schema.FloatType:
		t, ok := to.Type.(*schema.FloatType)
		if !ok {
			_, dec := to.Type.(*schema.DecimalType)
			return !dec
		}
		return t.Precision != 0 && t.Precision < f.Precision || strings.Contains(t.T, "real") && strings.Contains(f.T, "double")
	case *schema.TimeType:
		t, ok := to.Type.(*schema.TimeType)
		if !ok {
			return true
		}
		return t.Precision != nil && f.Precision != nil && *t.Precision < *f.Precision
	}
	return typeString(d, from) != typeString(d, to)
}

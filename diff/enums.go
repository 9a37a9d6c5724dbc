package diff

import (
	"fmt"
	"strings"

	"ariga.io/atlas/sql/postgres"
	"ariga.io/atlas/sql/schema"
)

// PostgreSQL enum types are schema objects: the models declare them
// (//strata:enum) and introspect reads those of the current schema that no
// excluded table uses. Atlas's differ adds, alters (ALTER TYPE ... ADD
// VALUE) and drops them; strata plans the new and altered types before
// every other change and the dropped ones after. An enum type of the
// database is dropped only with the last column using it: not while a
// column of the target uses it by name (a column declared type:NAME keeps
// its type whether or not the models declare it), and not when no column
// of the database uses it, as it may serve what strata does not read (a
// function's arguments, a made-by-hand type); so the way back (from the
// models to the database) creates again only a type the database's
// columns use, and drops what the models declare and the database did
// not have.

// enumChanges orders the enum changes of changes and keeps the drops
// allowed above; fromModels says from is the models.
func enumChanges(from, to *schema.Schema, fromModels bool, changes []schema.Change) []schema.Change {
	used, had := enumsUsed(to), enumsUsed(from)
	out := changes[:0]
	for _, c := range changes {
		switch o := c.(type) {
		case *schema.AddObject:
			if e, ok := o.O.(*schema.EnumType); ok && fromModels && !used[e.T] {
				continue // The upgrade did not drop it (see above).
			}
			c = &firstStep{c}
		case *schema.ModifyObject:
			c = &firstStep{c}
		case *schema.DropObject:
			if e, ok := o.O.(*schema.EnumType); ok && (used[e.T] || !fromModels && !had[e.T]) {
				continue
			}
			c = &lastStep{c}
		}
		out = append(out, c)
	}
	return out
}

// enumsUsed returns the names of the user-defined types s's columns use,
// element types of arrays included.
func enumsUsed(s *schema.Schema) map[string]bool {
	used := make(map[string]bool)
	for _, t := range s.Tables {
		for _, c := range t.Columns {
			typ := c.Type.Type
			if a, ok := typ.(*postgres.ArrayType); ok {
				typ = a.Type
			}
			switch typ := typ.(type) {
			case *schema.EnumType:
				used[typ.T] = true
			case *postgres.UserDefinedType:
				used[strings.Trim(typ.T, `"`)] = true
			}
		}
	}
	return used
}

// enumsKnown returns the names of the enum types the database has: its
// enum objects and the types its columns use.
func enumsKnown(s *schema.Schema) map[string]bool {
	known := enumsUsed(s)
	for _, o := range s.Objects {
		if e, ok := o.(*schema.EnumType); ok {
			known[e.T] = true
		}
	}
	return known
}

// sameEnumTypes makes a desired column declared type:NAME of the current
// column's enum type NAME: introspect reads enum columns as their type.
func sameEnumTypes(ft, tt *schema.Table) {
	for _, tc := range tt.Columns {
		fc, ok := ft.Column(tc.Name)
		if !ok {
			continue
		}
		u, ok1 := tc.Type.Type.(*postgres.UserDefinedType)
		e, ok2 := fc.Type.Type.(*schema.EnumType)
		if ok1 && ok2 && strings.Trim(u.T, `"`) == e.T {
			tc.Type.Type = e
		}
	}
}

// describeEnum describes a change of an enum type.
func describeEnum(c schema.Change) (Change, bool) {
	values := func(e *schema.EnumType) string {
		q := make([]string, len(e.Values))
		for i, v := range e.Values {
			q[i] = "'" + strings.ReplaceAll(v, "'", "''") + "'"
		}
		return "(" + strings.Join(q, ", ") + ")"
	}
	switch c := c.(type) {
	case *schema.AddObject:
		if e, ok := c.O.(*schema.EnumType); ok {
			return Change{Kind: "add_enum", Name: e.T, To: values(e), Summary: fmt.Sprintf("+ enum %s %s", e.T, values(e))}, true
		}
	case *schema.DropObject:
		if e, ok := c.O.(*schema.EnumType); ok {
			return Change{Kind: "drop_enum", Name: e.T, From: values(e), Summary: "- enum " + e.T}, true
		}
	case *schema.ModifyObject:
		from, ok1 := c.From.(*schema.EnumType)
		to, ok2 := c.To.(*schema.EnumType)
		if ok1 && ok2 {
			return Change{Kind: "modify_enum", Name: to.T, From: values(from), To: values(to),
				Summary: fmt.Sprintf("~ enum %s: %s → %s", to.T, values(from), values(to))}, true
		}
	}
	return Change{}, false
}

// enumValueDrops returns the changes of enum types that remove or reorder
// values, which PostgreSQL cannot do (it only adds them), and the others.
func enumValueDrops(changes []schema.Change) (drops []*schema.ModifyObject, rest []schema.Change) {
	for _, c := range changes {
		m, ok := c.(*firstStep)
		if !ok {
			rest = append(rest, c)
			continue
		}
		if mo, ok := m.Change.(*schema.ModifyObject); ok && !keepsEnumValues(mo) {
			drops = append(drops, mo)
			continue
		}
		rest = append(rest, c)
	}
	return drops, rest
}

// keepsEnumValues reports whether a change of an enum type keeps every
// value of the type, in order.
func keepsEnumValues(m *schema.ModifyObject) bool {
	from, ok1 := m.From.(*schema.EnumType)
	to, ok2 := m.To.(*schema.EnumType)
	if !ok1 || !ok2 {
		return true
	}
	i := 0
	for _, v := range to.Values {
		if i < len(from.Values) && from.Values[i] == v {
			i++
		}
	}
	return i == len(from.Values)
}

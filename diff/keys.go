package diff

import (
	"cmp"
	"fmt"
	"slices"

	"ariga.io/atlas/sql/postgres"
	"ariga.io/atlas/sql/schema"

	"github.com/strata-db/strata/dialect"
)

// stmtChange is a change Atlas's planners cannot plan, with the statements
// strata writes for it after the ones Atlas plans.
type stmtChange struct {
	schema.Change // marks the type as a change; never called
	change        Change
	stmts         []string
	// of is the change the statements carry out, whose warnings (danger)
	// go above the first statement; nil for none.
	of schema.Change
	// table is the table the statements change, which they follow when
	// changes are ordered (dependencyOrder).
	table string
	// warnings are the dangers of statements that carry out no Atlas
	// change (of is nil).
	warnings []warning
}

// primaryKeyRenames adds the renames of PostgreSQL primary keys, whose
// names Atlas's differ ignores: a table renamed by hint keeps its old
// TABLE_pkey, while the models name it after the new table.
func primaryKeyRenames(from, to *schema.Schema, changes []schema.Change) []schema.Change {
	fromTable := tableFinder(from)
	for _, tt := range to.Tables {
		ft, ok := fromTable(tt.Name)
		if !ok || ft.PrimaryKey == nil || tt.PrimaryKey == nil || ft.PrimaryKey.Name == "" || tt.PrimaryKey.Name == "" ||
			ft.PrimaryKey.Name == tt.PrimaryKey.Name || changesPrimaryKey(changes, tt.Name) {
			continue
		}
		mt, out := modifyTable(changes, tt)
		mt.Changes = append(mt.Changes, &schema.RenameIndex{From: ft.PrimaryKey, To: tt.PrimaryKey})
		changes = out
	}
	return changes
}

// changesPrimaryKey reports whether changes replace the primary key of table,
// which names the new key.
func changesPrimaryKey(changes []schema.Change, table string) bool {
	for _, c := range changes {
		if mt, ok := c.(*schema.ModifyTable); ok && mt.T.Name == table {
			for _, sc := range mt.Changes {
				switch sc.(type) {
				case *schema.AddPrimaryKey, *schema.DropPrimaryKey, *schema.ModifyPrimaryKey:
					return true
				}
			}
		}
	}
	return false
}

// autoIncrementChanges handles a column that gains or loses autoincrement.
// Atlas's MySQL and SQLite differs do not report it (the column is
// redefined: MODIFY COLUMN, or a table copy on SQLite), and its PostgreSQL
// planner cannot add or drop an identity (ALTER COLUMN ... ADD GENERATED,
// DROP IDENTITY).
func autoIncrementChanges(d dialect.Name, from, to *schema.Schema, changes []schema.Change) []schema.Change {
	for p := range matchedColumns(from, to) {
		tt, fc, tc := p.tt, p.fc, p.tc
		if autoIncrement(fc) == autoIncrement(tc) {
			continue
		}
		if d != dialect.Postgres {
			changes = modifyColumn(changes, tt, fc, tc, schema.ChangeAttr)
			continue
		}
		// Atlas reports it as an attribute change; strata writes it.
		for _, c := range changes {
			if mt, ok := c.(*schema.ModifyTable); ok && mt.T.Name == tt.Name {
				for _, sc := range mt.Changes {
					if mc, ok := sc.(*schema.ModifyColumn); ok && mc.To.Name == tc.Name {
						mc.Change &^= schema.ChangeAttr
					}
				}
			}
		}
		changes = append(changes, identityChange(tt, tc))
	}
	return dropEmpty(changes)
}

// identityChange makes c of table t an identity column, or a plain one. A
// new identity's sequence starts after the values the column holds.
func identityChange(t *schema.Table, c *schema.Column) *stmtChange {
	q := dialect.Postgres.Quote
	alter := fmt.Sprintf("ALTER TABLE %s ALTER COLUMN %s ", q(t.Name), q(c.Name))
	id := &postgres.Identity{}
	for _, a := range c.Attrs {
		if i, ok := a.(*postgres.Identity); ok {
			id = i
		}
	}
	if !autoIncrement(c) {
		return &stmtChange{
			table: t.Name,
			change: Change{Kind: "modify_column", Table: t.Name, Column: c.Name, From: "autoincrement", To: "not autoincrement",
				Summary: fmt.Sprintf("~ column %s.%s: no longer autoincrement", t.Name, c.Name)},
			stmts: []string{alter + "DROP IDENTITY"},
		}
	}
	gen := id.Generation
	if gen == "" {
		gen = "BY DEFAULT"
	}
	start, inc := int64(1), int64(1)
	if s := id.Sequence; s != nil {
		start, inc = cmp.Or(s.Start, 1), cmp.Or(s.Increment, 1)
	}
	add := alter + "ADD GENERATED " + gen + " AS IDENTITY"
	if start != 1 || inc != 1 {
		add += fmt.Sprintf(" (START WITH %d INCREMENT BY %d)", start, inc)
	}
	// The next value follows the rows' (or is the start, on no rows).
	next := fmt.Sprintf("GREATEST(MAX(%s) + %d, %d)", q(c.Name), inc, start)
	if inc < 0 {
		next = fmt.Sprintf("LEAST(MIN(%s) + %d, %d)", q(c.Name), inc, start)
	}
	return &stmtChange{
		table: t.Name,
		change: Change{Kind: "modify_column", Table: t.Name, Column: c.Name, From: "not autoincrement", To: "autoincrement",
			Summary: fmt.Sprintf("~ column %s.%s: autoincrement", t.Name, c.Name)},
		stmts: []string{
			add,
			fmt.Sprintf("SELECT setval(pg_get_serial_sequence(%s, %s), %s, false) FROM %s",
				dialect.Postgres.Literal(q(t.Name)), dialect.Postgres.Literal(c.Name), next, q(t.Name)),
		},
	}
}

// dropEmpty removes column changes that change nothing, and table changes
// left without changes.
func dropEmpty(changes []schema.Change) []schema.Change {
	out := changes[:0]
	for _, c := range changes {
		if mt, ok := c.(*schema.ModifyTable); ok {
			kept := mt.Changes[:0]
			for _, sc := range mt.Changes {
				if mc, ok := sc.(*schema.ModifyColumn); ok && mc.Change == schema.NoChange {
					continue
				}
				kept = append(kept, sc)
			}
			if mt.Changes = kept; len(kept) == 0 {
				continue
			}
		}
		out = append(out, c)
	}
	return out
}

// firstStep and lastStep are changes (a table change, or strata's own
// statements) planned before, or after, all others of their direction
// (plan).
type (
	firstStep struct{ schema.Change }
	lastStep  struct{ schema.Change }
)

// foreignKeyTypeChanges lets MariaDB change the type of a column a foreign
// key holds or references (int to bigint on a key and the columns pointing
// at it), which it refuses while the key exists, even with
// foreign_key_checks off (error 1832): each such key is dropped before all
// other steps and added again after them.
func foreignKeyTypeChanges(from, to *schema.Schema, changes []schema.Change) []schema.Change {
	typed := make(map[string]bool) // "table.column" whose type changes
	for _, c := range changes {
		if mt, ok := c.(*schema.ModifyTable); ok {
			for _, sc := range mt.Changes {
				if mc, ok := sc.(*schema.ModifyColumn); ok && mc.Change.Is(schema.ChangeType) {
					typed[mt.T.Name+"."+mc.To.Name] = true
				}
			}
		}
	}
	if len(typed) == 0 {
		return changes
	}
	holds := func(table string, cols []*schema.Column) bool {
		return slices.ContainsFunc(cols, func(c *schema.Column) bool { return typed[table+"."+c.Name] })
	}
	for ft, tt := range matchedTables(from, to) {
		for _, fk := range tt.ForeignKeys {
			old, ok := ft.ForeignKey(fk.Symbol)
			if !ok || fk.RefTable == nil || !holds(tt.Name, fk.Columns) && !holds(fk.RefTable.Name, fk.RefColumns) {
				continue
			}
			// Atlas's own change of the key, if any, is replaced.
			for _, c := range changes {
				if mt, ok := c.(*schema.ModifyTable); ok && mt.T.Name == tt.Name {
					mt.Changes = slices.DeleteFunc(mt.Changes, func(sc schema.Change) bool {
						return objectKey(tt.Name, sc) == objectKey(tt.Name, &schema.AddForeignKey{F: fk})
					})
				}
			}
			changes = append(changes,
				&firstStep{&schema.ModifyTable{T: tt, Changes: []schema.Change{&schema.DropForeignKey{F: old}}}},
				&lastStep{&schema.ModifyTable{T: tt, Changes: []schema.Change{&schema.AddForeignKey{F: fk}}}},
			)
		}
	}
	return dropEmpty(changes)
}

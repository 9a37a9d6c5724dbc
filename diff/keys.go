package diff

import (
	"fmt"

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
	fromTable := tableFinder(from)
	for _, tt := range to.Tables {
		ft, ok := fromTable(tt.Name)
		if !ok {
			continue
		}
		for _, tc := range tt.Columns {
			fc, ok := ft.Column(tc.Name)
			if !ok || autoIncrement(fc) == autoIncrement(tc) {
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
			change: Change{Kind: "modify_column", Table: t.Name, Column: c.Name, From: "autoincrement", To: "not autoincrement",
				Summary: fmt.Sprintf("~ column %s.%s: no longer autoincrement", t.Name, c.Name)},
			stmts: []string{alter + "DROP IDENTITY"},
		}
	}
	gen := id.Generation
	if gen == "" {
		gen = "BY DEFAULT"
	}
	return &stmtChange{
		change: Change{Kind: "modify_column", Table: t.Name, Column: c.Name, From: "not autoincrement", To: "autoincrement",
			Summary: fmt.Sprintf("~ column %s.%s: autoincrement", t.Name, c.Name)},
		stmts: []string{
			alter + "ADD GENERATED " + gen + " AS IDENTITY",
			fmt.Sprintf("SELECT setval(pg_get_serial_sequence(%s, %s), COALESCE(MAX(%s), 0) + 1, false) FROM %s",
				dialect.Postgres.Literal(q(t.Name)), dialect.Postgres.Literal(c.Name), q(c.Name), q(t.Name)),
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

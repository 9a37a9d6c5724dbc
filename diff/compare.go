package diff

import (
	"fmt"

	"ariga.io/atlas/sql/migrate"
	"ariga.io/atlas/sql/schema"

	"github.com/strata-db/strata/dialect"
)

// compare returns the changes from one schema to the other: Atlas's
// differ, without schema changes, completed with what it misses. checks
// are the check constraints whose expression changed (changedChecks).
func compare(drv migrate.Driver, d dialect.Name, from, to *schema.Schema, checks map[string]bool) ([]schema.Change, error) {
	restore := keepIndexes(from, to)
	changes, err := drv.SchemaDiff(from, to)
	restore()
	if err != nil {
		return nil, fmt.Errorf("diff: %w", err)
	}
	changes = keep(changes)
	switch d {
	case dialect.Postgres:
		changes = primaryKeyRenames(from, to, changes)
	case dialect.MySQL:
		changes = hiddenIndexDrops(from, to, changes)
	case dialect.SQLite:
		changes = sqliteTypeChanges(from, to, changes)
	}
	changes = checkChanges(d, from, to, checks, changes)
	return autoIncrementChanges(d, from, to, changes), nil
}

// keepIndexes saves the index lists of the tables, which Atlas's MySQL
// differ edits: it removes from the "from" side each index that supports a
// foreign key and is missing on the other side. The returned function puts
// them back.
func keepIndexes(schemas ...*schema.Schema) func() {
	saved := make(map[*schema.Table][]*schema.Index)
	for _, s := range schemas {
		for _, t := range s.Tables {
			saved[t] = t.Indexes
		}
	}
	return func() {
		for t, idx := range saved {
			t.Indexes = idx
		}
	}
}

// hiddenIndexDrops adds the index drops Atlas's MySQL differ leaves out:
// an index that supports a foreign key is kept when the other side lacks
// it, as if MySQL had made it on its own. The models declare the indexes
// MySQL makes (model.Load), so any index missing from "to" must go, or a
// dropped foreign key leaves its index behind.
func hiddenIndexDrops(from, to *schema.Schema, changes []schema.Change) []schema.Change {
	for _, ft := range from.Tables {
		tt, ok := to.Table(ft.Name)
		if !ok {
			continue
		}
		for _, idx := range ft.Indexes {
			if _, ok := tt.Index(idx.Name); ok || dropsIndex(changes, ft.Name, idx.Name) {
				continue
			}
			var mt *schema.ModifyTable
			mt, changes = modifyTable(changes, tt)
			mt.Changes = append(mt.Changes, &schema.DropIndex{I: idx})
		}
	}
	return changes
}

func dropsIndex(changes []schema.Change, table, index string) bool {
	for _, c := range changes {
		if mt, ok := c.(*schema.ModifyTable); ok && mt.T.Name == table {
			for _, sc := range mt.Changes {
				if di, ok := sc.(*schema.DropIndex); ok && di.I.Name == index {
					return true
				}
			}
		}
	}
	return false
}

// modifyTable returns the change modifying table t, appending one to
// changes if there is none.
func modifyTable(changes []schema.Change, t *schema.Table) (*schema.ModifyTable, []schema.Change) {
	for _, c := range changes {
		if mt, ok := c.(*schema.ModifyTable); ok && mt.T.Name == t.Name {
			return mt, changes
		}
	}
	mt := &schema.ModifyTable{T: t}
	return mt, append(changes, mt)
}

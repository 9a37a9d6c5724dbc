package diff

import (
	"slices"
	"strings"

	"ariga.io/atlas/sql/schema"
	"ariga.io/atlas/sql/sqlite"
)

// sqliteTypeChanges adds the column type changes Atlas's SQLite differ does
// not report, as it compares only type affinity: varchar(100) against
// varchar(320), or decimal(10,2) against decimal(12,2). Declared types are
// what SQLite keeps and shows, so strata compares them in full.
func sqliteTypeChanges(from, to *schema.Schema, changes []schema.Change) []schema.Change {
	fromTable := tableFinder(from)
	for _, tt := range to.Tables {
		ft, ok := fromTable(tt.Name)
		if !ok {
			continue
		}
		for _, tc := range tt.Columns {
			fc, ok := ft.Column(tc.Name)
			if !ok || typeString("sqlite", fc.Type) == typeString("sqlite", tc.Type) {
				continue
			}
			changes = modifyColumn(changes, tt, fc, tc, schema.ChangeType)
		}
	}
	return changes
}

// modifyColumn marks the change kind on the column's ModifyColumn, adding
// the ModifyColumn (and its ModifyTable) when the differ reported none.
func modifyColumn(changes []schema.Change, tt *schema.Table, fc, tc *schema.Column, kind schema.ChangeKind) []schema.Change {
	mt, changes := modifyTable(changes, tt)
	for _, sc := range mt.Changes {
		if mc, ok := sc.(*schema.ModifyColumn); ok && mc.To.Name == tc.Name {
			mc.Change |= kind
			return changes
		}
	}
	// In column order among the differ's column changes, as it reports them.
	pos := func(c *schema.Column) int {
		return slices.IndexFunc(tt.Columns, func(x *schema.Column) bool { return x.Name == c.Name })
	}
	at := slices.IndexFunc(mt.Changes, func(sc schema.Change) bool {
		switch sc := sc.(type) {
		case *schema.AddColumn:
			return pos(sc.C) > pos(tc)
		case *schema.ModifyColumn:
			return pos(sc.To) > pos(tc)
		}
		return false
	})
	if at < 0 {
		at = len(mt.Changes)
	}
	mt.Changes = slices.Insert(mt.Changes, at, schema.Change(&schema.ModifyColumn{From: fc, To: tc, Change: kind}))
	return changes
}

// sqliteUniqueNames names the indexes of UNIQUE constraints, which SQLite
// calls sqlite_autoindex_TABLE_N, TABLE_COLUMNS: the name Atlas gives such
// an index when it creates one, since SQLite will not take the internal
// name. Atlas's differ renames them on the desired side only and then
// cannot match an inspected one, so a database with UNIQUE constraints
// (as GORM's AutoMigrate makes them) would never compare equal.
func sqliteUniqueNames(schemas ...*schema.Schema) {
	for _, s := range schemas {
		for _, t := range s.Tables {
			for _, idx := range t.Indexes {
				if !strings.HasPrefix(idx.Name, "sqlite_autoindex_") || slices.ContainsFunc(idx.Parts, func(p *schema.IndexPart) bool { return p.C == nil }) {
					continue
				}
				if hasOrigin(idx, "pk") {
					continue
				}
				names := []string{t.Name}
				for _, p := range idx.Parts {
					names = append(names, p.C.Name)
				}
				idx.Name = strings.Join(names, "_")
			}
		}
	}
}

// hasOrigin reports whether SQLite says the index was made by origin: c
// (CREATE INDEX), u (UNIQUE) or pk.
func hasOrigin(idx *schema.Index, origin string) bool {
	for _, a := range idx.Attrs {
		if o, ok := a.(*sqlite.IndexOrigin); ok && o.O == origin {
			return true
		}
	}
	return false
}

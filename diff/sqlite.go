package diff

import (
	"ariga.io/atlas/sql/schema"
)

// sqliteTypeChanges adds the column type changes Atlas's SQLite differ does
// not report, as it compares only type affinity: varchar(100) against
// varchar(320), or decimal(10,2) against decimal(12,2). Declared types are
// what SQLite keeps and shows, so strata compares them in full.
func sqliteTypeChanges(from, to *schema.Schema, changes []schema.Change) []schema.Change {
	for _, tt := range to.Tables {
		ft, ok := from.Table(tt.Name)
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
	mt.Changes = append(mt.Changes, &schema.ModifyColumn{From: fc, To: tc, Change: kind})
	return changes
}

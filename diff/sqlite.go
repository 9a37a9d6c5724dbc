package diff

import (
	"ariga.io/atlas/sql/schema"
)

// sqliteTypeChanges finds column type changes Atlas's SQLite differ does
// not report, as it compares only type affinity: varchar(100) against
// varchar(320), or decimal(10,2) against decimal(12,2). Declared types are
// what SQLite keeps and shows, so strata compares them in full. changes are
// the differ's own, so a column is reported once.
func sqliteTypeChanges(from, to *schema.Schema, changes []schema.Change) []schema.Change {
	reported := map[*schema.Column]bool{}
	modified := map[string]*schema.ModifyTable{}
	for _, c := range changes {
		switch c := c.(type) {
		case *schema.ModifyTable:
			modified[c.T.Name] = c
			for _, sc := range c.Changes {
				if mc, ok := sc.(*schema.ModifyColumn); ok && mc.Change.Is(schema.ChangeType) {
					reported[mc.To] = true
				}
			}
		case *schema.AddTable, *schema.DropTable:
			// Whole tables: nothing to compare column by column.
		}
	}
	var out []schema.Change
	for _, tt := range to.Tables {
		ft, ok := from.Table(tt.Name)
		if !ok {
			continue
		}
		for _, tc := range tt.Columns {
			fc, ok := ft.Column(tc.Name)
			if !ok || reported[tc] || typeString("sqlite", fc.Type) == typeString("sqlite", tc.Type) {
				continue
			}
			var mc *schema.ModifyColumn
			if mt := modified[tt.Name]; mt != nil {
				for _, sc := range mt.Changes {
					if m, ok := sc.(*schema.ModifyColumn); ok && m.To == tc {
						mc = m
					}
				}
				if mc == nil {
					mc = &schema.ModifyColumn{From: fc, To: tc}
					mt.Changes = append(mt.Changes, mc)
				}
				mc.Change |= schema.ChangeType
				continue
			}
			mt := &schema.ModifyTable{T: tt, Changes: []schema.Change{&schema.ModifyColumn{From: fc, To: tc, Change: schema.ChangeType}}}
			modified[tt.Name] = mt
			out = append(out, mt)
		}
	}
	return out
}

package diff

import (
	"ariga.io/atlas/sql/schema"

	"github.com/strata-db/strata/dialect"
)

// changedChecks returns the check constraints, "table.name", whose
// expression differs from the database (current) to the models (desired).
// Atlas's differ compares check expressions only on schemas normalized
// through a dev database; strata compares them after normalize, which has
// the database rewrite the declared expression.
func changedChecks(current, desired *schema.Schema) map[string]bool {
	changed := make(map[string]bool)
	for ft, tt := range matchedTables(current, desired) {
		for _, tc := range tt.Checks() {
			for _, fc := range ft.Checks() {
				if fc.Name == tc.Name && tc.Name != "" && normText(fc.Expr) != normText(tc.Expr) {
					changed[tt.Name+"."+tc.Name] = true
				}
			}
		}
	}
	return changed
}

// checkChanges adds the changes of the checks in changed that the differ
// did not report. MariaDB cannot modify a check in place (no DROP CHECK):
// it is dropped and added again.
func checkChanges(d dialect.Name, from, to *schema.Schema, changed map[string]bool, changes []schema.Change) []schema.Change {
	for ft, tt := range matchedTables(from, to) {
		for _, tc := range tt.Checks() {
			if !changed[tt.Name+"."+tc.Name] {
				continue
			}
			for _, fc := range ft.Checks() {
				if fc.Name != tc.Name {
					continue
				}
				var mt *schema.ModifyTable
				mt, changes = modifyTable(changes, tt)
				if d == dialect.MySQL {
					mt.Changes = append(mt.Changes, &schema.DropCheck{C: fc}, &schema.AddCheck{C: tc})
				} else {
					mt.Changes = append(mt.Changes, &schema.ModifyCheck{From: fc, To: tc})
				}
			}
		}
	}
	return changes
}

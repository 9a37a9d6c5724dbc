package diff

import (
	"fmt"
	"slices"

	"ariga.io/atlas/sql/schema"

	"github.com/strata-db/strata/dialect"
)

// partitionChanges adds the changes of PostgreSQL partitions, which Atlas
// knows nothing of (its schema has the partition key, not the partitions):
// a new partition is created (CREATE TABLE ... PARTITION OF), one gone is
// dropped with its rows, and one whose bound changed is detached and
// attached again with the new bound, which keeps its rows (and fails if
// one falls outside the bound). A dropped table takes its partitions along.
// Partitions the models cannot declare (in another schema, or partitioned
// themselves) are left alone.
func partitionChanges(from, to *schema.Schema, changes []schema.Change) []schema.Change {
	fromTable := tableFinder(from)
	q := dialect.Postgres.Quote
	for _, tt := range to.Tables {
		var old map[string]*dialect.Partition
		if ft, ok := fromTable(tt.Name); ok {
			old = make(map[string]*dialect.Partition)
			for _, p := range managed(ft.Attrs) {
				old[p.Name] = p
			}
		}
		for _, p := range managed(tt.Attrs) {
			was, ok := old[p.Name]
			delete(old, p.Name)
			switch {
			case !ok:
				changes = append(changes, &stmtChange{table: tt.Name, stmts: []string{p.Create(tt.Name)},
					change: Change{Kind: "add_partition", Table: tt.Name, Name: p.Name, To: p.Bound,
						Summary: fmt.Sprintf("+ partition %s of %s %s", p.Name, tt.Name, p.Bound)}})
			case normText(was.Bound) != normText(p.Bound):
				changes = append(changes, &stmtChange{table: tt.Name, stmts: []string{
					fmt.Sprintf("ALTER TABLE %s DETACH PARTITION %s", q(tt.Name), q(p.Name)),
					fmt.Sprintf("ALTER TABLE %s ATTACH PARTITION %s %s", q(tt.Name), q(p.Name), p.Bound),
				}, change: Change{Kind: "modify_partition", Table: tt.Name, Name: p.Name, From: was.Bound, To: p.Bound,
					Summary: fmt.Sprintf("~ partition %s of %s: %s → %s", p.Name, tt.Name, was.Bound, p.Bound)}})
			}
		}
		for _, p := range managed(fromAttrs(fromTable, tt.Name)) {
			if _, gone := old[p.Name]; !gone {
				continue
			}
			text := fmt.Sprintf("drops partition %s of %s and all its rows; they cannot be restored", p.Name, tt.Name)
			changes = append(changes, &stmtChange{table: tt.Name, stmts: []string{"DROP TABLE " + q(p.Name)},
				warnings: []warning{{text: dangerPrefix + text, table: p.Name}},
				change: Change{Kind: "drop_partition", Table: tt.Name, Name: p.Name, From: p.Bound,
					Summary: fmt.Sprintf("- partition %s of %s", p.Name, tt.Name)}})
		}
	}
	return changes
}

// managed returns the partitions among attrs the models can declare.
func managed(attrs []schema.Attr) []*dialect.Partition {
	return slices.DeleteFunc(dialect.Partitions(attrs), func(p *dialect.Partition) bool { return !p.Managed() })
}

// fromAttrs returns the attributes of the named table of the other side, or nil.
func fromAttrs(find func(string) (*schema.Table, bool), name string) []schema.Attr {
	if t, ok := find(name); ok {
		return t.Attrs
	}
	return nil
}

package diff

import (
	"ariga.io/atlas/sql/schema"
	"slices"
)

// Atlas's PostgreSQL and MySQL planners sort the changes they are given by
// comparing every pair (sqlx.SortChanges), which is quadratic: 5,000 new
// tables took minutes. strata orders large change sets itself, linearly,
// and hands them to Atlas in batches small enough for its sort to be cheap.
var (
	// batchThreshold is the number of changes above which they are batched.
	batchThreshold = 200
	// batchSize is the number of changes planned together.
	batchSize = 100
)

// batches splits changes into groups to plan one after the other. Small
// sets, and sets whose dependencies form a cycle (which Atlas resolves by
// detaching foreign keys), stay one group.
func batches(changes []schema.Change) [][]schema.Change {
	if len(changes) <= batchThreshold {
		return [][]schema.Change{changes}
	}
	order, ok := dependencyOrder(changes)
	if !ok {
		return [][]schema.Change{changes}
	}
	return slices.Collect(slices.Chunk(order, batchSize))
}

// dependencyOrder orders top-level changes so that each comes after the
// changes it depends on: a new table after the tables (new or modified) its
// foreign keys reference; a modified table after the new or modified tables
// the foreign keys it adds reference, and before the modified or dropped
// tables the foreign keys it drops reference; a dropped table after every
// change to a table that references it. ok is false on a cycle.
func dependencyOrder(changes []schema.Change) (order []schema.Change, ok bool) {
	byTable := make(map[string][]int, len(changes)) // table name -> changes to it
	name := func(c schema.Change) string {
		if s, ok := c.(*stmtChange); ok {
			return s.table
		}
		return tableName(c)
	}
	for i, c := range changes {
		byTable[name(c)] = append(byTable[name(c)], i)
	}
	after := make([][]int, len(changes)) // after[i]: changes i must follow
	before := func(first string, then int) {
		for _, j := range byTable[first] {
			if j != then {
				after[then] = append(after[then], j)
			}
		}
	}
	follows := func(first int, then string) {
		for _, j := range byTable[then] {
			if j != first {
				after[j] = append(after[j], first)
			}
		}
	}
	refs := func(fks []*schema.ForeignKey) []string {
		var out []string
		for _, fk := range fks {
			if fk.RefTable != nil {
				out = append(out, fk.RefTable.Name)
			}
		}
		return out
	}
	droppedReferrers := map[string][]int{}
	for i, c := range changes {
		if d, ok := c.(*schema.DropTable); ok {
			for _, r := range refs(d.T.ForeignKeys) {
				droppedReferrers[r] = append(droppedReferrers[r], i)
			}
		}
	}
	for i, c := range changes {
		switch c := c.(type) {
		case *stmtChange:
			// After the changes to its table that come before it.
			for _, j := range byTable[c.table] {
				if j < i {
					after[i] = append(after[i], j)
				}
			}
		case *schema.AddTable:
			for _, r := range refs(c.T.ForeignKeys) {
				before(r, i)
			}
		case *schema.DropTable:
			// Dropped tables referencing it go first; modified ones that
			// drop their keys to it are ordered by DropForeignKey below.
			for _, j := range droppedReferrers[c.T.Name] {
				if j != i {
					after[i] = append(after[i], j)
				}
			}
		case *schema.ModifyTable:
			for _, sc := range c.Changes {
				switch sc := sc.(type) {
				case *schema.AddForeignKey:
					for _, r := range refs([]*schema.ForeignKey{sc.F}) {
						before(r, i)
					}
				case *schema.ModifyForeignKey:
					for _, r := range refs([]*schema.ForeignKey{sc.To}) {
						before(r, i)
					}
				case *schema.DropForeignKey:
					for _, r := range refs([]*schema.ForeignKey{sc.F}) {
						follows(i, r)
					}
				}
			}
		}
	}
	return topoSort(changes, after)
}

// topoSort orders changes so each follows those listed in after, keeping
// the given order among independent ones (Kahn's algorithm, a FIFO).
func topoSort(changes []schema.Change, after [][]int) ([]schema.Change, bool) {
	waiting := make([]int, len(changes))
	next := make([][]int, len(changes))
	for i, deps := range after {
		seen := map[int]bool{}
		for _, j := range deps {
			if !seen[j] {
				seen[j] = true
				waiting[i]++
				next[j] = append(next[j], i)
			}
		}
	}
	var queue []int
	for i := range changes {
		if waiting[i] == 0 {
			queue = append(queue, i)
		}
	}
	order := make([]schema.Change, 0, len(changes))
	for len(queue) > 0 {
		i := queue[0]
		queue = queue[1:]
		order = append(order, changes[i])
		for _, j := range next[i] {
			if waiting[j]--; waiting[j] == 0 {
				queue = append(queue, j)
			}
		}
	}
	return order, len(order) == len(changes)
}

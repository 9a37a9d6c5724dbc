package diff

import (
	"fmt"
	"runtime"
	"slices"
	"strings"
	"sync"

	"ariga.io/atlas/sql/migrate"
	"ariga.io/atlas/sql/schema"

	"github.com/strata-db/strata/dialect"
)

// compare returns the changes from one schema to the other: Atlas's
// differ, without schema changes, completed with what it misses. fromModels
// says from is the models (the way back); checks are the check constraints
// whose expression changed (changedChecks).
func compare(drv migrate.Driver, d dialect.Name, from, to *schema.Schema, fromModels bool, checks map[string]bool) ([]schema.Change, error) {
	if d == dialect.SQLite {
		sqliteUniqueNames(from, to)
		sqliteRowidNulls(from, to)
	}
	restore := keepIndexes(from, to)
	changes, err := schemaDiff(drv, from, to, diffChunk)
	restore()
	if err != nil {
		return nil, fmt.Errorf("diff: %w", err)
	}
	changes = keep(changes)
	switch d {
	case dialect.Postgres:
		changes = partitionChanges(from, to, enumChanges(from, to, fromModels, primaryKeyRenames(from, to, changes)))
	case dialect.MySQL:
		changes = foreignKeyTypeChanges(from, to, hiddenIndexDrops(from, to, changes))
	case dialect.SQLite:
		changes = sqliteTypeChanges(from, to, changes)
	}
	changes = columnAttrChanges(d, from, to, checkChanges(d, from, to, checks, changes))
	changes = indexRenames(autoIncrementChanges(d, from, to, changes))
	if d == dialect.SQLite {
		// Last: a table change becomes strata's statements only once
		// nothing more is added to it.
		changes = sqliteDropColumns(from, changes)
	}
	return changes, nil
}

// indexRenames turns an index dropped and one added with the same
// definition into a rename: the index of a renamed column, named after
// the column, is renamed (ALTER INDEX ... RENAME), not built again.
func indexRenames(changes []schema.Change) []schema.Change {
	for _, c := range changes {
		mt, ok := c.(*schema.ModifyTable)
		if !ok {
			continue
		}
		renamed := make(map[schema.Change]bool) // the AddIndex of each rename
		for i, sc := range mt.Changes {
			drop, ok := sc.(*schema.DropIndex)
			if !ok {
				continue
			}
			for _, sc := range mt.Changes {
				if add, ok := sc.(*schema.AddIndex); ok && !renamed[add] && sameIndex(drop.I, add.I) {
					renamed[add] = true
					mt.Changes[i] = &schema.RenameIndex{From: drop.I, To: add.I}
					break
				}
			}
		}
		mt.Changes = slices.DeleteFunc(mt.Changes, func(sc schema.Change) bool { return renamed[sc] })
	}
	return changes
}

// sameIndex reports whether two indexes have the same definition: unique
// or not, parts, predicate.
func sameIndex(a, b *schema.Index) bool {
	if a.Unique != b.Unique || len(a.Parts) != len(b.Parts) || indexDef(a) != indexDef(b) {
		return false
	}
	pa, pb := predicate(a), predicate(b)
	return pa == nil && pb == nil || pa != nil && pb != nil && normText(*pa) == normText(*pb)
}

// diffChunk is how many tables of the "from" side one call of Atlas's
// SchemaDiff compares (schemaDiff).
var diffChunk = 200

// schemaDiff returns Atlas's SchemaDiff of from and to, calling it on
// groups of at most chunk tables. Atlas finds each table's counterpart by
// a linear search of the other side, so one call on N tables is quadratic
// (a third of a diff's time at 5,000 tables). The groups give the same
// changes in the same order: the first call also compares the schemas'
// attributes and objects, each group of "from" tables goes with the "to"
// tables of the same names (drops and modifications, in "from" order), and
// a last call takes the "to" tables no "from" table has (additions, in
// "to" order) and the views, functions and procedures. When two names of
// the two sides differ only in case, which MySQL may match (lower_case_
// table_names), there is one call, as before. The groups run side by
// side, one per core.
func schemaDiff(drv schema.Differ, from, to *schema.Schema, chunk int) ([]schema.Change, error) {
	if len(from.Tables) <= chunk {
		return drv.SchemaDiff(from, to)
	}
	fromKeys := make(map[string]string, len(from.Tables)) // lower-case name: name
	for _, t := range from.Tables {
		k := strings.ToLower(t.Name)
		if _, dup := fromKeys[k]; dup {
			return drv.SchemaDiff(from, to)
		}
		fromKeys[k] = t.Name
	}
	toByName := make(map[string]*schema.Table, len(to.Tables))
	toKeys := make(map[string]bool, len(to.Tables))
	for _, t := range to.Tables {
		k := strings.ToLower(t.Name)
		if name, ok := fromKeys[k]; (ok && name != t.Name) || toKeys[k] {
			return drv.SchemaDiff(from, to)
		}
		toKeys[k] = true
		toByName[t.Name] = t
	}
	part := func(s *schema.Schema, tables []*schema.Table) *schema.Schema {
		return &schema.Schema{Name: s.Name, Realm: s.Realm, Tables: tables}
	}
	// The groups are compared side by side, as the comparison comes when
	// both inputs are read and every core is free; their changes are
	// joined in the groups' order.
	groups := slices.Collect(slices.Chunk(from.Tables, chunk))
	results := make([][]schema.Change, len(groups))
	errs := make([]error, len(groups))
	matched := make(map[*schema.Table]bool)
	var wg sync.WaitGroup
	sem := make(chan struct{}, runtime.GOMAXPROCS(0))
	for i, group := range groups {
		var peers []*schema.Table
		for _, t := range group {
			if tt, ok := toByName[t.Name]; ok {
				peers = append(peers, tt)
				matched[tt] = true
			}
		}
		f, t := part(from, group), part(to, peers)
		if i == 0 {
			f.Attrs, f.Objects = from.Attrs, from.Objects
			t.Attrs, t.Objects = to.Attrs, to.Objects
		}
		wg.Go(func() {
			sem <- struct{}{}
			defer func() { <-sem }()
			c, err := drv.SchemaDiff(f, t)
			for _, ch := range c {
				if m, ok := ch.(*schema.ModifySchema); ok && m.S == t {
					m.S = to
				}
			}
			results[i], errs[i] = c, err
		})
	}
	wg.Wait()
	var changes []schema.Change
	for i, c := range results {
		if errs[i] != nil {
			return nil, errs[i]
		}
		changes = append(changes, c...)
	}
	var added []*schema.Table
	for _, t := range to.Tables {
		if !matched[t] {
			added = append(added, t)
		}
	}
	f, t := part(from, nil), part(to, added)
	f.Views, f.Funcs, f.Procs = from.Views, from.Funcs, from.Procs
	t.Views, t.Funcs, t.Procs = to.Views, to.Funcs, to.Procs
	c, err := drv.SchemaDiff(f, t)
	if err != nil {
		return nil, err
	}
	return append(changes, c...), nil
}

// tableFinder returns a lookup of s's tables by name that finds what
// s.Table finds (the first table of a name). s.Table searches the list, so
// calling it for each table of another schema is quadratic: at 5,000
// tables that was most of a diff's time.
func tableFinder(s *schema.Schema) func(string) (*schema.Table, bool) {
	m := make(map[string]*schema.Table, len(s.Tables))
	for _, t := range s.Tables {
		if _, ok := m[t.Name]; !ok {
			m[t.Name] = t
		}
	}
	return func(name string) (*schema.Table, bool) {
		t, ok := m[name]
		return t, ok
	}
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
	toTable := tableFinder(to)
	for _, ft := range from.Tables {
		tt, ok := toTable(ft.Name)
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

package model

import (
	"cmp"
	"go/token"
	"slices"
	"strings"

	"ariga.io/atlas/sql/postgres"
	"ariga.io/atlas/sql/schema"
	"ariga.io/atlas/sql/sqlite"

	"github.com/strata-db/strata/dialect"
)

// schema assembles the tables into one schema: it reports duplicate table
// and object names and resolves foreign keys.
func (l *loader) schema() *schema.Schema {
	slices.SortStableFunc(l.tables, func(a, b *tableBuilder) int { return cmp.Compare(a.t.Name, b.t.Name) })
	s := schema.New(l.ops.schema)
	byName := make(map[string]*tableBuilder)
	for _, b := range l.tables {
		if prev, dup := byName[b.t.Name]; dup {
			first, second := prev, b
			if positionLess(b.pos, prev.pos) {
				first, second = b, prev
			}
			l.errorf(second.pos, "duplicate table %q (also declared at %s)", b.t.Name, first.pos)
			continue
		}
		byName[b.t.Name] = b
		s.AddTables(b.t)
	}
	names := make(map[string]pendingName)
	for _, t := range s.Tables {
		b := byName[t.Name]
		for _, p := range b.fks {
			l.resolveFK(b, p, byName)
		}
		objs := slices.Clone(b.checks)
		for _, p := range b.indexes {
			objs = append(objs, pendingName{p.idx.Name, p.pos})
		}
		for _, p := range b.fks {
			objs = append(objs, pendingName{p.fk.Symbol, p.pos})
		}
		for _, p := range b.partitions {
			if other, clash := byName[p.name]; clash {
				l.errorf(p.pos, "partition %q of table %q has the name of a table (declared at %s)", p.name, t.Name, other.pos)
			}
			objs = append(objs, p)
		}
		for _, o := range objs {
			if prev, dup := names[o.name]; dup {
				l.errorf(o.pos, "duplicate index or constraint name %q (also at %s)", o.name, prev.pos)
				continue
			}
			names[o.name] = o
		}
		if l.d == dialect.MySQL {
			fkIndexes(t)
		}
	}
	l.addEnums(s)
	return s
}

// fkIndexes declares the indexes MySQL creates for foreign keys: a foreign
// key needs an index whose first columns are its own, in order, and MySQL
// adds one named like the key when there is none. Declaring it keeps the
// models equal to the database, and lets a dropped foreign key take its
// index along.
func fkIndexes(t *schema.Table) {
	for _, fk := range t.ForeignKeys {
		keys := slices.Clone(t.Indexes)
		if t.PrimaryKey != nil {
			keys = append(keys, t.PrimaryKey)
		}
		if !slices.ContainsFunc(keys, func(idx *schema.Index) bool { return leads(idx, fk.Columns) }) {
			t.AddIndexes(schema.NewIndex(fk.Symbol).AddColumns(fk.Columns...))
		}
	}
}

// leads reports whether cols are the first parts of idx, in order.
func leads(idx *schema.Index, cols []*schema.Column) bool {
	if len(idx.Parts) < len(cols) {
		return false
	}
	for i, c := range cols {
		if idx.Parts[i].C == nil || idx.Parts[i].C.Name != c.Name {
			return false
		}
	}
	return true
}

func positionLess(a, b token.Position) bool {
	return cmp.Or(cmp.Compare(a.Filename, b.Filename), cmp.Compare(a.Line, b.Line), cmp.Compare(a.Column, b.Column)) < 0
}

// resolveFK points a foreign key at its referenced table and columns, which
// must be that table's primary key or one of its unique indexes.
func (l *loader) resolveFK(b *tableBuilder, p *pendingFK, byName map[string]*tableBuilder) {
	ref, ok := byName[p.refTable]
	if !ok {
		l.errorf(p.pos, "fk: unknown table %q", p.refTable)
		return
	}
	cols := make([]*schema.Column, len(p.refCols))
	for i, name := range p.refCols {
		if cols[i], ok = ref.t.Column(name); !ok {
			l.errorf(p.pos, "fk: table %q has no column %q", p.refTable, name)
			return
		}
	}
	if !Referable(l.d, ref.t, cols) {
		what := "the primary key or a unique index"
		if l.d == dialect.MySQL {
			what += ", nor the leading columns of an index,"
		}
		l.errorf(p.pos, "fk: %s(%s) is not %s of %q", p.refTable, strings.Join(p.refCols, ", "), what, p.refTable)
		return
	}
	p.fk.SetRefTable(ref.t).AddRefColumns(cols...)
	b.t.AddForeignKeys(p.fk)
}

// IsKey reports whether cols, in any order, are the primary key or a unique
// index without predicate of t: what fk: may reference. The generator of
// Go models (render) asks it too.
func IsKey(t *schema.Table, cols []string) bool {
	want := slices.Sorted(slices.Values(cols))
	keys := slices.Clone(t.Indexes)
	if t.PrimaryKey != nil {
		keys = append(keys, t.PrimaryKey)
	}
	for _, idx := range keys {
		if !idx.Unique && idx != t.PrimaryKey || len(idx.Parts) != len(want) || hasPredicate(idx) {
			continue
		}
		var got []string
		for _, part := range idx.Parts {
			if part.C != nil {
				got = append(got, part.C.Name)
			}
		}
		slices.Sort(got)
		if slices.Equal(got, want) {
			return true
		}
	}
	return false
}

// Referable reports whether a foreign key of dialect d may reference cols
// of t: a key (IsKey), or on MySQL/MariaDB, which allow more, the leading
// columns of any index in their order.
func Referable(d dialect.Name, t *schema.Table, cols []*schema.Column) bool {
	names := make([]string, len(cols))
	for i, c := range cols {
		names[i] = c.Name
	}
	if IsKey(t, names) {
		return true
	}
	if d != dialect.MySQL {
		return false
	}
	for _, idx := range t.Indexes {
		if !hasPredicate(idx) && leads(idx, cols) {
			return true
		}
	}
	return t.PrimaryKey != nil && leads(t.PrimaryKey, cols)
}

func hasPredicate(idx *schema.Index) bool {
	for _, a := range idx.Attrs {
		switch a.(type) {
		case *postgres.IndexPredicate, *sqlite.IndexPredicate:
			return true
		}
	}
	return false
}

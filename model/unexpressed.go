package model

import (
	"fmt"
	"slices"

	"ariga.io/atlas/sql/mysql"
	"ariga.io/atlas/sql/postgres"
	"ariga.io/atlas/sql/schema"

	"github.com/strata-db/strata/dialect"
)

// Unexpressed lists what an inspected schema of dialect d holds that the
// tag vocabulary cannot declare, one line each (`table "t": index "i" has a
// comment`), so that a writer of models from a database (strata models
// --from-db) can say what its models leave out rather than drop it
// silently. The list is in table order; empty means the models can say it
// all.
func Unexpressed(s *schema.Schema, d dialect.Name) []string {
	var out []string
	for _, t := range s.Tables {
		add := func(format string, args ...any) {
			out = append(out, fmt.Sprintf("table %q: ", t.Name)+fmt.Sprintf(format, args...))
		}
		tableUnexpressed(t, d, add)
		for _, c := range t.Columns {
			for _, a := range c.Attrs {
				if _, ok := a.(*mysql.AutoIncrement); ok && d == dialect.MySQL && !soleKey(t, c) {
					add("column %q is AUTO_INCREMENT but not the whole primary key", c.Name)
				}
			}
		}
		indexes := t.Indexes
		if t.PrimaryKey != nil {
			indexes = append([]*schema.Index{t.PrimaryKey}, indexes...)
		}
		for _, idx := range indexes {
			indexUnexpressed(idx, func(format string, args ...any) {
				add("index %q "+format, append([]any{idx.Name}, args...)...)
			})
		}
		for _, fk := range t.ForeignKeys {
			if fk.RefTable != nil && fk.RefTable.Schema != nil && fk.RefTable.Schema.Name != s.Name {
				add("foreign key %q references %s.%s, in another schema", fk.Symbol, fk.RefTable.Schema.Name, fk.RefTable.Name)
			}
		}
	}
	return out
}

func tableUnexpressed(t *schema.Table, d dialect.Name, add func(string, ...any)) {
	for _, a := range t.Attrs {
		switch a := a.(type) {
		case *mysql.Engine:
			if !a.Default {
				add("has ENGINE=%s, not the server's default", a.V)
			}
		case *mysql.CreateOptions:
			if a.V != "" {
				add("has table options %q", a.V)
			}
		case *schema.Check:
			if slices.ContainsFunc(a.Attrs, func(x schema.Attr) bool { _, ok := x.(*postgres.NoInherit); return ok }) {
				add("check %q is NO INHERIT", a.Name)
			}
		case *postgres.Partition:
			for _, p := range a.Parts {
				if len(p.Attrs) > 0 {
					add("partition key part has a collation or operator class")
				}
			}
		case *dialect.Partition:
			switch {
			case a.Schema != "":
				add("partition %s.%s is in another schema", a.Schema, a.Name)
			case a.Partitioned:
				add("partition %q is partitioned itself", a.Name)
			}
		}
	}
}

func indexUnexpressed(idx *schema.Index, add func(string, ...any)) {
	for _, a := range idx.Attrs {
		switch a := a.(type) {
		case *schema.Comment:
			add("has a comment")
		case *postgres.IndexStorageParams:
			if a.AutoSummarize || a.PagesPerRange != 0 && a.PagesPerRange != 128 {
				add("has storage parameters")
			}
		case *postgres.Constraint:
			if a.IsExclude() {
				add("is an exclusion constraint")
			}
		case *mysql.IndexParser:
			add("has the full-text parser %s", a.P)
		}
	}
	for i, p := range idx.Parts {
		for _, a := range p.Attrs {
			switch a := a.(type) {
			case *postgres.IndexColumnProperty:
				if p.Desc && !a.NullsFirst || !p.Desc && a.NullsFirst {
					add("part %d has a NULLS FIRST/LAST order other than the default", i+1)
				}
			case *schema.Collation:
				add("part %d has a collation", i+1)
			case *postgres.IndexOpClass:
				if len(a.Params) > 1 {
					add("part %d has an operator class with several parameters", i+1)
				}
			}
		}
	}
}

// soleKey reports whether c is the whole primary key of t.
func soleKey(t *schema.Table, c *schema.Column) bool {
	return t.PrimaryKey != nil && len(t.PrimaryKey.Parts) == 1 && t.PrimaryKey.Parts[0].C == c
}

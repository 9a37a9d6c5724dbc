package model

import (
	"context"
	"strings"

	"ariga.io/atlas/sql/migrate"
	"ariga.io/atlas/sql/schema"

	"github.com/strata-db/strata/dialect"
)

// Plan plans changes with Atlas's planner for dialect d, working around
// two gaps in it: identifiers are written between quotes without escaping
// the quote character (a table named a"b would break the statement), and
// on SQLite declared lengths and precisions are dropped. Names and types
// are adjusted only while planning and restored afterwards.
func Plan(ctx context.Context, p migrate.PlanApplier, d dialect.Name, name string, changes []schema.Change, opts ...migrate.PlanOption) (*migrate.Plan, error) {
	restore := escapeNames(d, changes)
	var plan *migrate.Plan
	err := WithDeclaredTypes(d, changes, func() (err error) {
		plan, err = p.PlanChanges(ctx, name, changes, opts...)
		return err
	})
	restore()
	if err == nil {
		namePrimaryKeys(d, plan)
	}
	return plan, err
}

// escapeNames doubles the dialect's identifier quote inside every name the
// changes refer to, and returns the function that puts the names back.
func escapeNames(d dialect.Name, changes []schema.Change) (restore func()) {
	q := "`"
	if d == dialect.Postgres {
		q = `"`
	}
	saved := map[*string]string{}
	name := func(s *string) {
		if _, done := saved[s]; done || !strings.Contains(*s, q) {
			return
		}
		saved[s] = *s
		*s = strings.ReplaceAll(*s, q, q+q)
	}
	walkChanges(changes, objectVisitor{
		table: func(t *schema.Table) {
			name(&t.Name)
			for _, i := range append(t.Indexes, t.PrimaryKey) {
				if i != nil {
					name(&i.Name)
				}
			}
			for _, fk := range t.ForeignKeys {
				name(&fk.Symbol)
			}
			for _, a := range t.Attrs {
				if c, ok := a.(*schema.Check); ok {
					name(&c.Name)
				}
			}
		},
		column: func(c *schema.Column) { name(&c.Name) },
		index:  func(i *schema.Index) { name(&i.Name) },
		fk:     func(f *schema.ForeignKey) { name(&f.Symbol) },
		check:  func(c *schema.Check) { name(&c.Name) },
	})
	return func() {
		for p, s := range saved {
			*p = s
		}
	}
}

// objectVisitor is called for each object a set of changes refers to.
type objectVisitor struct {
	table  func(*schema.Table)
	column func(*schema.Column)
	index  func(*schema.Index)
	fk     func(*schema.ForeignKey)
	check  func(*schema.Check)
}

// walkChanges calls v for every table the changes refer to (also through
// foreign keys, each once), every column of those tables and of the
// changes, and every index, foreign key and check of the changes. Nil
// functions are skipped.
func walkChanges(changes []schema.Change, v objectVisitor) {
	seen := map[*schema.Table]bool{}
	column := func(c *schema.Column) {
		if c != nil && v.column != nil {
			v.column(c)
		}
	}
	var table func(t *schema.Table)
	table = func(t *schema.Table) {
		if t == nil || seen[t] {
			return
		}
		seen[t] = true
		if v.table != nil {
			v.table(t)
		}
		for _, c := range t.Columns {
			column(c)
		}
		for _, fk := range t.ForeignKeys {
			table(fk.RefTable)
			for _, c := range fk.RefColumns {
				column(c)
			}
		}
	}
	index := func(i *schema.Index) {
		if i == nil {
			return
		}
		if v.index != nil {
			v.index(i)
		}
		for _, p := range i.Parts {
			column(p.C)
		}
	}
	fk := func(f *schema.ForeignKey) {
		if f == nil {
			return
		}
		if v.fk != nil {
			v.fk(f)
		}
		table(f.RefTable)
		for _, c := range append(f.Columns, f.RefColumns...) {
			column(c)
		}
	}
	check := func(c *schema.Check) {
		if c != nil && v.check != nil {
			v.check(c)
		}
	}
	for _, c := range changes {
		switch c := c.(type) {
		case *schema.AddTable:
			table(c.T)
		case *schema.DropTable:
			table(c.T)
		case *schema.RenameTable:
			table(c.From)
			table(c.To)
		case *schema.ModifyTable:
			table(c.T)
			for _, sc := range c.Changes {
				switch sc := sc.(type) {
				case *schema.AddColumn:
					column(sc.C)
				case *schema.DropColumn:
					column(sc.C)
				case *schema.ModifyColumn:
					column(sc.From)
					column(sc.To)
				case *schema.RenameColumn:
					column(sc.From)
					column(sc.To)
				case *schema.AddIndex:
					index(sc.I)
				case *schema.DropIndex:
					index(sc.I)
				case *schema.ModifyIndex:
					index(sc.From)
					index(sc.To)
				case *schema.RenameIndex:
					index(sc.From)
					index(sc.To)
				case *schema.AddForeignKey:
					fk(sc.F)
				case *schema.DropForeignKey:
					fk(sc.F)
				case *schema.ModifyForeignKey:
					fk(sc.From)
					fk(sc.To)
				case *schema.AddCheck:
					check(sc.C)
				case *schema.DropCheck:
					check(sc.C)
				case *schema.ModifyCheck:
					check(sc.From)
					check(sc.To)
				case *schema.AddPrimaryKey:
					index(sc.P)
				case *schema.DropPrimaryKey:
					index(sc.P)
				case *schema.ModifyPrimaryKey:
					index(sc.From)
					index(sc.To)
				}
			}
		}
	}
}

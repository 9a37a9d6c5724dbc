package diff

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"ariga.io/atlas/sql/migrate"
	"ariga.io/atlas/sql/schema"

	"github.com/strata-db/strata/dialect"
	"github.com/strata-db/strata/introspect"
)

// ErrNothingToBaseline is returned by Baseline for a schema with no table
// and no other object.
var ErrNothingToBaseline = errors.New("the database is empty: no table or other object to baseline")

// UnwritableError names the objects whose definitions strata cannot write
// (introspect.Object with no Create statements), which a baseline would
// leave out.
type UnwritableError struct{ Objects []introspect.Object }

func (e *UnwritableError) Error() string {
	names := make([]string, len(e.Objects))
	for i, x := range e.Objects {
		names[i] = x.Kind + " " + x.Name
	}
	return fmt.Sprintf("strata cannot write the definition of %s, so a baseline would not recreate it; drop it, or write the baseline by hand (strata revision, then strata stamp)",
		strings.Join(names, ", "))
}

// Baseline plans the migration that creates live, the schema of the
// database drv is connected to, from nothing, with the objects the tag
// vocabulary does not declare (introspect.BaselineObjects, in their
// order): first the objects the tables may need (extensions, enum types,
// domains, sequences, functions; on PostgreSQL with function bodies left
// unchecked, so a SQL function may name a table created later), then the
// tables as autogenerate plans them from an empty schema, then the rest
// (views, triggers, ...) as the server defines them. The downgrade drops
// everything in the reverse order. live is modified.
func Baseline(ctx context.Context, drv migrate.Driver, d dialect.Name, live *schema.Schema, objs []introspect.Object) (*Migration, error) {
	if len(live.Tables) == 0 && len(objs) == 0 {
		return nil, ErrNothingToBaseline
	}
	var unwritable []introspect.Object
	for _, x := range objs {
		if len(x.Create) == 0 {
			unwritable = append(unwritable, x)
		}
	}
	if len(unwritable) > 0 {
		return nil, &UnwritableError{Objects: unwritable}
	}
	// The live schema's own objects (types Atlas may know) exist already,
	// for the table plan: the baseline creates them itself, in order.
	empty := &schema.Schema{Name: live.Name, Realm: live.Realm, Attrs: live.Attrs, Objects: live.Objects}
	tables, err := Plan(ctx, drv, d, empty, live, Options{})
	if err != nil {
		return nil, fmt.Errorf("plan the tables: %w", err)
	}
	before := slices.DeleteFunc(slices.Clone(objs), func(x introspect.Object) bool { return x.AfterTables })
	after := slices.DeleteFunc(slices.Clone(objs), func(x introspect.Object) bool { return !x.AfterTables })
	m := &Migration{Warnings: tables.Warnings}
	if d == dialect.Postgres && slices.ContainsFunc(objs, func(x introspect.Object) bool {
		return x.Kind == "function" || x.Kind == "procedure"
	}) {
		// For this transaction only: SQL function bodies naming tables.
		m.Upgrade = append(m.Upgrade, Stmt{SQL: "SET LOCAL check_function_bodies = false",
			Comments: []string{"function bodies may name tables created below"}})
	}
	add := func(xs []introspect.Object) {
		for _, x := range xs {
			m.Upgrade = append(m.Upgrade, objectStmts(x, x.Create)...)
			if !x.Part {
				m.Changes = append(m.Changes, Change{Kind: "add_object", Table: x.Table, Name: x.Name, Summary: "+ " + objectName(x)})
			}
		}
	}
	drop := func(xs []introspect.Object) {
		for _, x := range slices.Backward(xs) {
			m.Downgrade = append(m.Downgrade, objectStmts(x, x.Drop)...)
		}
	}
	add(before)
	m.Upgrade = append(m.Upgrade, tables.Upgrade...)
	m.Changes = append(m.Changes, tables.Changes...)
	add(after)
	drop(after)
	m.Downgrade = append(m.Downgrade, tables.Downgrade...)
	drop(before)
	for _, c := range m.Changes {
		m.Summary = append(m.Summary, c.Summary)
	}
	return m, nil
}

// objectName is an object's kind and name, with its table.
func objectName(x introspect.Object) string {
	s := x.Kind + " " + x.Name
	if x.Table != "" && x.Table != x.Name {
		s += " on " + x.Table
	}
	return s
}

// objectStmts are an object's statements, the first under a comment
// naming it.
func objectStmts(x introspect.Object, sqls []string) []Stmt {
	out := make([]Stmt, len(sqls))
	for i, s := range sqls {
		out[i] = Stmt{SQL: s}
	}
	if len(out) > 0 {
		out[0].Comments = []string{objectName(x)}
	}
	return out
}

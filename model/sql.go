package model

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"ariga.io/atlas/sql/migrate"
	"ariga.io/atlas/sql/schema"

	"github.com/strata-db/strata/dialect"
)

// SQL returns the statements creating the realm's tables in dialect d:
// the enum types they use, then CREATE TABLE with constraints (and the
// partitions of a partitioned table), then its indexes (and, on PostgreSQL, its
// comments), tables in dependency order, names unqualified. Atlas plans them,
// so they are exactly what autogenerate would write for new tables.
func SQL(r *schema.Realm, d dialect.Name) (string, error) {
	o, ok := dialects[d]
	if !ok {
		return "", fmt.Errorf("unknown dialect %q", d)
	}
	var changes, objects []schema.Change
	for _, s := range r.Schemas {
		for _, o := range s.Objects {
			objects = append(objects, &schema.AddObject{O: o})
		}
		for _, t := range dependencyOrder(s.Tables) {
			changes = append(changes, &schema.AddTable{T: t})
		}
	}
	var b strings.Builder
	// The types the tables use (PostgreSQL's enums) go first.
	batches := tableBatches(changes)
	if len(objects) > 0 {
		batches = append([][]schema.Change{objects}, batches...)
	}
	for _, batch := range batches {
		plan, err := Plan(context.Background(), o.plan, d, "models", batch, func(po *migrate.PlanOptions) {
			po.SchemaQualifier = new(string)
			po.Indent = "  "
		})
		if err != nil {
			return "", fmt.Errorf("plan %s: %w", d, err)
		}
		for _, c := range plan.Changes {
			if b.Len() > 0 && strings.HasPrefix(c.Cmd, "CREATE TABLE") {
				b.WriteString("\n")
			}
			if add, ok := c.Source.(*schema.AddTable); ok && d == dialect.MySQL {
				c.Cmd = generatedNoNull(add.T, c.Cmd)
			}
			b.WriteString(c.Cmd)
			b.WriteString(";\n")
		}
		// Partitions follow the batch holding their table.
		for _, c := range batch {
			if add, ok := c.(*schema.AddTable); ok {
				for _, p := range dialect.Partitions(add.T.Attrs) {
					b.WriteString(p.Create(add.T.Name) + ";\n")
				}
			}
		}
	}
	return b.String(), nil
}

// tableBatches splits new tables, already in dependency order, into
// batches of 100 for Atlas's planner, whose sort compares every pair of
// changes. Tables whose foreign keys form a cycle stay one batch, so that
// Atlas can add those keys after the tables.
func tableBatches(changes []schema.Change) [][]schema.Change {
	const size = 100
	if len(changes) <= 2*size {
		return [][]schema.Change{changes}
	}
	pos := make(map[*schema.Table]int, len(changes))
	for i, c := range changes {
		pos[c.(*schema.AddTable).T] = i
	}
	for i, c := range changes {
		for _, fk := range c.(*schema.AddTable).T.ForeignKeys {
			if j, ok := pos[fk.RefTable]; ok && j > i {
				return [][]schema.Change{changes} // a cycle
			}
		}
	}
	return slices.Collect(slices.Chunk(changes, size))
}

// dependencyOrder returns tables with every table after the tables its
// foreign keys reference, ties (and cycles) broken by the given order.
func dependencyOrder(tables []*schema.Table) []*schema.Table {
	const (
		visiting = 1
		done     = 2
	)
	state := make(map[*schema.Table]int)
	out := make([]*schema.Table, 0, len(tables))
	var visit func(t *schema.Table)
	visit = func(t *schema.Table) {
		if state[t] != 0 {
			return
		}
		state[t] = visiting
		for _, fk := range t.ForeignKeys {
			visit(fk.RefTable)
		}
		state[t] = done
		out = append(out, t)
	}
	for _, t := range tables {
		visit(t)
	}
	return out
}

// generatedNoNull removes the NULL Atlas's planner, not connected, writes
// after a MySQL generated column's definition: MariaDB refuses it there,
// and MySQL's generated columns are nullable without it (Load declares
// them so).
func generatedNoNull(t *schema.Table, stmt string) string {
	for _, c := range t.Columns {
		for _, a := range c.Attrs {
			if g, ok := a.(*schema.GeneratedExpr); ok {
				def := "AS " + wrap(g.Expr) + " " + g.Type
				stmt = strings.Replace(stmt, def+" NULL", def, 1)
			}
		}
	}
	return stmt
}

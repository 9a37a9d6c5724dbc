package model

import (
	"context"
	"fmt"
	"strings"

	"ariga.io/atlas/sql/migrate"
	"ariga.io/atlas/sql/schema"

	"github.com/strata-db/strata/dialect"
)

// SQL returns the statements creating the realm's tables in dialect d:
// CREATE TABLE with constraints, then its indexes (and, on PostgreSQL, its
// comments), tables in dependency order, names unqualified. Atlas plans them,
// so they are exactly what autogenerate would write for new tables.
func SQL(r *schema.Realm, d dialect.Name) (string, error) {
	o, ok := dialects[d]
	if !ok {
		return "", fmt.Errorf("unknown dialect %q", d)
	}
	var changes []schema.Change
	for _, s := range r.Schemas {
		for _, t := range dependencyOrder(s.Tables) {
			changes = append(changes, &schema.AddTable{T: t})
		}
	}
	plan, err := Plan(context.Background(), o.plan, d, "models", changes, func(po *migrate.PlanOptions) {
		po.SchemaQualifier = new(string)
		po.Indent = "  "
	})
	if err != nil {
		return "", fmt.Errorf("plan %s: %w", d, err)
	}
	var b strings.Builder
	for i, c := range plan.Changes {
		if i > 0 && strings.HasPrefix(c.Cmd, "CREATE TABLE") {
			b.WriteString("\n")
		}
		b.WriteString(c.Cmd)
		b.WriteString(";\n")
	}
	return b.String(), nil
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

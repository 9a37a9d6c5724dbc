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
	"github.com/strata-db/strata/model"
)

// ErrNoChanges is returned by callers that treat an empty plan as a result.
var ErrNoChanges = errors.New("no changes detected")

// Options control planning.
type Options struct {
	// Ask is asked whether a column that disappeared was renamed to one
	// that appeared (same table, same type). Nil means never ask: the plan
	// drops and adds, with a warning naming the hint that would rename.
	Ask func(table, from, to string) (bool, error)
}

// Migration is what autogenerate writes: upgrade and downgrade statements
// and a readable account of the changes.
type Migration struct {
	// Summary has one line per change, e.g. "+ table orders" or
	// "~ column users.email: varchar(100) → varchar(320)": the Summary of
	// each of Changes.
	Summary []string
	// Changes are the changes the upgrade makes, in Summary's order.
	Changes []Change
	// Upgrade and Downgrade are the statements in execution order.
	Upgrade, Downgrade []Stmt
	// Warnings are the dangerous upgrade steps, also marked in Upgrade.
	Warnings []string
}

// Empty reports whether the migration changes nothing.
func (p *Migration) Empty() bool { return len(p.Upgrade) == 0 }

// Stmt is one statement with the comment lines written above it.
type Stmt struct {
	SQL      string
	Comments []string
}

// rename records a table or column rename, in upgrade direction.
type rename struct {
	table, oldTable string // for a table rename
	column, oldCol  string // for a column rename (table is the new table name)
}

// Plan compares current (from the database) with desired (from the models)
// and plans the upgrade and the downgrade. drv must be connected to the
// database current came from: Atlas's PostgreSQL differ compares default
// expressions on the server. Both schemas are modified.
func Plan(ctx context.Context, drv migrate.Driver, d dialect.Name, current, desired *schema.Schema, o Options) (*Migration, error) {
	desired.Name = current.Name
	p := &Migration{}
	renames, err := hintedRenames(current, desired)
	if err != nil {
		return nil, err
	}
	applyRenames(current, renames)
	var (
		changes []schema.Change
		checks  map[string]bool
	)
	for {
		// After each rename, as a renamed column pairs new expressions.
		if err := normalize(ctx, drv, d, current, desired); err != nil {
			return nil, err
		}
		checks = changedChecks(current, desired)
		if changes, err = compare(drv, d, current, desired, false, checks); err != nil {
			return nil, err
		}
		r, warn, err := askRenames(d, changes, o.Ask)
		if err != nil {
			return nil, err
		}
		if r == nil {
			p.Warnings = append(p.Warnings, warn...)
			break
		}
		applyRenames(current, []rename{*r})
		renames = append(renames, *r)
	}
	if len(changes) == 0 && len(renames) == 0 {
		// Nothing to upgrade, so nothing to undo: the comparison the other
		// way, half of a no-change run's time (what check does on every
		// commit), is not made.
		return p, nil
	}
	if drops, _ := enumValueDrops(changes); len(drops) > 0 {
		e := drops[0].To.(*schema.EnumType)
		return nil, fmt.Errorf("enum %s: values %v become %v; PostgreSQL only adds enum values (ALTER TYPE ... ADD VALUE): keep the old values in their order, or write this revision by hand", e.T, drops[0].From.(*schema.EnumType).Values, e.Values)
	}
	// The way back: the same diff in the other direction, on the renamed
	// current schema, then the renames undone.
	back, err := compare(drv, d, desired, current, true, checks)
	if err != nil {
		return nil, err
	}
	drops, back := enumValueDrops(back)
	for _, m := range drops {
		e := m.From.(*schema.EnumType)
		p.Warnings = append(p.Warnings, fmt.Sprintf("the downgrade leaves the values this upgrade adds to enum %s: PostgreSQL cannot remove enum values", e.T))
	}
	back, filled := fillColumns(d, mirror(changes, back))
	back, nulls := fillNulls(d, back)
	filled = append(filled, nulls...)
	up, err := plan(ctx, drv, d, renameChanges(current, renames, false), changes)
	if err != nil {
		return nil, err
	}
	down, err := plan(ctx, drv, d, nil, back)
	if err != nil {
		return nil, err
	}
	fillCopies(d, down, filled)
	undo, err := plan(ctx, drv, d, renameChanges(current, renames, true), nil)
	if err != nil {
		return nil, err
	}
	p.Upgrade = up
	p.Downgrade = append(down, undo...)
	for _, r := range renames {
		p.Changes = append(p.Changes, r.change())
	}
	p.Changes = append(p.Changes, summarize(d, changes)...)
	for _, c := range p.Changes {
		p.Summary = append(p.Summary, c.Summary)
	}
	for _, s := range p.Upgrade {
		for _, c := range s.Comments {
			if w, ok := strings.CutPrefix(c, dangerPrefix); ok {
				p.Warnings = append(p.Warnings, w)
			}
		}
	}
	return p, nil
}

// keep drops changes strata does not manage: schemas themselves.
func keep(changes []schema.Change) []schema.Change {
	return slices.DeleteFunc(changes, func(c schema.Change) bool {
		switch c.(type) {
		case *schema.AddSchema, *schema.DropSchema, *schema.ModifySchema:
			return true
		}
		return false
	})
}

// plan turns changes into statements with Atlas's planner, unqualified so a
// revision applies to any schema or database name. Renames are planned
// first and separately so the planner cannot reorder them.
func plan(ctx context.Context, drv migrate.Driver, d dialect.Name, renames, changes []schema.Change) ([]Stmt, error) {
	var first, last []schema.Change
	changes = slices.DeleteFunc(slices.Clone(changes), func(c schema.Change) bool {
		switch c := c.(type) {
		case *firstStep:
			first = append(first, c.Change)
		case *lastStep:
			last = append(last, c.Change)
		default:
			return false
		}
		return true
	})
	groups := append([][]schema.Change{renames, first}, batches(changes)...)
	var out []Stmt
	for _, group := range append(groups, last) {
		stmts, err := planGroup(ctx, drv, d, group)
		if err != nil {
			return nil, err
		}
		out = append(out, stmts...)
	}
	return out, nil
}

// planGroup plans one group of changes: Atlas's statements, then strata's
// own for the changes Atlas cannot plan.
func planGroup(ctx context.Context, drv migrate.Driver, d dialect.Name, group []schema.Change) ([]Stmt, error) {
	if len(group) == 0 {
		return nil, nil
	}
	var own []*stmtChange
	group = slices.DeleteFunc(slices.Clone(group), func(c schema.Change) bool {
		sc, ok := c.(*stmtChange)
		if ok {
			own = append(own, sc)
		}
		return ok
	})
	var out []Stmt
	if len(group) > 0 {
		pl, err := model.Plan(ctx, drv, d, "strata", group, func(o *migrate.PlanOptions) {
			o.SchemaQualifier = new(string)
			o.Indent = "  "
		})
		if err != nil {
			return nil, fmt.Errorf("plan: %w", err)
		}
		for _, c := range pl.Changes {
			out = append(out, Stmt{SQL: tidy(c.Cmd)})
		}
		var warnings []warning
		for _, c := range group {
			warnings = append(warnings, dangers(d, c)...)
		}
		place(d, out, warnings)
	}
	for _, c := range own {
		var stmts []Stmt
		for _, s := range c.stmts {
			stmts = append(stmts, Stmt{SQL: s})
		}
		if c.of != nil {
			place(d, stmts, dangers(d, c.of))
		}
		place(d, stmts, c.warnings)
		out = append(out, stmts...)
	}
	return out, nil
}

// tidy puts a statement on one line, except a CREATE TABLE, which has one
// line per column and constraint. Atlas's planners break the line before
// each foreign key they add (ADD\nCONSTRAINT), at the left margin.
func tidy(stmt string) string {
	stmt = strings.TrimSpace(stmt)
	if strings.HasPrefix(stmt, "CREATE TABLE ") {
		return stmt
	}
	return dialect.OneLine(stmt)
}

// hintedRenames finds the renamed_from hints that apply: the new name is
// not in the database and the old one is.
func hintedRenames(current, desired *schema.Schema) ([]rename, error) {
	var out []rename
	currentTable := tableFinder(current)
	for _, t := range desired.Tables {
		name := t.Name
		if old := renamedFrom(t.Attrs); old != "" {
			_, newExists := currentTable(t.Name)
			_, oldExists := currentTable(old)
			if !newExists && oldExists {
				out = append(out, rename{table: t.Name, oldTable: old})
			}
		}
		ct, ok := currentTable(name)
		if !ok {
			if ct, ok = currentTable(renamedFrom(t.Attrs)); !ok {
				continue
			}
		}
		for _, c := range t.Columns {
			old := renamedFrom(c.Attrs)
			if old == "" {
				continue
			}
			_, newExists := ct.Column(c.Name)
			_, oldExists := ct.Column(old)
			if !newExists && oldExists {
				out = append(out, rename{table: t.Name, column: c.Name, oldCol: old})
			}
		}
	}
	return out, nil
}

func renamedFrom(attrs []schema.Attr) string {
	for _, a := range attrs {
		if r, ok := a.(*model.RenamedFrom); ok {
			return r.Name
		}
	}
	return ""
}

// applyRenames renames tables and columns of the current schema so the
// differ matches them with the desired ones.
func applyRenames(current *schema.Schema, renames []rename) {
	for _, r := range renames {
		if r.column == "" {
			if t, ok := current.Table(r.oldTable); ok {
				t.Name = r.table
			}
			continue
		}
		if t, ok := current.Table(r.table); ok {
			if c, ok := t.Column(r.oldCol); ok {
				c.Name = r.column
			}
		}
	}
}

// renameChanges returns the Atlas changes for renames, or for undoing them
// (in reverse order). current has the new names already.
func renameChanges(current *schema.Schema, renames []rename, undo bool) []schema.Change {
	var out []schema.Change
	for _, r := range renames {
		from, to := r.oldTable, r.table
		if r.column != "" {
			t, ok := current.Table(r.table)
			if !ok {
				continue
			}
			c, ok := t.Column(r.column)
			if !ok {
				continue
			}
			fromC, toC := *c, *c
			fromC.Name, toC.Name = r.oldCol, r.column
			if undo {
				fromC, toC = toC, fromC
			}
			// The table holds the old name when upgrading a table renamed in
			// the same revision; renames of tables run first.
			out = append(out, &schema.ModifyTable{T: t, Changes: []schema.Change{&schema.RenameColumn{From: &fromC, To: &toC}}})
			continue
		}
		if undo {
			from, to = to, from
		}
		out = append(out, &schema.RenameTable{
			From: &schema.Table{Name: from, Schema: current},
			To:   &schema.Table{Name: to, Schema: current},
		})
	}
	if undo {
		slices.Reverse(out)
	}
	return out
}

func (r rename) change() Change {
	if r.column == "" {
		return Change{Kind: "rename_table", Table: r.table, From: r.oldTable, To: r.table,
			Summary: fmt.Sprintf("~ table %s → %s (renamed)", r.oldTable, r.table)}
	}
	return Change{Kind: "rename_column", Table: r.table, Column: r.column, From: r.oldCol, To: r.column,
		Summary: fmt.Sprintf("~ column %s.%s → %s.%s (renamed)", r.table, r.oldCol, r.table, r.column)}
}

// askRenames looks for a table that lost one column and gained one of the
// same type. With ask it asks whether that is a rename; without, it warns.
func askRenames(d dialect.Name, changes []schema.Change, ask func(table, from, to string) (bool, error)) (*rename, []string, error) {
	var warnings []string
	for _, c := range changes {
		mt, ok := c.(*schema.ModifyTable)
		if !ok {
			continue
		}
		var drops, adds []*schema.Column
		for _, sc := range mt.Changes {
			switch sc := sc.(type) {
			case *schema.DropColumn:
				drops = append(drops, sc.C)
			case *schema.AddColumn:
				adds = append(adds, sc.C)
			}
		}
		if len(drops) != 1 || len(adds) != 1 || !sameType(d, drops[0], adds[0]) {
			continue
		}
		from, to := drops[0].Name, adds[0].Name
		if ask == nil {
			warnings = append(warnings, fmt.Sprintf("%s.%s is dropped and %s.%s added; if it was renamed, tag the field `strata:\"renamed_from:%s\"` to keep its data", mt.T.Name, from, mt.T.Name, to, from))
			continue
		}
		yes, err := ask(mt.T.Name, from, to)
		if err != nil {
			return nil, nil, err
		}
		if yes {
			return &rename{table: mt.T.Name, column: to, oldCol: from}, nil, nil
		}
	}
	return nil, warnings, nil
}

func sameType(d dialect.Name, a, b *schema.Column) bool {
	if a.Type == nil || b.Type == nil {
		return false
	}
	return typeString(d, a.Type) == typeString(d, b.Type)
}

package versions

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
)

// ErrStranded: the database has revisions applied that the versions
// directory does not hold as they were applied, most often because they
// were applied from another git branch.
var ErrStranded = errors.New("applied revisions not in the versions directory")

// StrandedError names the applied revisions the directory lacks (Missing)
// or holds with other Revises links than when they were applied
// (Rewritten, after a rebase). Sync rolls them back from the text stored
// in the database; Unstored are those a strata older than stored
// revisions applied, which nothing can roll back without their file.
type StrandedError struct {
	Missing, Rewritten, Unstored []string
	// Dir names the versions directory in messages.
	Dir string
}

func (e *StrandedError) Error() string {
	dir := e.Dir
	if dir == "" {
		dir = "the versions directory"
	}
	var lines []string
	if stored := slices.DeleteFunc(slices.Clone(e.Missing), func(id string) bool { return slices.Contains(e.Unstored, id) }); len(stored) > 0 {
		lines = append(lines, fmt.Sprintf("the database has %s applied, which %s not in %s (probably applied from another git branch); run strata sync to roll %s back with the downgrade stored in the database and upgrade to this checkout's heads",
			revList(stored), pick(stored, "is", "are"), dir, pick(stored, "it", "them")))
	}
	if len(e.Rewritten) > 0 {
		lines = append(lines, fmt.Sprintf("%s applied with other Revises links than %s file has now (rebased since); run strata sync to roll %s back and apply %s again on the new parents",
			revList(e.Rewritten), pick(e.Rewritten, "its", "their"), pick(e.Rewritten, "it", "them"), pick(e.Rewritten, "it", "them")))
	}
	if len(e.Unstored) > 0 {
		it := pick(e.Unstored, "it", "them")
		lines = append(lines, fmt.Sprintf("the database has %s applied, which %s not in %s (probably applied from another git branch) and %s applied by a strata that did not store revisions in the database, so nothing can roll %s back from here: check out the branch that has %s and run strata downgrade there, or restore the %s; strata stamp --purge forgets %s but leaves %s schema changes in the database",
			revList(e.Unstored), pick(e.Unstored, "is", "are"), dir, pick(e.Unstored, "was", "were"), it, it,
			pick(e.Unstored, "file", "files"), it, pick(e.Unstored, "its", "their")))
	}
	return strings.Join(lines, "\n")
}

// Unwrap returns ErrStranded, and ErrRevisionNotFound when revisions are
// missing from the directory.
func (e *StrandedError) Unwrap() []error {
	if len(e.Missing) > 0 {
		return []error{ErrStranded, ErrRevisionNotFound}
	}
	return []error{ErrStranded}
}

// revList names ids: "revision X" or "revisions X, Y".
func revList(ids []string) string {
	return pick(ids, "revision ", "revisions ") + strings.Join(ids, ", ")
}

// pick returns one for a single id and many otherwise.
func pick(ids []string, one, many string) string {
	if len(ids) == 1 {
		return one
	}
	return many
}

// view is the revision graph as the database has it applied.
type view struct {
	// g is the directory's graph, or, when foreign is not empty, a copy of
	// it in which the stored text of each foreign revision stands in.
	g       *Graph
	rows    []string
	applied set // in g
	// foreign are the applied revisions of g the directory does not hold
	// as applied: missing from it, or rewritten since.
	foreign []*Revision
	// stranded says which ones; nil when there are none.
	stranded *StrandedError
}

// view reads the version table and the stored revisions' links, and builds
// the graph the database has applied: the directory's, unless revisions
// are applied that the directory lacks or holds with other links.
func (m *Migrator) view(ctx context.Context, q querier) (*view, error) {
	rows, err := m.table.rows(ctx, q)
	if err != nil {
		return nil, err
	}
	metas, err := m.table.storedMetas(ctx, q)
	if err != nil {
		return nil, err
	}
	v := &view{g: m.graph, rows: rows}
	st := &StrandedError{Dir: m.graph.dir}
	// Walk the applied revisions from the rows, through the links each
	// had when it was applied where the database stored them.
	seen := map[string]bool{}
	stack := slices.Clone(rows)
	for len(stack) > 0 {
		id := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if seen[id] {
			continue
		}
		seen[id] = true
		r, inDir := m.graph.byID[id]
		meta, stored := metas[id]
		switch {
		case !inDir && !stored:
			st.Missing = append(st.Missing, id)
			st.Unstored = append(st.Unstored, id)
			continue
		case !inDir:
			st.Missing = append(st.Missing, id)
		case stored && !sameLinks(meta.revises, r.Revises):
			st.Rewritten = append(st.Rewritten, id)
		}
		if stored {
			stack = append(stack, meta.revises...)
		} else {
			for _, p := range r.parents {
				stack = append(stack, p.ID)
			}
		}
	}
	if len(st.Missing)+len(st.Rewritten) == 0 {
		v.applied, err = m.graph.appliedSet(rows)
		return v, err
	}
	slices.Sort(st.Missing)
	slices.Sort(st.Rewritten)
	slices.Sort(st.Unstored)
	v.stranded = st
	if len(st.Unstored) > 0 {
		return v, nil
	}
	// A copy of the directory's graph in which the stored text stands in
	// for each foreign revision.
	foreign := map[string]*Revision{}
	for _, id := range append(slices.Clone(st.Missing), st.Rewritten...) {
		r, err := m.table.storedRevision(ctx, q, id)
		if err != nil {
			return nil, err
		}
		foreign[id] = r
	}
	revs := make([]*Revision, 0, len(m.graph.revs)+len(st.Missing))
	for _, r := range m.graph.revs {
		if _, ok := foreign[r.ID]; !ok {
			c := *r
			revs = append(revs, &c)
		}
	}
	for _, r := range foreign {
		revs = append(revs, r)
	}
	g, errs := link(revs)
	if len(errs) > 0 {
		errs.sort()
		return nil, fmt.Errorf("the revisions stored in the database do not fit the versions directory: %w", errs)
	}
	v.g = g
	for id := range foreign {
		v.foreign = append(v.foreign, g.byID[id])
	}
	slices.SortFunc(v.foreign, func(a, b *Revision) int { return strings.Compare(a.ID, b.ID) })
	v.applied, err = g.appliedSet(rows)
	return v, err
}

// sameLinks reports whether two Revises lists name the same revisions.
func sameLinks(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	a, b = slices.Clone(a), slices.Clone(b)
	slices.Sort(a)
	slices.Sort(b)
	return slices.Equal(a, b)
}

// usable returns the view for a command that works on the directory's
// graph: an error when the database has foreign revisions applied.
func (v *view) usable() error {
	if v.stranded != nil {
		return v.stranded
	}
	return nil
}

// Stranded returns a *StrandedError when the database has revisions
// applied that the directory lacks or holds rewritten, and nil otherwise.
func (m *Migrator) Stranded(ctx context.Context) error {
	v, err := m.view(ctx, m.db)
	if err != nil {
		return err
	}
	return v.usable()
}

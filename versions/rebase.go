package versions

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/strata-db/strata/dialect"
)

// RebaseOptions says what Rebase moves and where.
type RebaseOptions struct {
	// Rev is the head of the branch to move; empty for the branch applied
	// to the database that the other head does not contain.
	Rev string
	// Onto is the revision to put it on; empty for the other head.
	Onto string
	// DryRun plans and checks without writing a file or touching the
	// database.
	DryRun bool
}

// RebasePlan is what a rebase moves.
type RebasePlan struct {
	// Mine is the head of the branch that moves; Onto the revision it goes on.
	Mine, Onto *Revision
	// Moved are the revisions of Mine's branch that Onto does not contain,
	// ancestors first; First, the oldest, gets Revises: Onto.
	Moved []*Revision
	First *Revision
	// Unread are statements whose objects strata could not tell, so the
	// conflict check could not cover them ("file:line: statement").
	Unread []string
}

// ErrRebaseConflict: the two branches of a rebase touch the same objects.
var ErrRebaseConflict = errors.New("rebase conflict")

// RebaseConflictError names the objects both branches change.
type RebaseConflictError struct {
	Plan      *RebasePlan
	Conflicts []Conflict
}

func (e *RebaseConflictError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "cannot rebase %s onto %s: both branches change the same objects:", e.Plan.Mine.ID, e.Plan.Onto.ID)
	for _, c := range e.Conflicts {
		fmt.Fprintf(&b, "\n  %s", c)
	}
	fmt.Fprintf(&b, "\nnothing was changed; merge the branches instead (strata merge heads) and review the two together")
	return b.String()
}

// Unwrap returns ErrRebaseConflict.
func (e *RebaseConflictError) Unwrap() error { return ErrRebaseConflict }

// PlanRebase works out a rebase on g for a database at applied (nil when
// unknown) and checks that the two branches do not change the same table
// or column; a conflict is a *RebaseConflictError.
func (g *Graph) PlanRebase(d dialect.Name, applied []string, o RebaseOptions) (*RebasePlan, error) {
	var cur set
	if applied != nil {
		var err error
		if cur, err = g.appliedSet(applied); err != nil {
			return nil, err
		}
	}
	p := &RebasePlan{}
	var err error
	if p.Mine, p.Onto, err = g.rebaseEnds(cur, o); err != nil {
		return nil, err
	}
	mine, onto := g.ancestors(p.Mine), g.ancestors(p.Onto)
	if onto.has(p.Mine) {
		return nil, fmt.Errorf("nothing to rebase: %s is already below %s", p.Mine.ID, p.Onto.ID)
	}
	var theirs []*Revision
	for _, r := range g.topo() {
		switch {
		case mine.has(r) && !onto.has(r):
			p.Moved = append(p.Moved, r)
		case onto.has(r) && !mine.has(r):
			theirs = append(theirs, r)
		}
	}
	if len(theirs) == 0 {
		return nil, fmt.Errorf("nothing to rebase: %s already contains %s", p.Mine.ID, p.Onto.ID)
	}
	moved := g.newSet(p.Moved...)
	for _, r := range p.Moved {
		var outside []string
		for _, q := range r.parents {
			if !moved.has(q) {
				outside = append(outside, q.ID)
			}
		}
		if len(outside) == 0 {
			continue
		}
		if p.First != nil || len(outside) != len(r.parents) {
			return nil, fmt.Errorf("cannot rebase %s: its branch joins the rest of the graph at more than one place (%s revises %s); merge instead (strata merge heads)", p.Mine.ID, r.ID, strings.Join(outside, ", "))
		}
		p.First = r
	}
	for _, r := range p.Moved {
		for _, c := range r.children {
			if !moved.has(c) {
				return nil, fmt.Errorf("cannot rebase %s: %s revises %s, which would move with it; name the head of that branch instead, or merge", p.Mine.ID, c.ID, r.ID)
			}
		}
	}
	fm, err := newFootprint(d, p.Moved)
	if err != nil {
		return nil, err
	}
	ft, err := newFootprint(d, theirs)
	if err != nil {
		return nil, err
	}
	p.Unread = append(fm.unknown, ft.unknown...)
	if cs := conflicts(fm, ft); len(cs) > 0 {
		return p, &RebaseConflictError{Plan: p, Conflicts: cs}
	}
	return p, nil
}

// rebaseEnds finds the head to move and the revision to move it onto.
// Without Rev, "mine" is the head whose own revisions (those the other
// head lacks) are applied to the database while the other's are not.
func (g *Graph) rebaseEnds(cur set, o RebaseOptions) (mine, onto *Revision, err error) {
	heads := g.heads
	if o.Rev != "" {
		if mine, err = g.Resolve(o.Rev); err != nil {
			return nil, nil, err
		}
		if len(mine.children) > 0 {
			return nil, nil, fmt.Errorf("%s is not a head; name the head of the branch to move", mine.ID)
		}
	}
	if o.Onto != "" {
		if onto, err = g.Resolve(o.Onto); err != nil {
			return nil, nil, err
		}
	}
	other := func(not *Revision) (*Revision, error) {
		var rest []*Revision
		for _, h := range heads {
			if h != not {
				rest = append(rest, h)
			}
		}
		if len(rest) != 1 {
			return nil, fmt.Errorf("there are %d heads (%s); say which branch to move and where: strata rebase REV --onto REV", len(heads), ids(heads))
		}
		return rest[0], nil
	}
	switch {
	case mine != nil && onto != nil:
	case mine != nil:
		onto, err = other(mine)
	case len(heads) < 2:
		return nil, nil, fmt.Errorf("nothing to rebase: there is %d head", len(heads))
	case len(heads) > 2:
		return nil, nil, fmt.Errorf("there are %d heads (%s); say which branch to move and where: strata rebase REV --onto REV", len(heads), ids(heads))
	case cur == nil:
		return nil, nil, errors.New("without a database strata cannot tell which branch is yours; name it: strata rebase REV")
	default:
		a, b := heads[0], heads[1]
		ownA, ownB := g.own(cur, a, b), g.own(cur, b, a)
		switch {
		case ownA && !ownB:
			mine = a
		case ownB && !ownA:
			mine = b
		case ownA:
			return nil, nil, fmt.Errorf("both branches are applied to this database (%s and %s), so strata cannot tell which is yours; name the one to move: strata rebase REV", a.ID, b.ID)
		default:
			return nil, nil, fmt.Errorf("neither branch (%s, %s) has a revision applied to this database that the other lacks, so strata cannot tell which is yours; name the one to move: strata rebase REV", a.ID, b.ID)
		}
		if onto == nil {
			onto, err = other(mine)
		}
	}
	if err != nil {
		return nil, nil, err
	}
	if mine == onto {
		return nil, nil, fmt.Errorf("cannot rebase %s onto itself", mine.ID)
	}
	return mine, onto, nil
}

// own reports whether a revision of h's branch that other lacks is applied.
func (g *Graph) own(cur set, h, other *Revision) bool {
	mine, theirs := g.ancestors(h), g.ancestors(other)
	for i := range mine {
		if mine[i] && !theirs[i] && cur[i] {
			return true
		}
	}
	return false
}

// Rebase puts the branch "mine" on top of another head, for teams that
// keep a linear history: it rolls back the moved revisions applied to the
// database, rewrites the Revises header of the first moved revision in
// dir (atomically; nothing else in the file changes), reloads the graph
// and upgrades to the moved head (theirs, then mine). It refuses, changing nothing, when the two
// branches change the same table or column.
func (m *Migrator) Rebase(ctx context.Context, dir string, o RebaseOptions) (*RebasePlan, []Step, error) {
	if o.DryRun {
		v, err := m.view(ctx, m.db)
		if err != nil {
			return nil, nil, err
		}
		if err := v.usable(); err != nil {
			return nil, nil, err
		}
		p, err := m.graph.PlanRebase(m.d, v.rows, o)
		return p, nil, err
	}
	conn, done, batch, err := m.session(ctx)
	if err != nil {
		return nil, nil, err
	}
	defer done()
	v, err := m.view(ctx, conn)
	if err != nil {
		return nil, nil, err
	}
	if err := v.usable(); err != nil {
		return nil, nil, err
	}
	p, err := m.graph.PlanRebase(m.d, v.rows, o)
	if err != nil {
		return p, nil, err
	}
	hist, err := m.table.history(ctx, conn)
	if err != nil {
		return p, nil, err
	}
	if err := m.checkEdited(ctx, conn, m.graph, hist, v.applied); err != nil {
		return p, nil, err
	}
	down := m.graph.newSet()
	for _, r := range p.Moved {
		down[r.index] = v.applied.has(r)
	}
	steps := m.graph.plan(m.table, v.applied, down, false)
	resume, err := m.resumable(m.graph, hist, steps)
	if err != nil {
		return p, nil, err
	}
	ran, err := m.runSteps(ctx, conn, batch, steps, resume, 0, len(steps))
	if err != nil {
		return p, ran, err
	}
	if err := RewriteRevises(filepath.Join(dir, p.First.File), []string{p.Onto.ID}); err != nil {
		return p, ran, fmt.Errorf("%w; the database is at the revisions below the moved ones: run strata rebase again, or strata sync", err)
	}
	g, err := LoadDir(dir)
	if err != nil {
		return p, ran, err
	}
	m.graph = g
	applied, err := m.applied(ctx, conn)
	if err != nil {
		return p, ran, err
	}
	// Up to the moved head: theirs, then mine.
	head, err := ParseTarget(p.Mine.ID)
	if err != nil {
		return p, ran, err
	}
	up, err := g.upgradeSet(applied, head)
	if err != nil {
		return p, ran, err
	}
	upSteps := g.plan(m.table, applied, up, true)
	more, err := m.runSteps(ctx, conn, batch, upSteps, nil, len(ran), len(ran)+len(upSteps))
	return p, append(ran, more...), err
}

// RewriteRevises sets the Revises header of the revision file at path to
// revises, atomically (a temporary file renamed over it), changing nothing
// else in the file.
func RewriteRevises(path string, revises []string) error {
	data, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	var out []byte
	found := false
	for rest := data; len(rest) > 0; {
		line := rest
		if i := bytes.IndexByte(rest, '\n'); i >= 0 {
			line, rest = rest[:i+1], rest[i+1:]
		} else {
			rest = nil
		}
		text := strings.TrimRight(string(line), "\r\n")
		trimmed := strings.TrimSpace(text)
		if trimmed == UpgradeMarker {
			out = append(out, line...)
			out = append(out, rest...)
			break
		}
		if key, _, ok := headerField(trimmed); ok && strings.EqualFold(key, "revises") && !found {
			found = true
			prefix := text[:strings.Index(text, ":")+1]
			out = append(out, prefix+" "+strings.Join(revises, ", ")...)
			out = append(out, line[len(text):]...) // the line's own ending
			continue
		}
		out = append(out, line...)
	}
	if !found {
		return fmt.Errorf("%s: no Revises header to rewrite", path)
	}
	if _, err := Parse(path, out); err != nil {
		return fmt.Errorf("%s: the rewritten file does not parse: %w", path, err)
	}
	return replaceFile(path, out)
}

// replaceFile writes data over path atomically, keeping its permissions.
func replaceFile(path string, data []byte) error {
	mode := os.FileMode(0o644)
	if fi, err := os.Stat(path); err == nil {
		mode = fi.Mode().Perm()
	}
	tmp, err := writeTemp(filepath.Dir(path), data, mode)
	if err != nil {
		return err
	}
	defer os.Remove(tmp)
	return os.Rename(tmp, path)
}

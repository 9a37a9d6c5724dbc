package versions

import (
	"context"
	"fmt"
	"io"
	"strings"
)

// SyncPlan is what Sync does to make the database match the directory:
// roll back, newest first, every applied revision the directory does not
// hold as applied (from another git branch, or rebased since), with the
// text stored in the database, then upgrade to every head.
type SyncPlan struct {
	Down []Step
	Up   []Step
}

// Steps returns the plan's steps in order.
func (p *SyncPlan) Steps() []Step {
	return append(append(make([]Step, 0, len(p.Down)+len(p.Up)), p.Down...), p.Up...)
}

// PlanSync works out what Sync would do, reading the database without
// changing anything (it neither takes the lock nor creates strata's
// tables).
func (m *Migrator) PlanSync(ctx context.Context) (*SyncPlan, error) {
	p, _, _, err := m.planSync(ctx, m.db)
	return p, err
}

// Sync makes the database match the directory in one run under the
// migration lock: it rolls back the applied revisions the directory lacks
// (or holds rewritten), using their stored downgrades, and upgrades to
// every head. It stops before changing anything when a revision to roll
// back has no stored text or another revision is half-applied. It returns
// the steps it ran.
func (m *Migrator) Sync(ctx context.Context) ([]Step, error) {
	conn, done, batch, err := m.session(ctx)
	if err != nil {
		return nil, err
	}
	defer done()
	p, v, hist, err := m.planSync(ctx, conn)
	if err != nil {
		return nil, err
	}
	if err := m.checkEdited(ctx, conn, v.g, hist, v.applied); err != nil {
		return nil, err
	}
	steps := p.Steps()
	resume, err := m.resumable(v.g, hist, steps)
	if err != nil {
		return nil, err
	}
	ran, err := m.runSteps(ctx, conn, batch, p.Down, resume, 0, len(steps))
	if err != nil {
		return ran, err
	}
	up, err := m.runSteps(ctx, conn, batch, p.Up, resume, len(p.Down), len(steps))
	return append(ran, up...), err
}

// planSync plans a sync from what q reads.
func (m *Migrator) planSync(ctx context.Context, q querier) (*SyncPlan, *view, []History, error) {
	v, err := m.view(ctx, q)
	if err != nil {
		return nil, nil, nil, err
	}
	if v.stranded != nil && len(v.stranded.Unstored) > 0 {
		return nil, nil, nil, v.stranded
	}
	hist, err := m.table.history(ctx, q)
	if err != nil {
		return nil, nil, nil, err
	}
	e, err := m.table.edited(ctx, q, v.g, hist, v.applied)
	if err != nil {
		return nil, nil, nil, err
	}
	if len(e) > 0 && !m.allowEdited {
		return nil, nil, nil, &EditedError{Revisions: e}
	}
	// The foreign revisions go, with whatever was applied on top of them.
	down := v.g.newSet()
	for _, r := range v.foreign {
		below := v.g.descendants(r)
		for i := range down {
			down[i] = down[i] || below[i] && v.applied[i]
		}
	}
	p := &SyncPlan{Down: v.g.plan(m.table, v.applied, down, false)}
	// What stays applied is all in the directory, with the same links.
	kept := m.graph.newSet()
	for _, r := range v.g.members(v.applied) {
		if down.has(r) {
			continue
		}
		dr, ok := m.graph.byID[r.ID]
		if !ok {
			return nil, nil, nil, fmt.Errorf("revision %s stays applied but is not in the versions directory", r.ID)
		}
		kept[dr.index] = true
	}
	heads, err := ParseTarget("heads")
	if err != nil {
		return nil, nil, nil, err
	}
	up, err := m.graph.upgradeSet(kept, heads)
	if err != nil {
		return nil, nil, nil, err
	}
	p.Up = m.graph.plan(m.table, kept, up, true)
	// Half-applied revisions must be resumed first, in their direction.
	if _, err := m.resumable(v.g, hist, p.Steps()); err != nil {
		return nil, nil, nil, err
	}
	return p, v, hist, nil
}

// SyncScript writes the SQL script Sync would run, without running it: the
// database is read, never changed.
func (m *Migrator) SyncScript(ctx context.Context, w io.Writer) error {
	p, err := m.PlanSync(ctx)
	if err != nil {
		return err
	}
	return writeScript(w, m.table, fmt.Sprintf("strata sync (%s)", m.d), p.Steps())
}

// String describes the step as the runners print it: "upgrade A -> B, msg".
func (s Step) String() string {
	r := s.Revision
	from, to := strings.Join(r.Revises, ", "), r.ID
	if from == "" {
		from = "base"
	}
	dir := "upgrade"
	if !s.Up {
		from, to, dir = to, from, "downgrade"
	}
	return fmt.Sprintf("%s %s -> %s, %s", dir, from, to, r.Message)
}

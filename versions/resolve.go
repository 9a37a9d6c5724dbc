package versions

import (
	"fmt"
	"strings"
)

// HeadsRemedy is the advice every message about several heads gives.
const HeadsRemedy = "merge them with strata merge heads, or put your branch on top of the other with strata rebase"

func ids(rs []*Revision) string {
	s := make([]string, len(rs))
	for i, r := range rs {
		s[i] = r.ID
	}
	return strings.Join(s, ", ")
}

// ref resolves a revision reference: a full id, a unique prefix of at least
// 4 characters, or a branch label (the revision declaring it).
func (g *Graph) ref(s string) (*Revision, error) {
	if r, ok := g.labels[s]; ok {
		return r, nil
	}
	return g.lookup(s)
}

// Resolve resolves a reference to one revision: an id, a prefix, a branch
// label, head (when there is one head) or LABEL@head.
func (g *Graph) Resolve(s string) (*Revision, error) {
	t, err := ParseTarget(s)
	if err != nil {
		return nil, err
	}
	rs, err := g.targetRevisions(t, nil)
	if err != nil {
		return nil, err
	}
	if len(rs) != 1 {
		return nil, fmt.Errorf("%q names %d revisions, want one", s, len(rs))
	}
	return rs[0], nil
}

// branch returns the revisions carrying label l: the declaring revision, its
// descendants, and its ancestors back to (not including) the previous branch
// point. root is the oldest of them.
func (g *Graph) branch(l string) (members set, root *Revision, err error) {
	r, ok := g.labels[l]
	if !ok {
		return nil, nil, errorf(ErrRevisionNotFound, "no branch label %q", l)
	}
	members = g.lineage(r)
	root = r
	for len(root.parents) == 1 && len(root.parents[0].children) == 1 {
		root = root.parents[0]
		members[root.index] = true
	}
	return members, root, nil
}

// labelHeads returns the heads of the branch a label (or revision) starts:
// the heads among its descendants.
func (g *Graph) labelHeads(l string) ([]*Revision, error) {
	r, err := g.ref(l)
	if err != nil {
		return nil, err
	}
	desc := g.lineage(r)
	var out []*Revision
	for _, h := range g.heads {
		if desc.has(h) {
			out = append(out, h)
		}
	}
	return out, nil
}

// oneHead returns the single head of hs, or ErrMultipleHeads.
func oneHead(hs []*Revision, what string) (*Revision, error) {
	switch len(hs) {
	case 0:
		return nil, fmt.Errorf("%s: there are no revisions", what)
	case 1:
		return hs[0], nil
	}
	return nil, errorf(ErrMultipleHeads, "multiple heads are present for %s (%s): %s; or name a revision, LABEL@head to narrow to one branch, or heads for all", what, ids(hs), HeadsRemedy)
}

// targetRevisions resolves a non-relative target to the revisions it names.
// applied is the applied set for relative targets (nil when offline).
func (g *Graph) targetRevisions(t Target, applied set) ([]*Revision, error) {
	if t.Delta != 0 {
		r, err := g.relative(t, applied)
		if err != nil {
			return nil, err
		}
		return []*Revision{r}, nil
	}
	switch t.Kind {
	case TargetHead:
		if t.Label == "" && len(g.heads) == 0 {
			return nil, nil // an empty directory: head is base
		}
		if t.Label != "" {
			hs, err := g.labelHeads(t.Label)
			if err != nil {
				return nil, err
			}
			h, err := oneHead(hs, fmt.Sprintf("%q", t.raw))
			if err != nil {
				return nil, err
			}
			return []*Revision{h}, nil
		}
		h, err := oneHead(g.heads, "'head'")
		if err != nil {
			return nil, err
		}
		return []*Revision{h}, nil
	case TargetHeads:
		if t.Label != "" {
			return g.labelHeads(t.Label)
		}
		return g.heads, nil
	case TargetBase:
		if t.Label != "" {
			_, root, err := g.branch(t.Label)
			if err != nil {
				return nil, err
			}
			return root.parents, nil
		}
		return nil, nil
	case TargetCurrent:
		if applied == nil {
			return nil, fmt.Errorf("%q needs a database connection", t.raw)
		}
		return g.headsOf(applied), nil
	}
	r, err := g.ref(t.Rev)
	if err != nil {
		return nil, err
	}
	return []*Revision{r}, nil
}

// relative resolves a target with a ±N step.
func (g *Graph) relative(t Target, applied set) (*Revision, error) {
	var start *Revision
	switch {
	case t.Kind == TargetHead:
		hs, err := g.labelHeads(t.Label)
		if err != nil {
			return nil, err
		}
		if start, err = oneHead(hs, fmt.Sprintf("%q", t.raw)); err != nil {
			return nil, err
		}
	case t.Rev != "":
		r, err := g.ref(t.Rev)
		if err != nil {
			return nil, err
		}
		start = r
	default: // +N, -N, LABEL@+N, LABEL@-N: from the current revision
		if applied == nil {
			return nil, fmt.Errorf("%q is relative to the current revision and needs a database (or give REV%+d)", t.raw, t.Delta)
		}
		cur := g.headsOf(applied)
		if t.Label != "" {
			members, root, err := g.branch(t.Label)
			if err != nil {
				return nil, err
			}
			var in []*Revision
			for _, h := range cur {
				if members.has(h) {
					in = append(in, h)
				}
			}
			if len(in) == 0 && t.Delta > 0 {
				// Nothing of the branch applied yet: +1 is its first revision.
				return g.step(root, t.Delta-1, t.raw)
			}
			cur = in
		}
		switch len(cur) {
		case 0:
			if t.Delta < 0 {
				return nil, fmt.Errorf("%q: nothing is applied", t.raw)
			}
			if len(g.bases) != 1 {
				return nil, errorf(ErrAmbiguous, "%q is ambiguous: there are several bases (%s); upgrade a revision or LABEL@+N", t.raw, ids(g.bases))
			}
			return g.step(g.bases[0], t.Delta-1, t.raw)
		case 1:
			start = cur[0]
		default:
			return nil, errorf(ErrAmbiguous, "%q is ambiguous: several revisions are current (%s); use LABEL@%+d or name a revision", t.raw, ids(cur), t.Delta)
		}
	}
	return g.step(start, t.Delta, t.raw)
}

// step walks n revisions up (n > 0, children) or down (n < 0, parents)
// from r; each step must be unambiguous.
func (g *Graph) step(r *Revision, n int, raw string) (*Revision, error) {
	for ; n > 0; n-- {
		switch len(r.children) {
		case 0:
			return nil, errorf(ErrRevisionNotFound, "%q goes past the head %s", raw, r.ID)
		case 1:
			r = r.children[0]
		default:
			return nil, errorf(ErrAmbiguous, "%q is ambiguous: %s is a branch point to %s; use LABEL@+N", raw, r.ID, ids(r.children))
		}
	}
	for ; n < 0; n++ {
		switch len(r.parents) {
		case 0:
			return nil, errorf(ErrRevisionNotFound, "%q goes below the base %s; use base", raw, r.ID)
		case 1:
			r = r.parents[0]
		default:
			return nil, errorf(ErrAmbiguous, "%q is ambiguous: %s merges %s; name the revision", raw, r.ID, ids(r.parents))
		}
	}
	return r, nil
}

// upgradeSet returns the revisions an upgrade to t applies, given what is applied.
func (g *Graph) upgradeSet(applied set, t Target) (set, error) {
	if t.Kind == TargetBase && t.Label == "" {
		return g.newSet(), nil
	}
	if t.Delta < 0 {
		return nil, fmt.Errorf("upgrade target %q steps down; use downgrade", t.raw)
	}
	if t.Kind == TargetBase {
		return nil, fmt.Errorf("upgrade target %q: LABEL@base is a downgrade target", t.raw)
	}
	rs, err := g.targetRevisions(t, applied)
	if err != nil {
		return nil, err
	}
	add := g.ancestors(rs...)
	for i := range add {
		add[i] = add[i] && !applied[i]
	}
	return add, nil
}

// downgradeSet returns the applied revisions a downgrade to t reverts.
func (g *Graph) downgradeSet(applied set, t Target) (set, error) {
	if t.Delta > 0 {
		return nil, fmt.Errorf("downgrade target %q steps up; use upgrade", t.raw)
	}
	remove := g.newSet()
	switch {
	case t.Kind == TargetBase && t.Label == "":
		copy(remove, applied)
		return remove, nil
	case t.Kind == TargetBase:
		_, root, err := g.branch(t.Label)
		if err != nil {
			return nil, err
		}
		d := g.descendants(root)
		for i := range remove {
			remove[i] = d[i] && applied[i]
		}
		return remove, nil
	case t.Delta < 0 && t.Kind == TargetRev && t.Rev == "" && t.Label == "":
		// -N: revert the last N applied revisions, newest first.
		if hs := g.headsOf(applied); len(hs) > 1 {
			return nil, errorf(ErrAmbiguous, "%q is ambiguous: several revisions are current (%s); use LABEL@%d or name a revision", t.raw, ids(hs), t.Delta)
		}
		order := g.topo()
		n := -t.Delta
		for i := len(order) - 1; i >= 0 && n > 0; i-- {
			if applied.has(order[i]) {
				remove[order[i].index] = true
				n--
			}
		}
		if n > 0 {
			return nil, fmt.Errorf("%q: only %d revisions are applied", t.raw, -t.Delta-n)
		}
		return remove, nil
	}
	rs, err := g.targetRevisions(t, applied)
	if err != nil {
		return nil, err
	}
	for _, r := range rs {
		if !applied.has(r) {
			return nil, fmt.Errorf("downgrade target %s is not applied; downgrade goes only to an applied revision (see strata current)", r.ID)
		}
	}
	keep := g.ancestors(rs...)
	below := g.descendants(rs...)
	for i := range remove {
		remove[i] = applied[i] && below[i] && !keep[i]
	}
	return remove, nil
}

// Range returns the revisions of a history range, newest first: those that
// are ancestors of END (default: every head) and descendants of START
// (default: base). applied may be nil when there is no database; then
// "current" is an error.
func (g *Graph) Range(start, end *Target, applied []string) ([]*Revision, error) {
	var cur set
	if applied != nil {
		var err error
		if cur, err = g.appliedSet(applied); err != nil {
			return nil, err
		}
	}
	upper := g.newSet()
	for i := range upper {
		upper[i] = true
	}
	if end != nil {
		rs, err := g.targetRevisions(*end, cur)
		if err != nil {
			return nil, err
		}
		upper = g.ancestors(rs...)
	}
	lower := upper
	if start != nil && !(start.Kind == TargetBase && start.Label == "") {
		rs, err := g.targetRevisions(*start, cur)
		if err != nil {
			return nil, err
		}
		lower = g.descendants(rs...)
	}
	order := g.topo()
	var out []*Revision
	for i := len(order) - 1; i >= 0; i-- {
		if r := order[i]; upper.has(r) && lower.has(r) {
			out = append(out, r)
		}
	}
	return out, nil
}

// appliedSet turns the version table rows into the set of applied
// revisions: the rows and all their ancestors.
func (g *Graph) appliedSet(rows []string) (set, error) {
	var rs []*Revision
	for _, id := range rows {
		r, ok := g.byID[id]
		if !ok {
			return nil, errorf(ErrRevisionNotFound, "the database has revision %s applied, which is not in the versions directory (probably applied from another git branch); run strata sync", id)
		}
		rs = append(rs, r)
	}
	return g.ancestors(rs...), nil
}

package versions

// set is a set of revisions of one graph, indexed by Revision.index.
type set []bool

func (g *Graph) newSet(rs ...*Revision) set {
	s := make(set, len(g.revs))
	for _, r := range rs {
		s[r.index] = true
	}
	return s
}

func (s set) has(r *Revision) bool { return s[r.index] }

// members returns the revisions of s in id order.
func (g *Graph) members(s set) []*Revision {
	var out []*Revision
	for i, in := range s {
		if in {
			out = append(out, g.revs[i])
		}
	}
	return out
}

// ancestors returns rs and everything they revise or depend on, transitively.
func (g *Graph) ancestors(rs ...*Revision) set {
	return g.closure(rs, func(r *Revision) [][]*Revision { return [][]*Revision{r.parents, r.deps} })
}

// descendants returns rs and everything that revises or depends on them, transitively.
func (g *Graph) descendants(rs ...*Revision) set {
	return g.closure(rs, func(r *Revision) [][]*Revision { return [][]*Revision{r.children, r.rdeps} })
}

// lineage returns rs and everything that revises them, transitively,
// ignoring dependencies: the revisions on their branches.
func (g *Graph) lineage(rs ...*Revision) set {
	return g.closure(rs, func(r *Revision) [][]*Revision { return [][]*Revision{r.children} })
}

func (g *Graph) closure(rs []*Revision, next func(*Revision) [][]*Revision) set {
	s := g.newSet()
	stack := append([]*Revision(nil), rs...)
	for len(stack) > 0 {
		r := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if s[r.index] {
			continue
		}
		s[r.index] = true
		for _, list := range next(r) {
			for _, n := range list {
				if !s[n.index] {
					stack = append(stack, n)
				}
			}
		}
	}
	return s
}

// headsOf returns the members of applied no applied revision revises: the
// rows of the version table.
func (g *Graph) headsOf(applied set) []*Revision {
	var out []*Revision
	for _, r := range g.revs {
		if !applied[r.index] {
			continue
		}
		head := true
		for _, c := range r.children {
			if applied[c.index] {
				head = false
				break
			}
		}
		if head {
			out = append(out, r)
		}
	}
	return out
}

// topo returns every revision, ancestors before descendants, with each
// branch kept together: a depth-first post-order from the heads.
func (g *Graph) topo() []*Revision {
	out := make([]*Revision, 0, len(g.revs))
	done := g.newSet()
	type frame struct {
		r    *Revision
		next int
	}
	for _, h := range g.revs {
		if done[h.index] || len(h.children) > 0 || len(h.rdeps) > 0 {
			continue
		}
		frames := []frame{{r: h}}
		done[h.index] = true
		for len(frames) > 0 {
			f := &frames[len(frames)-1]
			deps := len(f.r.parents) + len(f.r.deps)
			if f.next >= deps {
				out = append(out, f.r)
				frames = frames[:len(frames)-1]
				continue
			}
			var n *Revision
			if f.next < len(f.r.parents) {
				n = f.r.parents[f.next]
			} else {
				n = f.r.deps[f.next-len(f.r.parents)]
			}
			f.next++
			if !done[n.index] {
				done[n.index] = true
				frames = append(frames, frame{r: n})
			}
		}
	}
	return out
}

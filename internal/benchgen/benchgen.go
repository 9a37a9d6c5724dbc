// Package benchgen generates synthetic inputs for benchmarks: directories of
// revision files shaped like a long-lived project's history, and modules of
// Go models shaped like a large application's schema. It is shared by the
// bench/gen command and the Go benchmarks, so both measure the same shapes.
// Output is deterministic for a given seed.
package benchgen

import (
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"time"

	"github.com/strata-db/strata/render"
	"github.com/strata-db/strata/versions"
)

// RevisionOptions shapes a generated history.
type RevisionOptions struct {
	// N is the number of revisions.
	N int
	// BranchEvery opens a branch after every BranchEvery revisions on the
	// trunk: two or three arms of one to three revisions each from the
	// trunk's head, joined by a merge revision. 0 gives a linear history.
	BranchEvery int
	// Seed fixes the ids and the arm lengths.
	Seed uint64
}

// epoch is the Created time of the first revision; each next one is a
// minute later.
var epoch = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)

// Revisions returns o.N revisions, parents before children, forming a graph
// with a single head. Revision i (from 0) creates table t_<i> on upgrade and
// drops it on downgrade: one cheap statement each way.
func Revisions(o RevisionOptions) ([]*versions.Revision, error) {
	if o.N < 1 {
		return nil, fmt.Errorf("need at least one revision, got %d", o.N)
	}
	if o.BranchEvery < 0 {
		return nil, fmt.Errorf("branch interval must not be negative, got %d", o.BranchEvery)
	}
	g := &generator{rng: rand.New(rand.NewPCG(o.Seed, 0x5712a7a)), used: map[string]bool{}}
	var head *versions.Revision
	sinceBranch := 0
	for len(g.revs) < o.N {
		left := o.N - len(g.revs)
		arms := make([]int, 2+g.rng.IntN(2))
		size := 1 // the merge
		for i := range arms {
			arms[i] = 1 + g.rng.IntN(3)
			size += arms[i]
		}
		// A branch must fit entirely, so the history still ends in one head.
		if o.BranchEvery == 0 || sinceBranch < o.BranchEvery || head == nil || size > left {
			head = g.add(head)
			sinceBranch++
			continue
		}
		tips := make([]*versions.Revision, len(arms))
		for i, n := range arms {
			tip := head
			for range n {
				tip = g.add(tip)
			}
			tips[i] = tip
		}
		head = g.add(tips...)
		sinceBranch = 0
	}
	return g.revs, nil
}

type generator struct {
	rng  *rand.Rand
	used map[string]bool
	revs []*versions.Revision
}

// add appends a revision revising parents (none for a root) and returns it.
func (g *generator) add(parents ...*versions.Revision) *versions.Revision {
	i := len(g.revs)
	r := &versions.Revision{
		ID:        g.id(),
		Message:   fmt.Sprintf("add t_%d", i),
		Created:   epoch.Add(time.Duration(i) * time.Minute),
		Upgrade:   versions.Section{SQL: fmt.Sprintf("CREATE TABLE t_%d (id int);", i)},
		Downgrade: versions.Section{SQL: fmt.Sprintf("DROP TABLE t_%d;", i)},
	}
	for _, p := range parents {
		if p != nil {
			r.Revises = append(r.Revises, p.ID)
		}
	}
	if len(parents) > 1 {
		r.Message = fmt.Sprintf("merge %d branches (t_%d)", len(parents), i)
	}
	g.revs = append(g.revs, r)
	return r
}

// id returns a fresh 12-hex-digit id, like the ones strata revision makes.
func (g *generator) id() string {
	for {
		id := fmt.Sprintf("%012x", g.rng.Uint64()>>16)
		if !g.used[id] {
			g.used[id] = true
			return id
		}
	}
}

// WriteRevisions writes revs into dir, which must exist and hold no files
// of the same names, as `strata revision` would name and render them. It
// skips the fsync of versions.Create: a benchmark fixture needs no
// durability, and 10,000 syncs would dominate generation.
func WriteRevisions(dir string, revs []*versions.Revision) error {
	for _, r := range revs {
		path := filepath.Join(dir, versions.FileName(r))
		f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
		if err != nil {
			return err
		}
		_, err = f.Write(render.Revision(r))
		if cerr := f.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// UpgradeScript returns the upgrade statements of revs, parents first, as
// one SQL script: the baseline a migration tool's overhead is measured
// against.
func UpgradeScript(revs []*versions.Revision) []byte {
	var b []byte
	for _, r := range revs {
		b = append(b, r.Upgrade.SQL...)
		b = append(b, '\n')
	}
	return b
}

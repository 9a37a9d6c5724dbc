package diff_test

import (
	"testing"

	"github.com/strata-db/strata/internal/benchgen"
	"github.com/strata-db/strata/internal/testdb"
)

// TestLargeChangeSet: 250 new tables with foreign keys between them are
// more changes than Atlas's quadratic sort is given at once, so strata
// orders them itself and plans them in batches; the revision must apply,
// agree with the models, and its downgrade must drop everything again.
// The check compares more tables than one group of schemaDiff (diffChunk),
// so it runs Atlas's differ of a live connection on two groups at once
// (under -race in CI).
func TestLargeChangeSet(t *testing.T) {
	testdb.ForEach(t, func(t *testing.T, db *testdb.DB) {
		p := newProject(t, db)
		files, err := benchgen.Models(benchgen.ModelOptions{N: 250})
		if err != nil {
			t.Fatal(err)
		}
		if err := benchgen.WriteFiles(p.dir, files); err != nil {
			t.Fatal(err)
		}
		p.mustRun(0, "revision", "--autogenerate", "-m", "all", "--rev-id", "r1")
		p.mustRun(0, "upgrade")
		p.mustRun(0, "check")
		if n := len(p.inspect().Tables); n != 250 {
			t.Fatalf("%d tables after upgrade, want 250", n)
		}
		p.mustRun(0, "downgrade", "base")
		if n := len(p.inspect().Tables); n != 0 {
			t.Errorf("%d tables after downgrade base, want 0", n)
		}
	})
}

package versions_test

import (
	"context"
	"io"
	"os"
	"testing"
	"testing/fstest"

	"github.com/strata-db/strata/dialect"
	"github.com/strata-db/strata/internal/benchgen"
	"github.com/strata-db/strata/internal/testdb"
	"github.com/strata-db/strata/render"
	"github.com/strata-db/strata/versions"
)

// revisionsDir writes a generated history of n revisions into a temporary
// directory; branchEvery 0 makes it linear.
func revisionsDir(b *testing.B, n, branchEvery int) string {
	b.Helper()
	revs, err := benchgen.Revisions(benchgen.RevisionOptions{N: n, BranchEvery: branchEvery, Seed: 1})
	if err != nil {
		b.Fatal(err)
	}
	dir := b.TempDir()
	if err := benchgen.WriteRevisions(dir, revs); err != nil {
		b.Fatal(err)
	}
	return dir
}

// BenchmarkLoad10k measures reading, parsing and linking what `strata heads`
// loads for a 10,000-revision history with branches and merges.
func BenchmarkLoad10k(b *testing.B) {
	fsys := os.DirFS(revisionsDir(b, 10000, 10))
	for b.Loop() {
		if _, err := versions.Load(fsys); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkParse measures one revision file's parse, without the file system.
func BenchmarkParse(b *testing.B) {
	revs, err := benchgen.Revisions(benchgen.RevisionOptions{N: 2, Seed: 1})
	if err != nil {
		b.Fatal(err)
	}
	data := render.Revision(revs[1])
	name := versions.FileName(revs[1])
	b.ReportAllocs()
	for b.Loop() {
		if _, err := versions.Parse(name, data); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkLink10k measures Load without disk I/O: parsing and linking.
func BenchmarkLink10k(b *testing.B) {
	revs, err := benchgen.Revisions(benchgen.RevisionOptions{N: 10000, BranchEvery: 10, Seed: 1})
	if err != nil {
		b.Fatal(err)
	}
	fsys := fstest.MapFS{}
	for _, r := range revs {
		fsys[versions.FileName(r)] = &fstest.MapFile{Data: render.Revision(r)}
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := versions.Load(fsys); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkHistory10k measures what `strata history` does after loading:
// ordering the whole range and drawing it.
func BenchmarkHistory10k(b *testing.B) {
	g, err := versions.Load(os.DirFS(revisionsDir(b, 10000, 10)))
	if err != nil {
		b.Fatal(err)
	}
	describe := func(r *versions.Revision) []string { return []string{r.ID + " " + r.Message} }
	b.ReportAllocs()
	for b.Loop() {
		revs, err := g.Range(nil, nil, nil)
		if err != nil {
			b.Fatal(err)
		}
		if err := versions.DrawHistory(io.Discard, revs, describe); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkUpgrade1000 applies 1,000 linear one-statement revisions to a
// fresh database per iteration. Compare ms/rev with the statement's own cost
// (bench/revisions.sh measures that baseline with the database's client).
// Run with -benchtime=3x or so: each iteration takes seconds.
func BenchmarkUpgrade1000(b *testing.B) {
	const n = 1000
	dir := revisionsDir(b, n, 0)
	for _, d := range []dialect.Name{dialect.SQLite, dialect.Postgres, dialect.MySQL} {
		b.Run(string(d), func(b *testing.B) {
			ctx := context.Background()
			for b.Loop() {
				b.StopTimer()
				db := testdb.New(b, d)
				m, err := versions.Open(ctx, db.DB, d, os.DirFS(dir))
				if err != nil {
					b.Fatal(err)
				}
				b.StartTimer()
				steps, err := m.Upgrade(ctx, "head")
				if err != nil {
					b.Fatal(err)
				}
				if len(steps) != n {
					b.Fatalf("applied %d revisions, want %d", len(steps), n)
				}
			}
			b.ReportMetric(float64(b.Elapsed().Milliseconds())/float64(b.N*n), "ms/rev")
		})
	}
}

package introspect_test

import (
	"context"
	"fmt"
	"os"
	"strconv"
	"strings"
	"testing"

	"ariga.io/atlas/sql/schema"

	"github.com/strata-db/strata/dialect"
	"github.com/strata-db/strata/internal/benchgen"
	"github.com/strata-db/strata/internal/testdb"
	"github.com/strata-db/strata/introspect"
	"github.com/strata-db/strata/model"
)

// BenchmarkInspect times Inspect (strata's readers) against Atlas's
// InspectSchema on databases of N generated tables (benchgen's shape: 14
// columns, a unique key, a composite index and a foreign key per table).
//
//	go test ./introspect -run '^$' -bench Inspect -benchtime 3x
//
// STRATA_BENCH_TABLES sets the sizes (default "100,1000").
func BenchmarkInspect(b *testing.B) {
	sizes := []int{100, 1000}
	if v := os.Getenv("STRATA_BENCH_TABLES"); v != "" {
		sizes = nil
		for _, f := range strings.Split(v, ",") {
			n, err := strconv.Atoi(strings.TrimSpace(f))
			if err != nil || n < 1 {
				b.Fatalf("STRATA_BENCH_TABLES: %q is not a table count", f)
			}
			sizes = append(sizes, n)
		}
	}
	for _, d := range dialect.All {
		for _, n := range sizes {
			b.Run(fmt.Sprintf("%s/N=%d", d, n), func(b *testing.B) {
				ctx := context.Background()
				db := benchDB(b, d, n)
				drv := db.Driver(b)
				all, err := introspect.Inspect(ctx, drv, db.DB, d, introspect.Options{})
				if err != nil {
					b.Fatal(err)
				}
				var names []string
				for _, t := range all.Tables {
					names = append(names, t.Name)
				}
				b.Run("strata", func(b *testing.B) {
					for b.Loop() {
						s, err := introspect.Inspect(ctx, drv, db.DB, d, introspect.Options{})
						if err != nil {
							b.Fatal(err)
						}
						if len(s.Tables) != n {
							b.Fatalf("read %d tables, want %d", len(s.Tables), n)
						}
					}
				})
				b.Run("atlas", func(b *testing.B) {
					for b.Loop() {
						s, err := drv.InspectSchema(ctx, "", &schema.InspectOptions{Mode: schema.InspectTables, Tables: names})
						if err != nil {
							b.Fatal(err)
						}
						if len(s.Tables) != n {
							b.Fatalf("read %d tables, want %d", len(s.Tables), n)
						}
					}
				})
			})
		}
	}
}

// benchDB returns a fresh database holding n generated tables.
func benchDB(b *testing.B, d dialect.Name, n int) *testdb.DB {
	b.Helper()
	files, err := benchgen.Models(benchgen.ModelOptions{N: n})
	if err != nil {
		b.Fatal(err)
	}
	dir := b.TempDir()
	if err := benchgen.WriteFiles(dir, files); err != nil {
		b.Fatal(err)
	}
	r, err := model.Load(context.Background(), dir, nil, d)
	if err != nil {
		b.Fatal(err)
	}
	script, err := model.SQL(r, d)
	if err != nil {
		b.Fatal(err)
	}
	db := testdb.New(b, d)
	stmts, err := d.Split(script)
	if err != nil {
		b.Fatal(err)
	}
	// One statement at a time: at thousands of tables one transaction
	// exceeds PostgreSQL's lock table.
	for _, s := range stmts {
		if _, err := db.DB.Exec(s.Text); err != nil {
			b.Fatalf("exec %s: %v", s.Text, err)
		}
	}
	return db
}

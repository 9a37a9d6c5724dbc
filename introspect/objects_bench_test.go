package introspect_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/strata-db/strata/dialect"
	"github.com/strata-db/strata/introspect"
)

// BenchmarkObjects times Objects, which diff and check run on every call,
// on databases of N generated tables (as BenchmarkInspect) with a view
// over every tenth table.
//
//	go test ./introspect -run '^$' -bench Objects -benchtime 3x
func BenchmarkObjects(b *testing.B) {
	for _, d := range dialect.All {
		for _, n := range []int{100, 1000} {
			b.Run(fmt.Sprintf("%s/N=%d", d, n), func(b *testing.B) {
				ctx := context.Background()
				db := benchDB(b, d, n)
				drv := db.Driver(b)
				s, err := introspect.Inspect(ctx, drv, db.DB, d, introspect.Options{})
				if err != nil {
					b.Fatal(err)
				}
				views := 0
				for i := 0; i < len(s.Tables); i += 10 {
					t := s.Tables[i].Name
					if _, err := db.DB.Exec("CREATE VIEW " + d.Quote("v_"+t) + " AS SELECT * FROM " + d.Quote(t)); err != nil {
						b.Fatal(err)
					}
					views++
				}
				for b.Loop() {
					objs, err := introspect.Objects(ctx, db.DB, d, introspect.Options{})
					if err != nil {
						b.Fatal(err)
					}
					if len(objs) != views {
						b.Fatalf("listed %d objects, want %d views", len(objs), views)
					}
				}
			})
		}
	}
}

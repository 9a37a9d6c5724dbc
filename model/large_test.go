package model_test

import (
	"context"
	"testing"

	"github.com/strata-db/strata/internal/benchgen"
	"github.com/strata-db/strata/internal/testdb"
	"github.com/strata-db/strata/model"
)

// TestSQLManyTables: more tables than model.SQL hands Atlas's planner at
// once, with foreign keys between batches; the script must run as is.
func TestSQLManyTables(t *testing.T) {
	dir := t.TempDir()
	files, err := benchgen.Models(benchgen.ModelOptions{N: 250})
	if err != nil {
		t.Fatal(err)
	}
	if err := benchgen.WriteFiles(dir, files); err != nil {
		t.Fatal(err)
	}
	testdb.ForEach(t, func(t *testing.T, db *testdb.DB) {
		r, err := model.Load(context.Background(), dir, []string{"./..."}, db.Dialect)
		if err != nil {
			t.Fatal(err)
		}
		script, err := model.SQL(r, db.Dialect)
		if err != nil {
			t.Fatal(err)
		}
		stmts, err := db.Dialect.Split(script)
		if err != nil {
			t.Fatal(err)
		}
		for _, s := range stmts {
			if _, err := db.DB.Exec(s.Text); err != nil {
				t.Fatalf("%v\n%s", err, s.Text)
			}
		}
		if n := len(db.Inspect(t).Tables); n != 250 {
			t.Errorf("%d tables, want 250", n)
		}
	})
}

package model_test

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"ariga.io/atlas/sql/schema"
	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/strata-db/strata/diff"
	"github.com/strata-db/strata/internal/testdb"
	"github.com/strata-db/strata/introspect"
	"github.com/strata-db/strata/model"
)

// TestVocabulary loads, per dialect, a package using every option and
// directive of the dialect (testdata/corpus/vocab), checks what strata
// models prints (SQL and JSON golden files), creates the tables from that
// autogenerate's statements on a real database and asserts the round trip:
// introspect reads back the declared schema field by field, and diff plans
// nothing.
func TestVocabulary(t *testing.T) {
	testdb.ForEach(t, func(t *testing.T, db *testdb.DB) {
		ctx := context.Background()
		d := db.Dialect
		declared, err := model.Load(ctx, corpusDir, []string{"./vocab/" + string(d)}, d)
		if err != nil {
			t.Fatal(err)
		}
		script, err := model.SQL(declared, d)
		if err != nil {
			t.Fatal(err)
		}
		golden(t, filepath.Join("testdata", "golden", "vocab_"+string(d)+".sql"), []byte(script))
		js, err := model.JSON(declared, d)
		if err != nil {
			t.Fatal(err)
		}
		golden(t, filepath.Join("testdata", "golden", "vocab_"+string(d)+".json"), js)
		drv := db.Driver(t)
		inspect := func() *schema.Schema {
			s, err := introspect.Inspect(ctx, drv, db.DB, d, introspect.Options{})
			if err != nil {
				t.Fatal(err)
			}
			return s
		}
		// The tables are made as autogenerate makes them: on MariaDB,
		// Atlas's planner writes generated columns without NULL only when
		// connected.
		create, err := diff.Plan(ctx, drv, d, inspect(), declared.Schemas[0], diff.Options{})
		if err != nil {
			t.Fatal(err)
		}
		for _, s := range create.Upgrade {
			if _, err := db.DB.ExecContext(ctx, s.SQL); err != nil {
				t.Fatalf("exec %s: %v", s.SQL, err)
			}
		}
		if declared, err = model.Load(ctx, corpusDir, []string{"./vocab/" + string(d)}, d); err != nil {
			t.Fatal(err) // Plan modifies the schemas it compares.
		}
		// Generation expressions come back as the database writes them, and
		// MariaDB writes ON UPDATE in lower case; diff.Plan below compares
		// them as strata does.
		compareDocuments(t, d, declared, inspect(), cmpopts.IgnoreFields(model.DocumentColumn{}, "Generated"),
			cmp.FilterPath(func(p cmp.Path) bool { return p.Last().String() == ".Autoupdate" }, cmp.Comparer(strings.EqualFold)))
		plan, err := diff.Plan(ctx, drv, d, inspect(), declared.Schemas[0], diff.Options{})
		if err != nil {
			t.Fatal(err)
		}
		if !plan.Empty() {
			t.Errorf("diff plans changes between the database and the models it was made from:\n%s", strings.Join(plan.Summary, "\n"))
		}
	})
}

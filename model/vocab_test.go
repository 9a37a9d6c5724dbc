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
// directive of the dialect (testdata/corpus/vocab) and checks what strata
// models prints (SQL and JSON golden files). It then makes the tables on a
// real database twice, with autogenerate's statements and with models'
// SQL, and asserts the round trip each time: introspect reads back the
// declared schema field by field, and diff plans nothing.
func TestVocabulary(t *testing.T) {
	testdb.ForEach(t, func(t *testing.T, db *testdb.DB) {
		ctx := context.Background()
		d := db.Dialect
		load := func() *schema.Realm {
			r, err := model.Load(ctx, corpusDir, []string{"./vocab/" + string(d)}, d)
			if err != nil {
				t.Fatal(err)
			}
			return r
		}
		script, err := model.SQL(load(), d)
		if err != nil {
			t.Fatal(err)
		}
		golden(t, filepath.Join("testdata", "golden", "vocab_"+string(d)+".sql"), []byte(script))
		js, err := model.JSON(load(), d)
		if err != nil {
			t.Fatal(err)
		}
		golden(t, filepath.Join("testdata", "golden", "vocab_"+string(d)+".json"), js)

		t.Run("autogenerate", func(t *testing.T) {
			create, err := diff.Plan(ctx, db.Driver(t), d, inspectAll(t, db), load().Schemas[0], diff.Options{})
			if err != nil {
				t.Fatal(err)
			}
			var stmts []string
			for _, s := range create.Upgrade {
				stmts = append(stmts, s.SQL)
			}
			roundTrip(t, db, load, stmts)
		})
		t.Run("models SQL", func(t *testing.T) {
			split, err := d.Split(script)
			if err != nil {
				t.Fatal(err)
			}
			var stmts []string
			for _, s := range split {
				stmts = append(stmts, s.Text)
			}
			roundTrip(t, testdb.New(t, d), load, stmts)
		})
	})
}

// roundTrip runs stmts on db and asserts that the database then holds what
// load declares, as introspect reads it and as diff compares it.
func roundTrip(t *testing.T, db *testdb.DB, load func() *schema.Realm, stmts []string) {
	t.Helper()
	ctx := context.Background()
	for _, s := range stmts {
		if _, err := db.DB.ExecContext(ctx, s); err != nil {
			t.Fatalf("exec %s: %v", s, err)
		}
	}
	// Generation expressions come back as the database writes them, and
	// MariaDB writes ON UPDATE in lower case; diff.Plan below compares them
	// as strata does.
	compareDocuments(t, db.Dialect, load(), inspectAll(t, db), cmpopts.IgnoreFields(model.DocumentColumn{}, "Generated"),
		cmp.FilterPath(func(p cmp.Path) bool { return p.Last().String() == ".Autoupdate" }, cmp.Comparer(strings.EqualFold)))
	plan, err := diff.Plan(ctx, db.Driver(t), db.Dialect, inspectAll(t, db), load().Schemas[0], diff.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if !plan.Empty() {
		t.Errorf("diff plans changes between the database and the models it was made from:\n%s", strings.Join(plan.Summary, "\n"))
	}
}

// inspectAll reads db's schema as strata does.
func inspectAll(t *testing.T, db *testdb.DB) *schema.Schema {
	t.Helper()
	s, err := introspect.Inspect(context.Background(), db.Driver(t), db.DB, db.Dialect, introspect.Options{})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

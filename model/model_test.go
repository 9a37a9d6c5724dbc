package model_test

import (
	"context"
	"flag"
	"os"
	"path/filepath"
	"testing"

	"ariga.io/atlas/sql/schema"
	"github.com/google/go-cmp/cmp"

	"github.com/strata-db/strata/dialect"
	"github.com/strata-db/strata/model"
)

var update = flag.Bool("update", false, "rewrite the golden files")

// corpusDir is the test corpus module; corpus lists, per dialect, the
// packages of it the dialect supports (partial and expression indexes are
// PostgreSQL and SQLite only).
const corpusDir = "testdata/corpus"

var corpus = map[dialect.Name][]string{
	dialect.Postgres: {"./common/...", "./partial/..."},
	dialect.MySQL:    {"./common/..."},
	dialect.SQLite:   {"./common/...", "./partial/..."},
}

func loadCorpus(t testing.TB, d dialect.Name) *schema.Realm {
	t.Helper()
	r, err := model.Load(context.Background(), corpusDir, corpus[d], d)
	if err != nil {
		t.Fatalf("Load(%s): %v", d, err)
	}
	return r
}

// golden compares got with the file, or rewrites it under -update.
func golden(t *testing.T, path string, got []byte) {
	t.Helper()
	if *update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if diff := cmp.Diff(string(want), string(got)); diff != "" {
		t.Errorf("%s mismatch (-want +got):\n%s", path, diff)
	}
}

func TestGolden(t *testing.T) {
	for _, d := range dialect.All {
		t.Run(string(d), func(t *testing.T) {
			r := loadCorpus(t, d)
			stmts, err := model.SQL(r, d)
			if err != nil {
				t.Fatal(err)
			}
			golden(t, filepath.Join("testdata", "golden", string(d)+".sql"), []byte(stmts))
			js, err := model.JSON(r, d)
			if err != nil {
				t.Fatal(err)
			}
			golden(t, filepath.Join("testdata", "golden", string(d)+".json"), js)
		})
	}
}

// TestSchemaName checks the one schema's name per dialect and that tables
// come sorted by name.
func TestSchemaName(t *testing.T) {
	want := map[dialect.Name]string{dialect.Postgres: "public", dialect.MySQL: "", dialect.SQLite: "main"}
	for _, d := range dialect.All {
		t.Run(string(d), func(t *testing.T) {
			r := loadCorpus(t, d)
			if len(r.Schemas) != 1 {
				t.Fatalf("got %d schemas, want 1", len(r.Schemas))
			}
			if got := r.Schemas[0].Name; got != want[d] {
				t.Errorf("schema name = %q, want %q", got, want[d])
			}
			var names []string
			for _, tb := range r.Schemas[0].Tables {
				names = append(names, tb.Name)
			}
			wantNames := []string{"order", "order_item", "product", "product_variants", "sample", "users"}
			if d != dialect.MySQL {
				wantNames = []string{"order", "order_item", "product", "product_variants", "sample", "session", "users"}
			}
			if diff := cmp.Diff(wantNames, names); diff != "" {
				t.Errorf("tables (-want +got):\n%s", diff)
			}
		})
	}
}

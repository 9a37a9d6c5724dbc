package render_test

import (
	"bytes"
	"context"
	"flag"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"ariga.io/atlas/sql/schema"
	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"golang.org/x/tools/txtar"

	"github.com/strata-db/strata/dialect"
	"github.com/strata-db/strata/diff"
	"github.com/strata-db/strata/internal/testdb"
	"github.com/strata-db/strata/introspect"
	"github.com/strata-db/strata/model"
	"github.com/strata-db/strata/render"
)

var update = flag.Bool("update", false, "rewrite the golden files")

// TestModelsRoundTrip applies a fixture schema using every feature the
// generator covers to a fresh database, generates the models from the
// inspected schema, builds and vets them in a module of their own, loads
// them with model.Load and diffs them against the same database: there
// must be no change. The generated source is compared with golden files.
func TestModelsRoundTrip(t *testing.T) {
	testdb.ForEach(t, func(t *testing.T, db *testdb.DB) {
		ctx := context.Background()
		d := db.Dialect
		applyFixture(t, db)
		drv, err := introspect.Driver(db.DB, d)
		if err != nil {
			t.Fatal(err)
		}
		inspect := func(o introspect.Options) *schema.Schema {
			s, err := introspect.Inspect(ctx, drv, db.DB, d, o)
			if err != nil {
				t.Fatal(err)
			}
			return s
		}
		files, warns, err := render.Models(inspect(introspect.Options{}), d, "models")
		if err != nil {
			t.Fatal(err)
		}
		checkGolden(t, filepath.Join("testdata", "models", string(d)+".golden"), files, warns)
		opts := introspect.Options{}
		dir := writeModule(t, files)
		realm, err := model.Load(ctx, dir, []string{"./..."}, d)
		if err != nil {
			t.Fatalf("load the generated models: %v", err)
		}
		// Before diff.Plan, which modifies both schemas.
		compareDocuments(t, d, inspect(opts), realm)
		m, err := diff.Plan(ctx, drv, d, inspect(opts), realm.Schemas[0], diff.Options{})
		if err != nil {
			t.Fatal(err)
		}
		if !m.Empty() || len(m.Summary) > 0 {
			var up []string
			for _, s := range m.Upgrade {
				up = append(up, s.SQL)
			}
			t.Errorf("the generated models differ from the database they came from:\n%s\nupgrade:\n%s",
				strings.Join(m.Summary, "\n"), strings.Join(up, "\n"))
		}
	})
}

// compareDocuments compares the inspected schema and the loaded models in
// strata's JSON shape, types as text included, which catches what diff
// would tolerate (a precision Atlas's differ ignores). Defaults and
// expressions, which the databases rewrite, are diff's to compare; SQLite
// numbers the foreign keys and leaves nameless the checks it was given no
// name for, where the models name them.
func compareDocuments(t *testing.T, d dialect.Name, inspected *schema.Schema, loaded *schema.Realm) {
	t.Helper()
	// SQLite's rowid column is the same column declared NULL or NOT NULL
	// (diff compares it so); the models declare every key column NOT NULL.
	for _, tb := range inspected.Tables {
		if c := dialect.RowidAlias(tb); c != nil && d == dialect.SQLite {
			c.Type.Null = false
		}
	}
	want, err := model.NewDocument(schema.NewRealm(inspected), d)
	if err != nil {
		t.Fatal(err)
	}
	got, err := model.NewDocument(loaded, d)
	if err != nil {
		t.Fatal(err)
	}
	for _, doc := range []*model.Document{want, got} {
		for ti := range doc.Tables {
			tb := &doc.Tables[ti]
			if tb.PrimaryKey != nil && d != dialect.Postgres {
				tb.PrimaryKey.Name = ""
			}
			for fi := range tb.ForeignKeys {
				fk := &tb.ForeignKeys[fi]
				for _, a := range []*string{&fk.OnDelete, &fk.OnUpdate} {
					if *a == "" || *a == "RESTRICT" && d == dialect.MySQL {
						*a = "NO ACTION"
					}
				}
			}
			for ci := range tb.Columns {
				tb.Columns[ci].Type = strings.ToLower(tb.Columns[ci].Type)
			}
		}
	}
	opts := cmp.Options{
		cmpopts.SortSlices(func(a, b model.DocumentIndex) bool { return a.Name < b.Name }),
		cmpopts.SortSlices(func(a, b model.DocumentFK) bool { return strings.Join(a.Columns, ",") < strings.Join(b.Columns, ",") }),
		cmpopts.SortSlices(func(a, b model.DocumentCheck) bool { return a.Name < b.Name }),
		cmpopts.IgnoreFields(model.DocumentColumn{}, "Default"),
		cmpopts.IgnoreFields(model.DocumentCheck{}, "Expr"),
		cmpopts.IgnoreFields(model.DocumentIndex{}, "Where"),
		cmpopts.IgnoreFields(model.DocumentPart{}, "Expr"),
	}
	if d == dialect.SQLite {
		opts = append(opts, cmpopts.IgnoreFields(model.DocumentFK{}, "Name"), cmpopts.IgnoreFields(model.DocumentCheck{}, "Name"))
	}
	if diff := cmp.Diff(want, got, opts); diff != "" {
		t.Errorf("the loaded models differ from the inspected schema (-inspected +models):\n%s", diff)
	}
}

// applyFixture runs testdata/models/DIALECT.sql on the database.
func applyFixture(t *testing.T, db *testdb.DB) {
	t.Helper()
	script, err := os.ReadFile(filepath.Join("testdata", "models", string(db.Dialect)+".sql"))
	if err != nil {
		t.Fatal(err)
	}
	stmts, err := db.Dialect.Split(string(script))
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range stmts {
		if _, err := db.DB.ExecContext(context.Background(), s.Text); err != nil {
			t.Fatalf("fixture: %v\n%s", err, s.Text)
		}
	}
}

// writeModule writes the files as package models of a fresh module
// example.com/app and checks that go build and go vet pass on it.
func writeModule(t *testing.T, files []render.ModelFile) string {
	t.Helper()
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "go.mod"), []byte("module example.com/app\n\ngo 1.26\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	pkg := filepath.Join(dir, "models")
	if err := os.Mkdir(pkg, 0o755); err != nil {
		t.Fatal(err)
	}
	for _, f := range files {
		if err := os.WriteFile(filepath.Join(pkg, f.Name), f.Source, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for _, args := range [][]string{{"build", "./..."}, {"vet", "./..."}} {
		cmd := exec.Command("go", args...)
		cmd.Dir = dir
		cmd.Env = append(os.Environ(), "GOWORK=off", "GOFLAGS=-mod=mod")
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("go %s in the generated module: %v\n%s", strings.Join(args, " "), err, out)
		}
	}
	return dir
}

// checkGolden compares the files and warnings, as a txtar archive, with
// the golden file; -update rewrites it.
func checkGolden(t *testing.T, path string, files []render.ModelFile, warns []render.Warning) {
	t.Helper()
	ar := &txtar.Archive{Comment: []byte("Generated by TestModelsRoundTrip from the fixture of the same name; regenerate with -update.\n")}
	var w bytes.Buffer
	for _, x := range warns {
		w.WriteString(x.String() + "\n")
	}
	ar.Files = append(ar.Files, txtar.File{Name: "warnings", Data: w.Bytes()})
	for _, f := range files {
		ar.Files = append(ar.Files, txtar.File{Name: f.Name, Data: f.Source})
	}
	got := txtar.Format(ar)
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run with -update to create it)", err)
	}
	if diff := cmp.Diff(string(want), string(got)); diff != "" {
		t.Errorf("generated models differ from %s (-want +got):\n%s", path, diff)
	}
}

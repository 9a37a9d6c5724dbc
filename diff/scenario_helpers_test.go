package diff_test

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"ariga.io/atlas/sql/schema"
	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/strata-db/strata/dialect"
	"github.com/strata-db/strata/diff"
	"github.com/strata-db/strata/internal/cli"
	"github.com/strata-db/strata/internal/testdb"
	"github.com/strata-db/strata/introspect"
	"github.com/strata-db/strata/model"
)

// versionTables prefixes strata's own tables (the version table and its
// history), left out of schema comparisons: they exist only once something
// was applied, so v1 "no tables" has none.
const versionTables = "strata_version"

// project is a temporary strata project: a Go module holding the models
// package, a strata.toml pointing at a test database and a versions
// directory.
type project struct {
	t   *testing.T
	dir string
	db  *testdb.DB
}

// newProject writes the module, the configuration and a stub of
// github.com/google/uuid (strata maps uuid.UUID by name; the stub keeps the
// module offline).
func newProject(t *testing.T, db *testdb.DB) *project {
	t.Helper()
	dir := t.TempDir()
	files := map[string]string{
		"go.mod":           "module example.com/app\n\ngo 1.26\n\nrequire github.com/google/uuid v1.6.0\n\nreplace github.com/google/uuid => ./uuid\n",
		"uuid/go.mod":      "module github.com/google/uuid\n\ngo 1.26\n",
		"uuid/uuid.go":     "// Package uuid is a stub.\npackage uuid\n\n// UUID is a stub.\ntype UUID [16]byte\n",
		"strata.toml":      fmt.Sprintf("database_url = %q\nversions_dir = \"migrations\"\nmodels = [\"./models\"]\n", db.URL),
		"migrations/.keep": "",
	}
	testdb.WriteFiles(t, dir, files)
	return &project{t: t, dir: dir, db: db}
}

func writeFile(t *testing.T, path, body string) { testdb.WriteFile(t, path, body) }

// setModels replaces the models package with body (see modelSource).
func (p *project) setModels(body string) {
	p.t.Helper()
	writeFile(p.t, filepath.Join(p.dir, "models", "models.go"), modelSource(body))
}

// modelSource makes a Go file of the models package from declarations in
// which « and » stand for the backquotes of struct tags, adding the imports
// the declarations use.
func modelSource(body string) string {
	var imports []string
	for use, path := range map[string]string{
		"time.": "time", "sql.Null": "database/sql", "json.RawMessage": "encoding/json", "uuid.UUID": "github.com/google/uuid",
	} {
		if strings.Contains(body, use) {
			imports = append(imports, fmt.Sprintf("%q", path))
		}
	}
	slices.Sort(imports)
	var b strings.Builder
	b.WriteString("// Package models is a scenario's models.\npackage models\n\n")
	if len(imports) > 0 {
		fmt.Fprintf(&b, "import (\n\t%s\n)\n\n", strings.Join(imports, "\n\t"))
	}
	b.WriteString(strings.NewReplacer("«", "`", "»", "`").Replace(body))
	return b.String()
}

// run runs strata in-process in the project and returns the exit code and
// the output.
func (p *project) run(args ...string) (int, string) {
	p.t.Helper()
	var stdout, stderr bytes.Buffer
	code := cli.Main(append([]string{"--config", filepath.Join(p.dir, "strata.toml")}, args...), strings.NewReader(""), &stdout, &stderr)
	return code, stdout.String() + stderr.String()
}

// mustRun runs strata and fails the test unless it exits with want.
func (p *project) mustRun(want int, args ...string) string {
	p.t.Helper()
	code, out := p.run(args...)
	if code != want {
		p.t.Fatalf("strata %s: exit %d, want %d\n%s", strings.Join(args, " "), code, want, out)
	}
	return out
}

// revisions lists the revision files in the versions directory.
func (p *project) revisions() []string {
	p.t.Helper()
	entries, err := os.ReadDir(filepath.Join(p.dir, "migrations"))
	if err != nil {
		p.t.Fatal(err)
	}
	var out []string
	for _, e := range entries {
		if !strings.HasPrefix(e.Name(), ".") {
			out = append(out, e.Name())
		}
	}
	return out
}

// revisionText returns the contents of the revision files, for failure
// messages.
func (p *project) revisionText() string {
	var b strings.Builder
	for _, name := range p.revisions() {
		data, err := os.ReadFile(filepath.Join(p.dir, "migrations", name))
		if err != nil {
			p.t.Fatal(err)
		}
		fmt.Fprintf(&b, "--- %s\n%s\n", name, data)
	}
	return b.String()
}

// inspect returns the database schema as strata reads it (partitions and
// enum types included), without strata's version table.
func (p *project) inspect() *schema.Schema {
	p.t.Helper()
	s, err := introspect.Inspect(context.Background(), p.db.Driver(p.t), p.db.DB, p.db.Dialect, introspect.Options{})
	if err != nil {
		p.t.Fatal(err)
	}
	s.Name = "test"
	s.Tables = slices.DeleteFunc(s.Tables, func(t *schema.Table) bool { return strings.HasPrefix(t.Name, versionTables) })
	return s
}

// declared loads the models as strata does, named like an inspected schema.
func (p *project) declared() *schema.Schema {
	p.t.Helper()
	realm, err := model.Load(context.Background(), p.dir, []string{"./models"}, p.db.Dialect)
	if err != nil {
		p.t.Fatal(err)
	}
	s := realm.Schemas[0]
	s.Name = "test"
	return s
}

// atlasChanges returns Atlas's differences from one schema to the other,
// as SQL for readable failures.
func (p *project) atlasChanges(from, to *schema.Schema) []string {
	p.t.Helper()
	drv := p.db.Driver(p.t)
	changes, err := drv.SchemaDiff(from, to)
	if err != nil {
		p.t.Fatal(err)
	}
	// Schema attributes (PostgreSQL's comment on public) are not strata's.
	changes = slices.DeleteFunc(changes, func(c schema.Change) bool {
		_, ok := c.(*schema.ModifySchema)
		return ok
	})
	if len(changes) == 0 {
		return nil
	}
	plan, err := drv.PlanChanges(context.Background(), "diff", changes)
	if err != nil {
		return []string{fmt.Sprintf("%d changes, unplannable: %v", len(changes), err)}
	}
	var out []string
	for _, c := range plan.Changes {
		out = append(out, c.Cmd)
	}
	return out
}

// document is a schema in strata's JSON shape, with the column types as
// the database declares them (on SQLite, the raw declared type, whose size
// Atlas's SQLite differ ignores) and every list sorted by name: ALTER TABLE
// appends a re-added column, so column order is not compared.
func document(t *testing.T, d dialect.Name, s *schema.Schema) *model.Document {
	t.Helper()
	doc, err := model.NewDocument(schema.NewRealm(s), d)
	if err != nil {
		t.Fatal(err)
	}
	for ti, tb := range s.Tables {
		dt := &doc.Tables[ti]
		if d == dialect.SQLite {
			for ci, c := range tb.Columns {
				dt.Columns[ci].Type = strings.ToLower(c.Type.Raw)
			}
		}
		for fi := range dt.ForeignKeys {
			fk := &dt.ForeignKeys[fi]
			fk.OnDelete, fk.OnUpdate = defaultAction(d, fk.OnDelete), defaultAction(d, fk.OnUpdate)
		}
		if d != dialect.Postgres && dt.PrimaryKey != nil {
			dt.PrimaryKey.Name = ""
		}
	}
	return doc
}

// defaultAction spells a referential action the way the databases report an
// omitted one: NO ACTION, which MySQL also calls RESTRICT.
func defaultAction(d dialect.Name, a string) string {
	if a == "" || d == dialect.MySQL && a == "RESTRICT" {
		return "NO ACTION"
	}
	return a
}

var sortedDocument = cmp.Options{
	cmpopts.SortSlices(func(a, b model.DocumentTable) bool { return a.Name < b.Name }),
	cmpopts.SortSlices(func(a, b model.DocumentColumn) bool { return a.Name < b.Name }),
	cmpopts.SortSlices(func(a, b model.DocumentIndex) bool { return a.Name < b.Name }),
	cmpopts.SortSlices(func(a, b model.DocumentFK) bool { return a.Name < b.Name }),
	cmpopts.SortSlices(func(a, b model.DocumentCheck) bool { return a.Name < b.Name }),
	cmpopts.EquateEmpty(),
}

// sameSchema fails the test unless two inspected schemas are equal after
// strata's normalization: no change according to Atlas's differ, and equal
// in every field of strata's JSON shape (which also covers what Atlas's differs skip: SQLite type
// sizes, check expressions, autoincrement, referenced tables).
func (p *project) sameSchema(what string, want, got *schema.Schema) {
	p.t.Helper()
	d := p.db.Dialect
	// Expressions the database wrote again differently (PostgreSQL's
	// rewrites are not idempotent) compare as the database sees them.
	if err := diff.Normalize(context.Background(), p.db.Driver(p.t), d, got, want); err != nil {
		p.t.Fatal(err)
	}
	wantDoc, gotDoc := document(p.t, d, want), document(p.t, d, got)
	if diff := cmp.Diff(wantDoc, gotDoc, sortedDocument); diff != "" {
		p.t.Errorf("%s (-want +got):\n%s", what, diff)
	}
	if changes := p.atlasChanges(want, got); len(changes) > 0 {
		p.t.Errorf("%s: Atlas finds changes:\n%s", what, strings.Join(changes, "\n"))
	}
}

// matchesModels fails the test unless the database shows what the models
// declare: no change according to Atlas's differ from the database to the
// models, and strata's JSON shape equal except for the spelling of
// defaults, which the differ compares. Expressions are compared after
// strata's normalization, in which the database rewrites the declared ones.
func (p *project) matchesModels(inspected *schema.Schema) {
	p.t.Helper()
	declared := p.declared()
	d := p.db.Dialect
	if err := diff.Normalize(context.Background(), p.db.Driver(p.t), d, inspected, declared); err != nil {
		p.t.Fatal(err)
	}
	wantDoc, gotDoc := document(p.t, d, declared), document(p.t, d, inspected)
	opts := append(cmp.Options{
		cmpopts.IgnoreFields(model.DocumentColumn{}, "Default", "RenamedFrom"),
		cmpopts.IgnoreFields(model.DocumentTable{}, "RenamedFrom"),
	}, sortedDocument...)
	if diff := cmp.Diff(wantDoc, gotDoc, opts); diff != "" {
		p.t.Errorf("database differs from the models (-want +got):\n%s", diff)
	}
	if changes := p.atlasChanges(inspected, declared); len(changes) > 0 {
		p.t.Errorf("database differs from the models: Atlas finds changes:\n%s", strings.Join(changes, "\n"))
	}
}

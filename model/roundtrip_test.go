package model_test

import (
	"context"
	"strings"
	"testing"

	"ariga.io/atlas/sql/migrate"
	"ariga.io/atlas/sql/mysql"
	"ariga.io/atlas/sql/postgres"
	"ariga.io/atlas/sql/schema"
	"ariga.io/atlas/sql/sqlite"
	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/strata-db/strata/dialect"
	"github.com/strata-db/strata/internal/testdb"
	"github.com/strata-db/strata/model"
)

// TestRoundTrip executes the corpus's SQL on a fresh real database, inspects
// it with Atlas and asserts that Atlas finds no difference from the declared
// realm, and that tables, columns, types, nullability, keys, indexes,
// foreign keys and checks come back as declared.
func TestRoundTrip(t *testing.T) {
	testdb.ForEach(t, func(t *testing.T, db *testdb.DB) {
		ctx := context.Background()
		d := db.Dialect
		declared := loadCorpus(t, d)
		script, err := model.SQL(declared, d)
		if err != nil {
			t.Fatal(err)
		}
		stmts, err := d.Split(script)
		if err != nil {
			t.Fatal(err)
		}
		for _, s := range stmts {
			if _, err := db.DB.ExecContext(ctx, s.Text); err != nil {
				t.Fatalf("exec %s: %v", s.Text, err)
			}
		}
		drv := openDriver(t, db)
		inspected, err := drv.InspectSchema(ctx, "", nil)
		if err != nil {
			t.Fatal(err)
		}
		want := declared.Schemas[0]
		if d == dialect.MySQL {
			want.Name = inspected.Name
		}
		changes, err := drv.SchemaDiff(inspected, want)
		if err != nil {
			t.Fatal(err)
		}
		if len(changes) > 0 {
			plan, err := drv.PlanChanges(ctx, "diff", changes)
			if err != nil {
				t.Fatalf("%d changes, and planning them failed: %v", len(changes), err)
			}
			var cmds []string
			for _, c := range plan.Changes {
				cmds = append(cmds, c.Cmd)
			}
			t.Errorf("Atlas finds %d changes between inspected and declared, want 0:\n%s", len(changes), strings.Join(cmds, "\n"))
		}
		compareDocuments(t, d, declared, inspected)
	})
}

func openDriver(t *testing.T, db *testdb.DB) migrate.Driver {
	t.Helper()
	open := map[dialect.Name]func(schema.ExecQuerier) (migrate.Driver, error){
		dialect.Postgres: postgres.Open, dialect.MySQL: mysql.Open, dialect.SQLite: sqlite.Open,
	}[db.Dialect]
	drv, err := open(db.DB)
	if err != nil {
		t.Fatal(err)
	}
	return drv
}

// compareDocuments compares the two schemas field by field in strata's JSON
// shape. Defaults and check expressions, which databases rewrite, are
// compared by SchemaDiff above; on SQLite, whose differ compares only type
// affinity, the raw declared column types are compared here.
func compareDocuments(t *testing.T, d dialect.Name, declared *schema.Realm, inspected *schema.Schema, extra ...cmp.Option) {
	t.Helper()
	want, err := model.NewDocument(declared, d)
	if err != nil {
		t.Fatal(err)
	}
	got, err := model.NewDocument(schema.NewRealm(inspected), d)
	if err != nil {
		t.Fatal(err)
	}
	for ti, tb := range inspected.Tables {
		if d == dialect.SQLite {
			for ci, c := range tb.Columns {
				// SQLite reports INTEGER, TEXT, REAL and BLOB in upper case.
				got.Tables[ti].Columns[ci].Type = strings.ToLower(c.Type.Raw)
			}
		}
		for fi := range got.Tables[ti].ForeignKeys {
			fk := &got.Tables[ti].ForeignKeys[fi]
			fk.OnDelete, fk.OnUpdate = defaultAction(d, fk.OnDelete), defaultAction(d, fk.OnUpdate)
		}
		// Only PostgreSQL names primary keys.
		if d != dialect.Postgres && got.Tables[ti].PrimaryKey != nil {
			got.Tables[ti].PrimaryKey.Name = ""
		}
	}
	for ti := range want.Tables {
		for fi := range want.Tables[ti].ForeignKeys {
			fk := &want.Tables[ti].ForeignKeys[fi]
			fk.OnDelete, fk.OnUpdate = defaultAction(d, fk.OnDelete), defaultAction(d, fk.OnUpdate)
		}
	}
	opts := cmp.Options{
		cmpopts.SortSlices(func(a, b model.DocumentTable) bool { return a.Name < b.Name }),
		cmpopts.IgnoreFields(model.DocumentColumn{}, "Default", "RenamedFrom"),
		cmpopts.IgnoreFields(model.DocumentTable{}, "RenamedFrom"),
		cmpopts.IgnoreFields(model.DocumentCheck{}, "Expr"),
		cmpopts.IgnoreFields(model.DocumentIndex{}, "Where"),
		cmpopts.IgnoreFields(model.DocumentPart{}, "Expr"),
		cmpopts.SortSlices(func(a, b model.DocumentIndex) bool { return a.Name < b.Name }),
		cmpopts.SortSlices(func(a, b model.DocumentFK) bool { return a.Name < b.Name }),
		cmpopts.SortSlices(func(a, b model.DocumentCheck) bool { return a.Name < b.Name }),
	}
	if diff := cmp.Diff(want, got, append(opts, extra...)); diff != "" {
		t.Errorf("inspected schema differs from declared (-want +got):\n%s", diff)
	}
}

// defaultAction spells a referential action the way the databases report an
// omitted one: NO ACTION, which MySQL also calls RESTRICT.
func defaultAction(d dialect.Name, a string) string {
	if a == "" || d == dialect.MySQL && a == "RESTRICT" {
		return "NO ACTION"
	}
	return a
}

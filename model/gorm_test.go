package model_test

import (
	"context"
	"slices"
	"strings"
	"testing"

	"ariga.io/atlas/sql/schema"
	"github.com/google/go-cmp/cmp"

	"github.com/strata-db/strata/dialect"
	"github.com/strata-db/strata/model"
)

// loadGORM loads a package of testdata/gorm with GORM's rules and returns
// the realm and the warnings, one string each.
func loadGORM(t *testing.T, d dialect.Name, pkg string, n model.GORMNaming) (*schema.Realm, []string) {
	t.Helper()
	var warns []string
	r, err := model.Load(context.Background(), "testdata/gorm", []string{pkg}, d, model.WithGORM(n),
		model.WithWarnings(func(e *model.Error) { warns = append(warns, e.Error()) }))
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	return r, warns
}

func tableNames(r *schema.Realm) []string {
	var names []string
	for _, t := range r.Schemas[0].Tables {
		names = append(names, t.Name)
	}
	return names
}

func TestGORMDiscoverWithoutAutoMigrate(t *testing.T) {
	r, warns := loadGORM(t, dialect.Postgres, "./discover", model.GORMNaming{})
	want := []string{"dynamics", "markeds", "named_things", "o_auth_clients", "users", "with_models"}
	if diff := cmp.Diff(want, tableNames(r)); diff != "" {
		t.Errorf("tables (-want +got):\n%s", diff)
	}
	wantWarn := `discover/models.go:44:6: Dynamic.TableName does not return a constant, so strata names the table "dynamics" as GORM's naming strategy would; make it ` + "`return \"name\"`"
	if !slices.Contains(warns, wantWarn) {
		t.Errorf("warnings %q lack %q", warns, wantWarn)
	}
	users, _ := r.Schemas[0].Table("o_auth_clients")
	var cols []string
	for _, c := range users.Columns {
		cols = append(cols, c.Name)
	}
	if diff := cmp.Diff([]string{"id", "api_key_id", "user_id"}, cols); diff != "" {
		t.Errorf("columns (-want +got):\n%s", diff)
	}
	if _, ok := users.Index("idx_o_auth_clients_user_id"); !ok {
		t.Errorf("no index idx_o_auth_clients_user_id")
	}
}

func TestGORMNamingSettings(t *testing.T) {
	r, _ := loadGORM(t, dialect.MySQL, "./discover", model.GORMNaming{TablePrefix: "app_", SingularTable: true})
	want := []string{"app_dynamic", "app_marked", "app_o_auth_client", "app_user", "app_with_model", "named_things"}
	if diff := cmp.Diff(want, tableNames(r)); diff != "" {
		t.Errorf("tables (-want +got):\n%s", diff)
	}
}

func TestGORMAutoMigrateCalls(t *testing.T) {
	r, warns := loadGORM(t, dialect.SQLite, "./calls", model.GORMNaming{})
	// a, b, c: the first call; d and the e it belongs to: through a
	// function; g and i: through a slice, with i's join table and j.
	want := []string{"as", "bs", "cs", "ds", "es", "gs", "i_js", "is", "js"}
	if diff := cmp.Diff(want, tableNames(r)); diff != "" {
		t.Errorf("tables (-want +got):\n%s", diff)
	}
	if len(warns) != 1 || !strings.Contains(warns[0], "strata cannot read which models AutoMigrate(dyn...) is given; mark them with //strata:table") {
		t.Errorf("warnings = %q, want one about AutoMigrate(dyn...)", warns)
	}
}

func TestGORMOverrides(t *testing.T) {
	r, warns := loadGORM(t, dialect.Postgres, "./override", model.GORMNaming{})
	place, ok := r.Schemas[0].Table("places")
	if !ok {
		t.Fatal("no table places")
	}
	got := map[string]string{}
	for _, c := range place.Columns {
		s := c.Type.Raw
		if !c.Type.Null {
			s += " NOT NULL"
		}
		if x, ok := c.Default.(*schema.Literal); ok {
			s += " DEFAULT " + x.V
		}
		got[c.Name] = s
	}
	want := map[string]string{
		"id": "bigserial NOT NULL", "where": "point", "fixed": "varchar(40) NOT NULL", "data": "bytea",
		"note": "varchar(20) DEFAULT 'none'",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("columns (-want +got):\n%s", diff)
	}
	wantWarn := `override/models.go:23:2: field Place.Where: type github.com/strata-db/strata/model/testdata/gorm/override.Point has a GormDBDataType method, which strata cannot run; the column type is read as GORM's default for it; add strata:"type:SQL" to the field to set it`
	if diff := cmp.Diff([]string{wantWarn}, warns); diff != "" {
		t.Errorf("warnings (-want +got):\n%s", diff)
	}
}

func TestGORMRuntimeSettings(t *testing.T) {
	r, warns := loadGORM(t, dialect.Postgres, "./runtime", model.GORMNaming{})
	want := []string{"addresses", "people", "person_addresses"}
	if diff := cmp.Diff(want, tableNames(r)); diff != "" {
		t.Errorf("tables (-want +got):\n%s", diff)
	}
	addresses, _ := r.Schemas[0].Table("addresses")
	if fks := addresses.ForeignKeys; len(fks) != 1 || fks[0].Symbol != "fk_addresses_by" || fks[0].RefTable.Name != "people" {
		t.Errorf("addresses foreign keys = %v, want fk_addresses_by to people", fks)
	}
	join, _ := r.Schemas[0].Table("person_addresses")
	if _, ok := join.Column("primary"); !ok {
		t.Errorf("person_addresses is not the //strata:table join model: no column primary")
	}
	wantWarns := []string{
		"runtime/models.go:12:2: field Person.Nick: gorm tag key nullable is not one GORM reads, so strata ignores it too; if your code reads it and it changes the schema, say so in a strata tag",
		"runtime/models.go:23:2: field Address.By: an association inside an embedded struct; strata reads it as one of Address itself, without GORM's extra guesses for embedded associations; check its foreign key with strata models",
		"runtime/models.go:36:39: gorm.Config sets a NamingStrategy, which strata cannot read from the program; mirror its TablePrefix and SingularTable with gorm_table_prefix and gorm_singular_table in strata.toml (other settings are not read)",
		"runtime/models.go:40:12: SetupJoinTable runs only in the program, so strata reads the join table from the many2many tag; if the join model differs, give it //strata:table and it replaces the join table of the same name",
	}
	if diff := cmp.Diff(wantWarns, warns); diff != "" {
		t.Errorf("warnings (-want +got):\n%s", diff)
	}
}

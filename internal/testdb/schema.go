package testdb

import (
	"context"
	"net/url"
	"os/exec"
	"strings"
	"testing"

	"ariga.io/atlas/sql/migrate"
	"ariga.io/atlas/sql/mysql"
	"ariga.io/atlas/sql/postgres"
	"ariga.io/atlas/sql/schema"
	"ariga.io/atlas/sql/sqlite"

	"github.com/strata-db/strata/dialect"
)

// Driver opens Atlas's driver for the database.
func (db *DB) Driver(t testing.TB) migrate.Driver {
	t.Helper()
	var (
		drv migrate.Driver
		err error
	)
	switch db.Dialect {
	case dialect.Postgres:
		drv, err = postgres.Open(db.DB)
	case dialect.MySQL:
		drv, err = mysql.Open(db.DB)
	default:
		drv, err = sqlite.Open(db.DB)
	}
	if err != nil {
		t.Fatal(err)
	}
	return drv
}

// Inspect returns the database's current schema as Atlas sees it, named
// "test" so schemas of two test databases compare.
func (db *DB) Inspect(t testing.TB) *schema.Schema {
	t.Helper()
	s, err := db.Driver(t).InspectSchema(context.Background(), "", nil)
	if err != nil {
		t.Fatal(err)
	}
	s.Name = "test"
	return s
}

// SameSchema fails the test unless the two databases (of one dialect) have
// the same schema according to Atlas's differ.
func SameSchema(t testing.TB, a, b *DB) {
	t.Helper()
	changes, err := a.Driver(t).SchemaDiff(a.Inspect(t), b.Inspect(t))
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range changes {
		t.Errorf("schemas differ: %T %+v", c, c)
	}
}

// Client returns the dialect's own command-line client (psql, mariadb or
// sqlite3) set up to run a script from stdin against db and stop at the
// first error. A missing client skips the test, or fails it under
// STRATA_REQUIRE_DBS=1.
func (db *DB) Client(t testing.TB) *exec.Cmd {
	t.Helper()
	var name string
	var args []string
	switch db.Dialect {
	case dialect.Postgres:
		name, args = "psql", []string{"-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", db.URL, "-f", "-"}
	case dialect.MySQL:
		u, err := url.Parse(db.URL)
		if err != nil {
			t.Fatal(err)
		}
		port := u.Port()
		if port == "" {
			port = "3306"
		}
		name, args = "mariadb", []string{"-h", u.Hostname(), "-P", port, "-u", u.User.Username()}
		if pw, ok := u.User.Password(); ok {
			args = append(args, "-p"+pw)
		}
		args = append(args, strings.TrimPrefix(u.Path, "/"))
	default:
		name, args = "sqlite3", []string{"-bail", db.Name}
	}
	path, err := exec.LookPath(name)
	if err != nil {
		if Required() {
			t.Fatalf("STRATA_REQUIRE_DBS=1 and %s is not installed (.ci/run installs it)", name)
		}
		t.Skipf("%s is not installed", name)
	}
	return exec.Command(path, args...)
}

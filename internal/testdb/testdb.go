// Package testdb gives tests a fresh database on the real servers: a new
// PostgreSQL or MariaDB database, or a new SQLite file, dropped when the test
// ends. An unreachable server skips the test, unless STRATA_REQUIRE_DBS=1
// (set by .ci/run), where it fails it.
//
// Server addresses come from STRATA_TEST_POSTGRES and STRATA_TEST_MYSQL
// (URLs without a database path), defaulting to the local trust-auth servers.
package testdb

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	_ "github.com/go-sql-driver/mysql"
	_ "github.com/lib/pq"
	_ "modernc.org/sqlite"

	"github.com/strata-db/strata/dialect"
	"github.com/strata-db/strata/introspect"
)

// DB is a fresh test database.
type DB struct {
	Dialect dialect.Name
	// URL is the strata database URL of the fresh database.
	URL string
	// DB is an open handle on it.
	DB *sql.DB
	// Name is the database name (the file path for SQLite).
	Name string
}

func server(d dialect.Name) string {
	switch d {
	case dialect.Postgres:
		if v := os.Getenv("STRATA_TEST_POSTGRES"); v != "" {
			return strings.TrimRight(v, "/")
		}
		return "postgres://postgres@127.0.0.1:5432"
	case dialect.MySQL:
		if v := os.Getenv("STRATA_TEST_MYSQL"); v != "" {
			return strings.TrimRight(v, "/")
		}
		return "mysql://root@127.0.0.1:3306"
	}
	return ""
}

// Required reports whether an unreachable server must fail the test.
func Required() bool { return os.Getenv("STRATA_REQUIRE_DBS") == "1" }

// New returns a fresh database of dialect d.
func New(t testing.TB, d dialect.Name) *DB {
	t.Helper()
	if d == dialect.SQLite {
		return sqliteDB(t, filepath.Join(t.TempDir(), "test.db"))
	}
	name := "strata_test_" + randHex()
	admin := server(d) + "/" + map[dialect.Name]string{dialect.Postgres: "postgres", dialect.MySQL: "mysql"}[d]
	adminDB := open(t, admin)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if _, err := adminDB.ExecContext(ctx, "CREATE DATABASE "+d.Quote(name)); err != nil {
		adminDB.Close()
		t.Fatalf("create test database: %v", err)
	}
	url := server(d) + "/" + name
	db := open(t, url)
	t.Cleanup(func() {
		db.Close()
		drop := "DROP DATABASE IF EXISTS " + d.Quote(name)
		if d == dialect.Postgres {
			drop += " WITH (FORCE)"
		}
		if _, err := adminDB.Exec(drop); err != nil {
			t.Errorf("drop test database %s: %v", name, err)
		}
		adminDB.Close()
	})
	return &DB{Dialect: d, URL: url, DB: db, Name: name}
}

// SQLiteAt returns a SQLite database at path (relative paths stay relative in URL).
func sqliteDB(t testing.TB, path string) *DB {
	url := "sqlite://" + path
	db := open(t, url)
	t.Cleanup(func() { db.Close() })
	return &DB{Dialect: dialect.SQLite, URL: url, DB: db, Name: path}
}

func open(t testing.TB, raw string) *sql.DB {
	t.Helper()
	u, err := introspect.ParseURL(raw)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	db, err := introspect.Open(ctx, u)
	if err != nil {
		if Required() {
			t.Fatalf("STRATA_REQUIRE_DBS=1 and the %s server is unreachable: %v", u.Dialect, err)
		}
		t.Skipf("%s server unreachable: %v", u.Dialect, err)
	}
	return db
}

// ForEach runs f as a subtest per dialect, each with a fresh database.
func ForEach(t *testing.T, f func(t *testing.T, db *DB)) {
	for _, d := range dialect.All {
		t.Run(string(d), func(t *testing.T) {
			f(t, New(t, d))
		})
	}
}

func randHex() string {
	b := make([]byte, 6)
	rand.Read(b)
	return hex.EncodeToString(b)
}

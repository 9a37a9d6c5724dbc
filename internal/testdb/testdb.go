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
	"errors"
	"fmt"
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

// New returns a fresh database of dialect d, dropped when the test ends.
func New(t testing.TB, d dialect.Name) *DB {
	t.Helper()
	db, cleanup, err := Create(d, t.TempDir())
	if errors.Is(err, ErrUnreachable) {
		if Required() {
			t.Fatalf("STRATA_REQUIRE_DBS=1 and %v", err)
		}
		t.Skip(err)
	}
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := cleanup(); err != nil {
			t.Error(err)
		}
	})
	return db
}

// ErrUnreachable marks a server that could not be reached.
var ErrUnreachable = errors.New("server unreachable")

// Create makes a fresh database of dialect d (a SQLite file in dir) and
// returns it with the function that drops it. It is the building block of
// New for callers without a testing.TB, such as testscript setups.
func Create(d dialect.Name, dir string) (*DB, func() error, error) {
	if d == dialect.SQLite {
		path := filepath.Join(dir, "test.db")
		url := "sqlite://" + path
		db, err := open(url)
		if err != nil {
			return nil, nil, err
		}
		return &DB{Dialect: d, URL: url, DB: db, Name: path}, db.Close, nil
	}
	name := "strata_test_" + randHex()
	admin := server(d) + "/" + map[dialect.Name]string{dialect.Postgres: "postgres", dialect.MySQL: "mysql"}[d]
	adminDB, err := open(admin)
	if err != nil {
		return nil, nil, err
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if _, err := adminDB.ExecContext(ctx, "CREATE DATABASE "+d.Quote(name)); err != nil {
		adminDB.Close()
		return nil, nil, fmt.Errorf("create test database: %w", err)
	}
	url := server(d) + "/" + name
	drop := func() error {
		stmt := "DROP DATABASE IF EXISTS " + d.Quote(name)
		if d == dialect.Postgres {
			stmt += " WITH (FORCE)"
		}
		defer adminDB.Close()
		if _, err := adminDB.Exec(stmt); err != nil {
			return fmt.Errorf("drop test database %s: %w", name, err)
		}
		return nil
	}
	db, err := open(url)
	if err != nil {
		drop()
		return nil, nil, err
	}
	return &DB{Dialect: d, URL: url, DB: db, Name: name}, func() error {
		db.Close()
		return drop()
	}, nil
}

func open(raw string) (*sql.DB, error) {
	u, err := introspect.ParseURL(raw)
	if err != nil {
		return nil, err
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	db, err := introspect.Open(ctx, u)
	if err != nil {
		return nil, fmt.Errorf("%s %w: %v", u.Dialect, ErrUnreachable, err)
	}
	return db, nil
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

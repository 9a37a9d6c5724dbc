package versions_test

import (
	"context"
	"database/sql"
	"fmt"
	"io/fs"
	"log"

	_ "modernc.org/sqlite"

	"github.com/strata-db/strata/dialect"
	"github.com/strata-db/strata/versions"
)

// An application upgrades its database to head at start-up, with its
// revisions embedded in the binary and no CLI: Migrate is the README's
// snippet (example_migrate_test.go).
func Example() {
	ctx := context.Background()
	db, err := sql.Open("sqlite", "file::memory:?_pragma=foreign_keys(1)")
	if err != nil {
		log.Fatal(err)
	}
	defer db.Close()
	db.SetMaxOpenConns(1) // one in-memory database

	if err := Migrate(ctx, db, dialect.SQLite); err != nil {
		log.Fatal(err)
	}

	dir, err := fs.Sub(migrations, "migrations")
	if err != nil {
		log.Fatal(err)
	}
	m, err := versions.Open(ctx, db, dialect.SQLite, dir)
	if err != nil {
		log.Fatal(err)
	}
	current, err := m.Current(ctx)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("current", current)
	var n int
	if err := db.QueryRowContext(ctx, "SELECT count(*) FROM users").Scan(&n); err != nil {
		log.Fatal(err)
	}
	fmt.Println("users table with", n, "rows")
	// Output:
	// current [a03e77c41b92]
	// users table with 0 rows
}

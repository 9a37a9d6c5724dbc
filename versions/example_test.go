package versions_test

import (
	"context"
	"database/sql"
	"embed"
	"fmt"
	"io/fs"
	"log"

	_ "modernc.org/sqlite"

	"github.com/strata-db/strata/dialect"
	"github.com/strata-db/strata/versions"
)

// In an application, this is //go:embed migrations/*.sql.
//
//go:embed testdata/example/*.sql
var migrations embed.FS

// An application upgrades its database to head at start-up, with its
// revisions embedded in the binary and no CLI.
func Example() {
	ctx := context.Background()
	db, err := sql.Open("sqlite", "file::memory:?_pragma=foreign_keys(1)")
	if err != nil {
		log.Fatal(err)
	}
	defer db.Close()
	db.SetMaxOpenConns(1) // one in-memory database

	dir, err := fs.Sub(migrations, "testdata/example")
	if err != nil {
		log.Fatal(err)
	}
	m, err := versions.Open(ctx, db, dialect.SQLite, dir)
	if err != nil {
		log.Fatal(err)
	}
	steps, err := m.Upgrade(ctx, "head")
	if err != nil {
		log.Fatal(err)
	}
	for _, s := range steps {
		fmt.Println("applied", s.Revision.ID, s.Revision.Message)
	}
	current, err := m.Current(ctx)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("current", current)
	// Output:
	// applied 5f1c2a9b7d30 create users
	// applied a03e77c41b92 add users.name
	// current [a03e77c41b92]
}

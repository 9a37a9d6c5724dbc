package versions_test

// This file is the README's library snippet, verbatim after this line
// (cmd/strata TestREADMESnippets checks); Example runs it.

import (
	"context"
	"database/sql"
	"embed"
	"io/fs"

	"github.com/strata-db/strata/dialect"
	"github.com/strata-db/strata/versions"
)

//go:embed migrations/*.sql
var migrations embed.FS

// Migrate upgrades db to the newest revision in migrations/. The
// application opens db with its own driver (lib/pq, pgx,
// go-sql-driver/mysql, modernc.org/sqlite) and names its dialect.
func Migrate(ctx context.Context, db *sql.DB, d dialect.Name) error {
	dir, err := fs.Sub(migrations, "migrations")
	if err != nil {
		return err
	}
	m, err := versions.Open(ctx, db, d, dir)
	if err != nil {
		return err // every problem with the files, one per line
	}
	_, err = m.Upgrade(ctx, "head")
	return err
}

package introspect

import (
	"context"
	"database/sql"
	"strings"

	"github.com/strata-db/strata/dialect"
)

// sqliteObjects reads the views and triggers of the main database, their
// CREATE statements verbatim from sqlite_master, in the order they were
// created (views first: a trigger may be on a view).
func sqliteObjects(ctx context.Context, db *sql.DB) ([]Object, error) {
	var objs []Object
	err := queryRows(ctx, db, `SELECT type, name, tbl_name, sql FROM sqlite_master
WHERE type IN ('view', 'trigger') AND sql IS NOT NULL ORDER BY type = 'trigger', rowid`, func(rows *sql.Rows) error {
		var kind, name, table, def string
		if err := rows.Scan(&kind, &name, &table, &def); err != nil {
			return err
		}
		x := Object{Kind: kind, Name: name, Create: []string{strings.TrimSuffix(strings.TrimSpace(def), ";")},
			Drop: []string{"DROP " + strings.ToUpper(kind) + " " + dialect.SQLite.Quote(name)}, AfterTables: true, rank: len(objs)}
		if kind == "trigger" {
			x.Table = table
		}
		objs = append(objs, x)
		return nil
	})
	return objs, err
}

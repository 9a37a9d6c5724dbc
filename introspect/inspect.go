package introspect

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"path"
	"sort"

	"ariga.io/atlas/sql/migrate"
	"ariga.io/atlas/sql/mysql"
	"ariga.io/atlas/sql/postgres"
	"ariga.io/atlas/sql/schema"
	"ariga.io/atlas/sql/sqlite"

	"github.com/strata-db/strata/dialect"
)

// Driver opens Atlas's driver for db in dialect d. PostgreSQL and MySQL
// read the server version; SQLite runs no query. On MariaDB, Atlas's
// foreign-key query runs with hash joins (mariaQuerier).
func Driver(db *sql.DB, d dialect.Name) (migrate.Driver, error) {
	switch d {
	case dialect.Postgres:
		return postgres.Open(db)
	case dialect.MySQL:
		return mysql.Open(&mariaQuerier{ExecQuerier: db})
	case dialect.SQLite:
		return sqlite.Open(db)
	}
	return nil, fmt.Errorf("unknown dialect %q", d)
}

// Options select the tables to inspect.
type Options struct {
	// Include and Exclude are glob patterns (path.Match syntax) on table
	// names. Empty Include means every table; Exclude wins.
	Include, Exclude []string
	// Skip names tables never inspected: strata's own.
	Skip []string
}

// Match reports whether table is selected by o.
func (o Options) Match(table string) (bool, error) {
	for _, s := range o.Skip {
		if s == table {
			return false, nil
		}
	}
	in := len(o.Include) == 0
	for _, p := range o.Include {
		ok, err := path.Match(p, table)
		if err != nil {
			return false, fmt.Errorf("include pattern %q: %w", p, err)
		}
		in = in || ok
	}
	for _, p := range o.Exclude {
		ok, err := path.Match(p, table)
		if err != nil {
			return false, fmt.Errorf("exclude pattern %q: %w", p, err)
		}
		if ok {
			return false, nil
		}
	}
	return in, nil
}

// Inspect reads the tables of the connected schema (PostgreSQL's current
// schema, the MySQL database, SQLite's main) that o selects. The names are
// listed and filtered first, so only the selected tables are read; on
// PostgreSQL with no Include or Exclude pattern, the reader's queries
// select the tables themselves (pgInspectAll).
func Inspect(ctx context.Context, drv migrate.Driver, db *sql.DB, d dialect.Name, o Options) (*schema.Schema, error) {
	var (
		s   *schema.Schema
		err error
	)
	if d == dialect.Postgres && len(o.Include) == 0 && len(o.Exclude) == 0 {
		s, err = pgInspectAll(ctx, db, o.Skip)
		switch {
		case errors.Is(err, errUnsupported):
			// What strata's reader does not model goes to Atlas's
			// inspector, as inspectTables does, without reading the
			// tables again with the reader.
			var selected []string
			if selected, err = selectedNames(ctx, db, d, o); err == nil {
				s, err = atlasInspect(ctx, drv, selected)
			}
		case err == nil && len(s.Tables) == 0:
			// As with no table selected: Atlas's schema, with none.
			s, err = atlasInspect(ctx, drv, nil)
		}
	} else {
		var selected []string
		if selected, err = selectedNames(ctx, db, d, o); err == nil {
			s, err = inspectTables(ctx, drv, db, d, selected)
		}
	}
	switch {
	case err != nil:
	case d == dialect.Postgres:
		for _, step := range []func(context.Context, *sql.DB, *schema.Schema) error{pgEnums, pgPartitions, pgUnownedSequences} {
			if err = step(ctx, db, s); err != nil {
				break
			}
		}
	case d == dialect.SQLite:
		err = sqliteCollations(ctx, db, s)
	}
	if err != nil {
		return nil, fmt.Errorf("inspect database: %w", err)
	}
	sort.Slice(s.Tables, func(i, j int) bool { return s.Tables[i].Name < s.Tables[j].Name })
	return s, nil
}

// selectedNames lists the tables and returns those o selects.
func selectedNames(ctx context.Context, db *sql.DB, d dialect.Name, o Options) ([]string, error) {
	names, err := tableNames(ctx, db, d)
	if err != nil {
		return nil, err
	}
	var selected []string
	for _, n := range names {
		ok, err := o.Match(n)
		if err != nil {
			return nil, err
		}
		if ok {
			selected = append(selected, n)
		}
	}
	return selected, nil
}

// inspectTables reads the selected tables with strata's own readers, whose
// cost grows linearly with the schema (Atlas's grows quadratically); what
// they report unsupported goes to Atlas's inspector, on MySQL a chunk of
// tables at a time, which keeps its cost near linear too.
func inspectTables(ctx context.Context, drv migrate.Driver, db *sql.DB, d dialect.Name, selected []string) (*schema.Schema, error) {
	var read func(context.Context, *sql.DB, []string) (*schema.Schema, error)
	switch d {
	case dialect.MySQL:
		read = func(ctx context.Context, db *sql.DB, names []string) (*schema.Schema, error) {
			return myInspect(ctx, drv, db, names)
		}
	case dialect.Postgres:
		read = pgInspect
	case dialect.SQLite:
		read = sqliteInspect
	}
	// With no table selected, Atlas's inspector runs no table query.
	if read != nil && len(selected) > 0 {
		s, err := read(ctx, db, selected)
		if !errors.Is(err, errUnsupported) {
			return s, err
		}
	}
	if d == dialect.MySQL {
		return mysqlInspect(ctx, drv, selected, mysqlChunk)
	}
	return atlasInspect(ctx, drv, selected)
}

// atlasInspect reads the selected tables with Atlas's inspector.
func atlasInspect(ctx context.Context, drv migrate.Driver, selected []string) (*schema.Schema, error) {
	opts := &schema.InspectOptions{Mode: schema.InspectTables, Tables: selected}
	if len(selected) == 0 {
		// Atlas reads every table when Tables is empty; exclude them all instead.
		opts = &schema.InspectOptions{Mode: schema.InspectSchemas, Exclude: []string{"*"}}
	}
	return drv.InspectSchema(ctx, "", opts)
}

// tableNames lists the base tables of the connected schema.
func tableNames(ctx context.Context, db *sql.DB, d dialect.Name) ([]string, error) {
	var q string
	switch d {
	case dialect.Postgres:
		q = pgTableNamesQuery
	case dialect.MySQL:
		q = "SELECT table_name FROM information_schema.tables WHERE table_schema = DATABASE() AND table_type = 'BASE TABLE'"
	default:
		q = "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\'"
	}
	rows, err := db.QueryContext(ctx, q)
	if err != nil {
		return nil, fmt.Errorf("list tables: %w", err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var n string
		if err := rows.Scan(&n); err != nil {
			return nil, err
		}
		out = append(out, n)
	}
	sort.Strings(out)
	return out, rows.Err()
}

package introspect

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"ariga.io/atlas/sql/mysql"
	"ariga.io/atlas/sql/schema"
	"ariga.io/atlas/sql/sqlite"

	"github.com/strata-db/strata/dialect"
)

// ErrUnsupported is errUnsupported for the tests.
var ErrUnsupported = errUnsupported

// ReadOwn reads the named tables with strata's own reader of dialect d.
func ReadOwn(ctx context.Context, db *sql.DB, d dialect.Name, names []string) (*schema.Schema, error) {
	switch d {
	case dialect.MySQL:
		drv, err := mysql.Open(db)
		if err != nil {
			return nil, err
		}
		return myInspect(ctx, drv, db, names)
	case dialect.SQLite:
		return sqliteInspect(ctx, db, names)
	}
	return pgInspect(ctx, db, names)
}

// ReadOwnTypesLast is ReadOwn on PostgreSQL with the columns query's type
// rows sent after its column rows, which then wait for them.
func ReadOwnTypesLast(ctx context.Context, db *sql.DB, names []string) (*schema.Schema, error) {
	const sep = "\nUNION ALL\n"
	head, cols, ok := strings.Cut(pgColumnsQuery, sep)
	i := strings.LastIndex(head, "\nSELECT ")
	if !ok || i < 0 {
		return nil, fmt.Errorf("the columns query is not CTEs, then types UNION ALL columns")
	}
	pgColumnsText = head[:i+1] + cols + sep + head[i+1:]
	defer func() { pgColumnsText = pgColumnsQuery }()
	return pgInspect(ctx, db, names)
}

// ReadAll reads every table but those named in skip with strata's
// PostgreSQL reader, the tables not listed first.
func ReadAll(ctx context.Context, db *sql.DB, skip []string) (*schema.Schema, error) {
	return pgInspectAll(ctx, db, skip)
}

// MySQLShown returns the tables strata's MySQL reader leaves to Atlas's
// inspector, which reads SHOW CREATE TABLE for them.
func MySQLShown(ctx context.Context, db *sql.DB, names []string) ([]string, error) {
	drv, err := mysql.Open(db)
	if err != nil {
		return nil, err
	}
	r, err := myRead(ctx, drv, db, names)
	if err != nil {
		return nil, err
	}
	return r.show, nil
}

// ReadChunked reads the named tables as strata does on MySQL when its own
// reader declines: with Atlas's inspector two tables at a time, so that
// foreign keys cross chunks.
func ReadChunked(ctx context.Context, db *sql.DB, names []string) (*schema.Schema, error) {
	q := &mariaQuerier{ExecQuerier: db}
	drv, err := mysql.Open(q)
	if err != nil {
		return nil, err
	}
	s, err := mysqlInspect(ctx, drv, names, 2)
	if err == nil && q.maria && q.rewritten.Load() == 0 {
		err = errors.New("on MariaDB, no foreign-key query ran with hash joins")
	}
	return s, err
}

// SQLiteIndexQueries inspects the named tables with strata's SQLite reader
// and returns how many of Atlas's index queries it answered itself.
func SQLiteIndexQueries(ctx context.Context, db *sql.DB, names []string) (int, error) {
	q := &sqliteQuerier{ExecQuerier: db}
	drv, err := sqlite.Open(q)
	if err != nil {
		return 0, err
	}
	_, err = atlasInspect(ctx, drv, names)
	return q.served, err
}

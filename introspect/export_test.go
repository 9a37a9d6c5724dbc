package introspect

import (
	"context"
	"database/sql"
	"errors"

	"ariga.io/atlas/sql/mysql"
	"ariga.io/atlas/sql/schema"
	"ariga.io/atlas/sql/sqlite"

	"github.com/strata-db/strata/dialect"
)

// ErrUnsupported is errUnsupported for the tests.
var ErrUnsupported = errUnsupported

// ReadOwn reads the named tables with strata's own reader of dialect d;
// on MySQL, Atlas's inspector two tables at a time, so that foreign keys
// cross chunks.
func ReadOwn(ctx context.Context, db *sql.DB, d dialect.Name, names []string) (*schema.Schema, error) {
	if d == dialect.MySQL {
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
	if d == dialect.SQLite {
		return sqliteInspect(ctx, db, names)
	}
	return pgInspect(ctx, db, names)
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

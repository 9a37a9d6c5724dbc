// Package introspect is the database side of strata's input: it turns a
// database URL into an open *sql.DB for the right dialect and (with
// autogenerate) inspects the live schema into an Atlas *schema.Realm that the
// diff stage compares with the declared models.
//
// Atlas's inspector grows quadratically with the schema, so Inspect reads
// PostgreSQL with strata's own catalog queries (postgres.go), MySQL and
// MariaDB with five information_schema queries for the whole database
// (mysql_reader.go), and serves Atlas's SQLite index query from one read of
// sqlite_master (sqlite.go). All give exactly Atlas's result; what the
// PostgreSQL and MySQL readers do not model goes to Atlas's inspector (on
// MySQL a chunk of tables at a time, mysql.go).
//
// The package names database/sql drivers but imports none: the program that
// uses it (cmd/strata, or an application) imports lib/pq,
// go-sql-driver/mysql and modernc.org/sqlite.
package introspect

package introspect

import (
	"context"
	"database/sql"
	"errors"
	"slices"
	"strings"
	"sync"
	"sync/atomic"

	"ariga.io/atlas/sql/migrate"
	"ariga.io/atlas/sql/schema"
)

// mysqlChunk is how many tables one call of Atlas's MySQL inspector reads
// when strata's own reader (mysql_reader.go) declines a database.
//
// Atlas finds the table of every column, index, foreign-key and check row
// by a linear search of the schema's tables (schema.Schema.Table), so one
// call on N tables makes on the order of 14·N²/2 string comparisons. At
// 1,000 tables that is ~45 ms of CPU, less than the queries of another
// call cost; at 5,000 it is over a second. Chunks of 1,000 keep it linear.
const mysqlChunk = 1000

// mysqlInspect reads the selected tables with Atlas's inspector, chunk
// tables at a time, and links the foreign keys between chunks as Atlas
// links them within one call.
func mysqlInspect(ctx context.Context, drv migrate.Driver, selected []string, chunk int) (*schema.Schema, error) {
	if len(selected) <= chunk {
		return atlasInspect(ctx, drv, selected)
	}
	var out *schema.Schema
	for names := range slices.Chunk(selected, chunk) {
		s, err := atlasInspect(ctx, drv, names)
		if err != nil {
			return nil, err
		}
		if out == nil {
			out = s
			continue
		}
		for _, t := range s.Tables {
			t.Schema = out
		}
		out.Tables = append(out.Tables, s.Tables...)
	}
	linkForeignKeys(out)
	return out, nil
}

// linkForeignKeys points each foreign key that references a table of s at
// that table and its columns, replacing the stubs Atlas leaves for tables
// it did not read in the same call (what Atlas's own linking does for the
// tables of one call).
func linkForeignKeys(s *schema.Schema) {
	byName := make(map[string]*schema.Table, len(s.Tables))
	for _, t := range s.Tables {
		byName[t.Name] = t
	}
	for _, t := range s.Tables {
		for _, fk := range t.ForeignKeys {
			if fk.RefTable == nil || fk.RefTable.Schema == nil || fk.RefTable.Schema.Name != s.Name {
				continue // another schema's table
			}
			ref, ok := byName[fk.RefTable.Name]
			if !ok || ref == fk.RefTable {
				continue
			}
			fk.RefTable = ref
			for i, c := range fk.RefColumns {
				if rc, ok := ref.Column(c.Name); ok {
					fk.RefColumns[i] = rc
				}
			}
		}
	}
}

// mariaHashJoins prefixes a MariaDB query that joins information_schema
// tables so that it joins them by hashing (see mariaQuerier).
const mariaHashJoins = "SET STATEMENT join_cache_level = 4 FOR "

// mariaQuerier runs Atlas's MySQL foreign-key query with hash joins on
// MariaDB. The query joins two information_schema tables, which MariaDB
// joins by nested loops unless join_cache_level allows hash joins: at
// 5,000 tables that is 3.7 s instead of 1.1 s, and the cost grows with the
// square of the schema. MySQL 8 hash-joins by default and lacks SET
// STATEMENT, so it gets the query unchanged.
type mariaQuerier struct {
	schema.ExecQuerier
	once  sync.Once
	maria bool
	// rewritten counts the queries run with hash joins.
	rewritten atomic.Int64
}

// QueryContext implements schema.ExecQuerier.
func (q *mariaQuerier) QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	if strings.Contains(query, "JOIN INFORMATION_SCHEMA.REFERENTIAL_CONSTRAINTS") {
		q.once.Do(func() {
			rows, err := q.ExecQuerier.QueryContext(ctx, "SELECT VERSION()")
			if err != nil {
				return
			}
			defer rows.Close()
			var v string
			if rows.Next() && rows.Scan(&v) == nil {
				q.maria = strings.Contains(strings.ToLower(v), "mariadb")
			}
		})
		if q.maria {
			query = mariaHashJoins + query
			q.rewritten.Add(1)
		}
	}
	return q.ExecQuerier.QueryContext(ctx, query, args...)
}

// BeginTx begins a transaction on the wrapped pool, for callers that
// need one on the driver's database (diff compares check constraints in
// a transaction).
func (q *mariaQuerier) BeginTx(ctx context.Context, opts *sql.TxOptions) (*sql.Tx, error) {
	b, ok := q.ExecQuerier.(interface {
		BeginTx(context.Context, *sql.TxOptions) (*sql.Tx, error)
	})
	if !ok {
		return nil, errors.New("the driver is not on a database connection pool")
	}
	return b.BeginTx(ctx, opts)
}

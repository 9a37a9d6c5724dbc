package introspect

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"
	"strings"

	"ariga.io/atlas/sql/postgres"
	"ariga.io/atlas/sql/schema"

	"github.com/strata-db/strata/dialect"
)

// pgPartitionsQuery reads the partitions of the selected partitioned
// tables, with their bounds as the server prints them, their schema where
// it is not their table's and whether they are partitioned themselves, in
// name order.
const pgPartitionsQuery = `
SELECT p.relname, c.relname, pg_get_expr(c.relpartbound, c.oid),
	CASE WHEN c.relnamespace <> p.relnamespace THEN cn.nspname ELSE '' END, c.relkind = 'p'
FROM pg_catalog.pg_inherits i
JOIN pg_catalog.pg_class p ON p.oid = i.inhparent
JOIN pg_catalog.pg_class c ON c.oid = i.inhrelid
JOIN pg_catalog.pg_namespace n ON n.oid = p.relnamespace
JOIN pg_catalog.pg_namespace cn ON cn.oid = c.relnamespace
WHERE n.nspname = current_schema() AND p.relkind = 'p' AND p.relname = ANY($1::text[]) AND c.relispartition
ORDER BY p.relname, c.relname`

// pgPartitions adds to each partitioned table of s its partitions
// (dialect.Partition), which neither reader lists as tables.
func pgPartitions(ctx context.Context, db *sql.DB, s *schema.Schema) error {
	var names []string
	byName := make(map[string]*schema.Table)
	for _, t := range s.Tables {
		for _, a := range t.Attrs {
			if _, ok := a.(*postgres.Partition); ok {
				names = append(names, t.Name)
				byName[t.Name] = t
			}
		}
	}
	if len(names) == 0 {
		return nil
	}
	return eachRow(ctx, db, "postgres", "partitions", pgPartitionsQuery, func(rows *sql.Rows) error {
		var (
			parent, name, bound, ns string
			partitioned             bool
		)
		if err := rows.Scan(&parent, &name, &bound, &ns, &partitioned); err != nil {
			return err
		}
		byName[parent].AddAttrs(&dialect.Partition{Name: name, Bound: bound, Schema: ns, Partitioned: partitioned})
		return nil
	}, pgTextArray(names))
}

// pgPartitionKey returns the partition key of table t from
// pg_partitioned_table's strategy, column numbers and expressions, as
// Atlas's inspector builds it.
func pgPartitionKey(t *schema.Table, strategy, attrs, exprs string) (*postgres.Partition, error) {
	p := &postgres.Partition{}
	switch strings.ToLower(strategy) {
	case "r":
		p.T = postgres.PartitionTypeRange
	case "l":
		p.T = postgres.PartitionTypeList
	case "h":
		p.T = postgres.PartitionTypeHash
	default:
		return nil, fmt.Errorf("unexpected partition strategy %q of table %q", strategy, t.Name)
	}
	for _, f := range strings.Fields(attrs) {
		idx, err := strconv.Atoi(f)
		switch {
		case err != nil:
			return nil, fmt.Errorf("partition key of table %q: column number %q", t.Name, f)
		case idx == 0: // an expression
			j := exprLastIndex(exprs)
			if j == -1 {
				return nil, fmt.Errorf("no expression found in partition key of table %q: %q", t.Name, exprs)
			}
			p.Parts = append(p.Parts, &postgres.PartitionPart{X: &schema.RawExpr{X: exprs[:j+1]}})
			exprs = strings.TrimPrefix(exprs[j+1:], ", ")
		case idx > len(t.Columns):
			return nil, fmt.Errorf("partition key of table %q: unexpected column number %d", t.Name, idx)
		default:
			p.Parts = append(p.Parts, &postgres.PartitionPart{C: t.Columns[idx-1]})
		}
	}
	if len(p.Parts) == 0 {
		return nil, fmt.Errorf("no columns or expressions in the partition key of table %q", t.Name)
	}
	return p, nil
}
